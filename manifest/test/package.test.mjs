// Tests for the Teams app package: what an admin uploads must pass Teams' own schema and icon rules.
import { test } from "node:test";
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import AdmZip from "adm-zip";
import pngjs from "pngjs";
import {
  buildManifest, buildPackage, checkIcons, checkPackage, manifestDir, newestBundledVersion,
  readSourceFile, readTemplate, schemaUrl, validateLocalization, validateManifest,
} from "../lib.mjs";
import { drawColor, drawOutline } from "../make-icons.mjs";

const { PNG } = pngjs;
const APP_ID = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const DOMAIN = "rollout-bot-prod.azurewebsites.net";
const build = (extra = {}) => buildManifest({ appId: APP_ID, domain: DOMAIN, ...extra });

// Lead commands from issue 7 (first word, or two words for the wave and plan sub-commands).
const LEAD_COMMANDS = new Set([
  "help", "plan", "plan reload", "schedule", "preview", "wave start", "wave pause", "wave resume", "wave cancel",
  "send", "status", "feedback", "export", "whoami",
]);

function pngBuffer(width, height, pixel) {
  const png = new PNG({ width, height });
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) png.data.set(pixel(x, y), (y * width + x) * 4);
  return PNG.sync.write(png);
}

function zipWith(files) {
  const zip = new AdmZip();
  for (const [name, data] of Object.entries(files)) if (data !== undefined) zip.addFile(name, Buffer.isBuffer(data) ? data : Buffer.from(data));
  return zip.toBuffer();
}

test("template uses the newest manifest schema bundled in @microsoft/app-manifest", () => {
  const template = readTemplate();
  const newest = newestBundledVersion();
  assert.equal(template.$schema, schemaUrl(newest));
  assert.equal(template.manifestVersion, newest);
  const nl = JSON.parse(readSourceFile("nl.json"));
  assert.equal(nl.$schema, schemaUrl(newest, "MicrosoftTeams.Localization.schema.json"));
});

test("built package is valid: layout, schema, localization, icons, real ids", async () => {
  const zip = buildPackage(build());
  assert.deepEqual(await checkPackage(zip, { appId: APP_ID, domain: DOMAIN }), []);

  const entries = new AdmZip(zip).getEntries().map((e) => e.entryName).sort();
  assert.deepEqual(entries, ["color.png", "manifest.json", "nl.json", "outline.png"]);
  const manifest = JSON.parse(new AdmZip(zip).readAsText("manifest.json"));
  assert.equal(manifest.bots[0].botId, APP_ID);
  assert.equal(manifest.id, APP_ID);
  assert.equal(manifest.webApplicationInfo.id, APP_ID);
  assert.deepEqual(manifest.validDomains, [DOMAIN]);
  assert.deepEqual(manifest.bots[0].scopes.sort(), ["groupChat", "personal", "team"]);
  assert.deepEqual(manifest.authorization.permissions.resourceSpecific, [{ name: "ChannelMessage.Read.Group", type: "Application" }]);
  assert.doesNotMatch(JSON.stringify(manifest), /\{\{/);
});

test("--no-rsc leaves out ChannelMessage.Read.Group and stays valid", async () => {
  const manifest = build({ rsc: false });
  assert.equal(manifest.authorization, undefined);
  assert.deepEqual(await checkPackage(buildPackage(manifest)), []);
});

test("a separate Teams app id, version and publisher URLs are substituted", () => {
  const teamsAppId = "99999999-8888-4777-8666-555555555555";
  const m = build({ teamsAppId, version: "2.3.4", privacyUrl: "https://contoso.example/privacy" });
  assert.equal(m.id, teamsAppId);
  assert.equal(m.bots[0].botId, APP_ID);
  assert.equal(m.version, "2.3.4");
  assert.equal(m.developer.privacyUrl, "https://contoso.example/privacy");
  assert.equal(m.developer.websiteUrl, `https://${DOMAIN}/`);
});

test("command lists: at most 3 lists of 12, every title is a lead command, every scope covered", () => {
  const bot = readTemplate().bots[0];
  assert.ok(bot.commandLists.length <= 3);
  const covered = new Set();
  for (const list of bot.commandLists) {
    assert.ok(list.commands.length >= 10 && list.commands.length <= 12, `${list.scopes} has ${list.commands.length} commands`);
    for (const c of list.commands) assert.ok(LEAD_COMMANDS.has(c.title), `unknown command ${c.title}`);
    assert.equal(new Set(list.commands.map((c) => c.title)).size, list.commands.length, "duplicate command");
    list.scopes.forEach((s) => covered.add(s));
  }
  assert.deepEqual([...covered].sort(), ["groupChat", "personal", "team"]);
});

test("the Dutch file translates every command description", () => {
  const nl = JSON.parse(readSourceFile("nl.json"));
  readTemplate().bots[0].commandLists.forEach((list, i) =>
    list.commands.forEach((_, j) => assert.ok(nl[`bots[0].commandLists[${i}].commands[${j}].description`], `missing nl text for list ${i} command ${j}`)));
  assert.deepEqual(validateLocalization(nl), []);
});

test("schema validation rejects a broken manifest (offline)", async () => {
  const m = build();
  m.bots[0].botId = "not-a-guid";
  m.name.short = "A name that is far too long for Teams to show";
  delete m.developer.privacyUrl;
  const errors = await validateManifest(m);
  assert.ok(errors.some((e) => e.includes("/bots/0/botId")), errors.join("\n"));
  assert.ok(errors.some((e) => e.includes("/name/short")), errors.join("\n"));
  assert.ok(errors.some((e) => e.includes("privacyUrl")), errors.join("\n"));
});

test("schema validation refuses a schema URL that is not bundled instead of going online", async () => {
  const m = build();
  m.$schema = "https://developer.microsoft.com/json-schemas/teams/v1.99/MicrosoftTeams.schema.json";
  const errors = await validateManifest(m);
  assert.match(errors.join("\n"), /not bundled/);
});

test("localization validation rejects an over-long Dutch name", () => {
  const nl = JSON.parse(readSourceFile("nl.json"));
  nl["name.short"] = "Uitrolbot voor de hele organisatie en meer";
  assert.ok(validateLocalization(nl).some((e) => e.includes("name.short")));
});

test("committed icons are exactly what make-icons.mjs draws", () => {
  assert.ok(readSourceFile("color.png").equals(drawColor()), "color.png is stale: run npm run icons");
  assert.ok(readSourceFile("outline.png").equals(drawOutline()), "outline.png is stale: run npm run icons");
  assert.deepEqual(checkIcons(readSourceFile("color.png"), readSourceFile("outline.png")), []);
});

test("icon check rejects wrong sizes, an opaque outline and a coloured outline", () => {
  const outline = readSourceFile("outline.png");
  const color = readSourceFile("color.png");
  assert.match(checkIcons(pngBuffer(96, 96, () => [10, 20, (Math.random() * 255) | 0, 255]), outline).join(), /192x192/);
  assert.match(checkIcons(color, pngBuffer(32, 32, (x) => (x < 16 ? [255, 255, 255, 255] : [0, 0, 0, 255]))).join(), /transparent/);
  assert.match(checkIcons(color, pngBuffer(32, 32, (x, y) => (x > 8 && x < 24 && y > 8 && y < 24 ? [0, 120, 212, 255] : [0, 0, 0, 0]))).join(), /not white/);
  assert.match(checkIcons(color, pngBuffer(48, 48, (x) => (x === 20 ? [255, 255, 255, 255] : [0, 0, 0, 0]))).join(), /32x32/);
});

test("package check rejects files in a folder, a missing icon and unsubstituted placeholders", async () => {
  const manifest = JSON.stringify(build());
  const files = { "manifest.json": manifest, "nl.json": readSourceFile("nl.json"), "color.png": readSourceFile("color.png"), "outline.png": readSourceFile("outline.png") };

  const nested = await checkPackage(zipWith({ ...files, "outline.png": undefined, "icons/outline.png": files["outline.png"] }));
  assert.ok(nested.some((e) => e.includes("icons/outline.png is in a folder")), nested.join("\n"));
  assert.ok(nested.some((e) => e.includes("outline.png is missing")), nested.join("\n"));

  const raw = JSON.stringify(readTemplate());
  const unfilled = await checkPackage(zipWith({ ...files, "manifest.json": raw }));
  assert.ok(unfilled.some((e) => e.includes("placeholders not substituted")), unfilled.join("\n"));
});

test("build script writes a valid zip and refuses bad input with a message naming the option", () => {
  const dir = mkdtempSync(join(tmpdir(), "apppkg-"));
  const out = join(dir, "appPackage.zip");
  execFileSync(process.execPath, [join(manifestDir, "build-package.mjs"), "--app-id", APP_ID, "--domain", DOMAIN, "--no-rsc", "--out", out]);
  const manifest = JSON.parse(new AdmZip(readFileSync(out)).readAsText("manifest.json"));
  assert.equal(manifest.bots[0].botId, APP_ID);
  assert.equal(manifest.authorization, undefined);

  const badDomain = spawnSync(process.execPath, [join(manifestDir, "build-package.mjs"), "--app-id", APP_ID, "--domain", `https://${DOMAIN}/api/messages`, "--out", join(dir, "bad.zip")], { encoding: "utf8" });
  assert.notEqual(badDomain.status, 0);
  assert.match(badDomain.stderr, /--domain must be a host name/);
  const noId = spawnSync(process.execPath, [join(manifestDir, "build-package.mjs"), "--domain", DOMAIN, "--out", join(dir, "bad.zip")], { encoding: "utf8", env: { PATH: process.env.PATH } });
  assert.notEqual(noId.status, 0);
  assert.match(noId.stderr, /--app-id must be a GUID/);
  assert.deepEqual(readdirSync(dir), ["appPackage.zip"]);
});
