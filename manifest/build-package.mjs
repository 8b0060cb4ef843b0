// Builds appPackage.zip for Teams from manifest.template.json with the real bot app id and domain.
// Usage: node build-package.mjs --app-id <guid> --domain <host> [--out dist/appPackage.zip] [--no-rsc] ...
// Values may also come from environment variables (BOT_APP_ID, BOT_DOMAIN, ...); flags win.
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildManifest, buildPackage, checkPackage, manifestDir } from "./lib.mjs";

const usage = `Usage: node build-package.mjs --app-id <guid> --domain <host> [options]

  --app-id <guid>          Bot's Microsoft App ID (Entra app client id, or the managed identity's client id)  [BOT_APP_ID]
  --domain <host>          Host name the bot runs on, e.g. rollout-bot.azurewebsites.net                   [BOT_DOMAIN]
  --teams-app-id <guid>    Teams app id (manifest "id"); defaults to --app-id                               [TEAMS_APP_ID]
  --version <x.y.z>        App version; raise it for every upload (default 1.0.0)                           [APP_VERSION]
  --developer-name <text>  Publisher shown in Teams (default "IT department")                              [DEVELOPER_NAME]
  --website-url <url>      Support page (default https://<domain>/)                                        [WEBSITE_URL]
  --privacy-url <url>      Privacy statement (default: the website URL)                                    [PRIVACY_URL]
  --terms-url <url>        Terms of use (default: the website URL)                                         [TERMS_URL]
  --no-rsc                 Leave out the ChannelMessage.Read.Group permission (no channel thread replies)   [NO_RSC=1]
  --out <path>             Output zip (default manifest/dist/appPackage.zip)
`;

let args;
try {
  args = parseArgs({
    options: {
      "app-id": { type: "string" },
      domain: { type: "string" },
      "teams-app-id": { type: "string" },
      version: { type: "string" },
      "developer-name": { type: "string" },
      "website-url": { type: "string" },
      "privacy-url": { type: "string" },
      "terms-url": { type: "string" },
      "no-rsc": { type: "boolean" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  }).values;
} catch (e) {
  console.error(`${e.message}\n\n${usage}`);
  process.exit(2);
}
if (args.help) {
  console.log(usage);
  process.exit(0);
}

const env = process.env;
const options = Object.fromEntries(
  Object.entries({
    appId: args["app-id"] ?? env.BOT_APP_ID,
    domain: args.domain ?? env.BOT_DOMAIN,
    teamsAppId: args["teams-app-id"] ?? env.TEAMS_APP_ID,
    version: args.version ?? env.APP_VERSION,
    developerName: args["developer-name"] ?? env.DEVELOPER_NAME,
    websiteUrl: args["website-url"] ?? env.WEBSITE_URL,
    privacyUrl: args["privacy-url"] ?? env.PRIVACY_URL,
    termsUrl: args["terms-url"] ?? env.TERMS_URL,
    rsc: !(args["no-rsc"] || env.NO_RSC === "1"),
  }).filter(([, v]) => v !== undefined && v !== ""),
);

let manifest;
try {
  manifest = buildManifest(options);
} catch (e) {
  console.error(`error: ${e.message}\n\n${usage}`);
  process.exit(2);
}

const zip = buildPackage(manifest);
const errors = await checkPackage(zip, { appId: options.appId, domain: options.domain });
if (errors.length > 0) {
  console.error(`appPackage.zip was NOT written; ${errors.length} problem(s):`);
  for (const e of errors) console.error(`  - ${e}`);
  process.exit(1);
}

const out = resolve(args.out ?? resolve(manifestDir, "dist", "appPackage.zip"));
mkdirSync(dirname(out), { recursive: true });
writeFileSync(out, zip);
console.log(`wrote ${out} (manifest ${manifest.manifestVersion}, version ${manifest.version}, bot ${manifest.bots[0].botId}, ` +
  `${manifest.authorization ? "with" : "without"} ChannelMessage.Read.Group)`);
