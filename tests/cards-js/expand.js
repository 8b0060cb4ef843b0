// Expands Adaptive Card templates with the official npm engine (adaptivecards-templating), for the
// differential test in tests/TeamsRolloutBot.Tests/Cards. Reads [{ template, data }] as JSON on stdin and
// writes [{ result } | { error }] as JSON on stdout, in the same order.
"use strict";
const ACData = require("adaptivecards-templating");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", chunk => { input += chunk; });
process.stdin.on("end", () => {
    const cases = JSON.parse(input);
    const output = cases.map(c => {
        try {
            const template = new ACData.Template(c.template);
            return { result: template.expand({ $root: c.data }) };
        } catch (e) {
            return { error: String(e && e.message ? e.message : e) };
        }
    });
    process.stdout.write(JSON.stringify(output));
});
