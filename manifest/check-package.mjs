// Validates a built appPackage.zip offline: zip layout, manifest and localization against the bundled
// official schemas, icon sizes and transparency. Exit code 1 on any problem.
// Usage: node check-package.mjs [path/to/appPackage.zip] [--app-id <guid>] [--domain <host>]
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { checkPackage, manifestDir } from "./lib.mjs";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { "app-id": { type: "string" }, domain: { type: "string" } },
});
const file = resolve(positionals[0] ?? resolve(manifestDir, "dist", "appPackage.zip"));
let buffer;
try {
  buffer = readFileSync(file);
} catch (e) {
  console.error(`cannot read ${file}: ${e.message}`);
  process.exit(1);
}
const errors = await checkPackage(buffer, { appId: values["app-id"], domain: values.domain });
if (errors.length > 0) {
  console.error(`${file}: ${errors.length} problem(s):`);
  for (const e of errors) console.error(`  - ${e}`);
  process.exit(1);
}
console.log(`${file}: valid (layout, schema, localization, icons)`);
