// Builds and checks the Teams app package. Used by build-package.mjs, check-package.mjs and the tests.
// Everything here runs offline: schemas come from the @microsoft/app-manifest package, never the network.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import AdmZip from "adm-zip";
import pngjs from "pngjs";
import { AppManifestUtils } from "@microsoft/app-manifest";
import AjvDraft04 from "ajv-draft-04";
import addFormats from "ajv-formats";

const { PNG } = pngjs;
const require = createRequire(import.meta.url);
export const manifestDir = dirname(fileURLToPath(import.meta.url));

const SCHEMA_BASE = "https://developer.microsoft.com/json-schemas/teams";
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// A host name, optionally with a port; no scheme, path or wildcard (validDomains entry for the bot host).
const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(:\d{1,5})?$/i;
const SEMVER = /^\d+\.\d+\.\d+$/;

/** Files at the zip root, and nothing else. */
export const PACKAGE_FILES = ["manifest.json", "color.png", "outline.png", "nl.json"];

function bundledSchemaRoot() {
  const pkgJson = require.resolve("@microsoft/app-manifest/package.json");
  return join(dirname(pkgJson), "build", "json-schemas", "teams");
}

/** Newest v1.NN manifest schema version bundled in @microsoft/app-manifest, e.g. "1.30". */
export function newestBundledVersion() {
  const versions = readdirSync(bundledSchemaRoot())
    .map((d) => /^v1\.(\d+)$/.exec(d))
    .filter(Boolean)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
  if (versions.length === 0) throw new Error("no Teams manifest schemas found in @microsoft/app-manifest");
  return `1.${versions.at(-1)}`;
}

export function schemaUrl(version, file = "MicrosoftTeams.schema.json") {
  return `${SCHEMA_BASE}/v${version}/${file}`;
}

/** Loads a bundled schema for a developer.microsoft.com schema URL; throws when it is not bundled. */
export function loadBundledSchema(url) {
  const prefix = `${SCHEMA_BASE}/`;
  if (typeof url !== "string" || !url.startsWith(prefix)) {
    throw new Error(`$schema must start with ${prefix}, got ${JSON.stringify(url)}`);
  }
  const file = join(bundledSchemaRoot(), ...url.substring(prefix.length).split("/"));
  if (!existsSync(file)) throw new Error(`schema ${url} is not bundled in @microsoft/app-manifest (offline check)`);
  // Same clean-up the package applies before parsing (some schemas contain \a and \v escapes).
  const raw = readFileSync(file, "utf8").replace(/\\a/g, "\\u0007").replace(/\\v/g, "\\u000b");
  return JSON.parse(raw);
}

function schemaFor(doc, label, errors) {
  try {
    return loadBundledSchema(doc?.$schema);
  } catch (e) {
    errors.push(`${label}: ${e.message}`);
    return undefined;
  }
}

/** The manifest, through the package's own validator (AppManifestUtils.validateAgainstSchema). */
export async function validateManifest(manifest) {
  const errors = [];
  const schema = schemaFor(manifest, "manifest.json", errors);
  if (schema) errors.push(...(await AppManifestUtils.validateAgainstSchema(manifest, schema)).map((e) => `manifest.json: ${e}`));
  return errors;
}

/**
 * A localization file. The package's validator cannot compile the bundled localization schema: one of its
 * patterns (activities.activityTypes[\b...\b]) is not a valid regular expression in unicode mode, which ajv
 * uses by default. Same validator family (ajv, draft-04, same formats) with unicodeRegExp off.
 */
export function validateLocalization(doc, label = "nl.json") {
  const errors = [];
  const schema = schemaFor(doc, label, errors);
  if (!schema) return errors;
  const ajv = new AjvDraft04({ allErrors: true, strictTypes: false, strict: false, unicodeRegExp: false });
  addFormats(ajv, ["uri", "email", "regex"]);
  const validate = ajv.compile(schema);
  if (!validate(doc)) {
    for (const e of validate.errors ?? []) errors.push(`${label}: ${e.instancePath || "/"} ${e.message ?? ""} ${JSON.stringify(e.params)}`);
  }
  return errors;
}

/**
 * Fills the template. Options: appId (bot's Entra app / managed identity client id), domain (bot host),
 * teamsAppId (defaults to appId), version, developerName, websiteUrl, privacyUrl, termsUrl, rsc (default true).
 * Throws with a message naming the bad option.
 */
export function buildManifest(options, template = readTemplate()) {
  const o = { rsc: true, version: "1.0.0", developerName: "IT department", ...options };
  if (!GUID.test(o.appId ?? "")) throw new Error(`--app-id must be a GUID (the bot's Microsoft App ID), got ${JSON.stringify(o.appId)}`);
  o.teamsAppId ??= o.appId;
  if (!GUID.test(o.teamsAppId)) throw new Error(`--teams-app-id must be a GUID, got ${JSON.stringify(o.teamsAppId)}`);
  if (!HOST.test(o.domain ?? "")) throw new Error(`--domain must be a host name such as rollout-bot.azurewebsites.net (no https://, no path), got ${JSON.stringify(o.domain)}`);
  if (!SEMVER.test(o.version)) throw new Error(`--version must look like 1.2.3, got ${JSON.stringify(o.version)}`);
  o.websiteUrl ??= `https://${o.domain}/`;
  o.privacyUrl ??= o.websiteUrl;
  o.termsUrl ??= o.websiteUrl;
  for (const key of ["websiteUrl", "privacyUrl", "termsUrl"]) {
    if (!/^https:\/\/\S+$/.test(o[key])) throw new Error(`--${key.replace(/Url$/, "-url")} must be an https URL, got ${JSON.stringify(o[key])}`);
  }
  if (o.developerName.length === 0 || o.developerName.length > 32) throw new Error("--developer-name must be 1 to 32 characters");

  const values = {
    BOT_APP_ID: o.appId.toLowerCase(),
    TEAMS_APP_ID: o.teamsAppId.toLowerCase(),
    BOT_DOMAIN: o.domain.toLowerCase(),
    APP_VERSION: o.version,
    DEVELOPER_NAME: o.developerName,
    WEBSITE_URL: o.websiteUrl,
    PRIVACY_URL: o.privacyUrl,
    TERMS_URL: o.termsUrl,
  };
  // Substitute inside parsed strings so a value can never break the JSON structure.
  const fill = (node) => {
    if (typeof node === "string") {
      return node.replace(/\{\{([A-Z_]+)\}\}/g, (whole, key) => {
        if (!(key in values)) throw new Error(`manifest template uses unknown placeholder ${whole}`);
        return values[key];
      });
    }
    if (Array.isArray(node)) return node.map(fill);
    if (node && typeof node === "object") return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, fill(v)]));
    return node;
  };
  const manifest = fill(template);
  if (!o.rsc) delete manifest.authorization;
  return manifest;
}

export function readTemplate() {
  return JSON.parse(readFileSync(join(manifestDir, "manifest.template.json"), "utf8"));
}

export function readSourceFile(name) {
  return readFileSync(join(manifestDir, name));
}

/** Checks pixel size and transparency rules Teams applies to app icons. Returns a list of errors. */
export function checkIcons(colorPng, outlinePng) {
  const errors = [];
  const decode = (buf, name) => {
    try {
      return PNG.sync.read(buf);
    } catch (e) {
      errors.push(`${name}: not a readable PNG (${e.message})`);
      return undefined;
    }
  };
  const color = decode(colorPng, "color.png");
  if (color) {
    if (color.width !== 192 || color.height !== 192) errors.push(`color.png: must be 192x192 pixels, is ${color.width}x${color.height}`);
    const colours = new Set();
    for (let i = 0; i < color.data.length; i += 4) colours.add(color.data.readUInt32BE(i));
    if (colours.size < 2) errors.push("color.png: is a single flat colour; it needs a visible symbol");
  }
  const outline = decode(outlinePng, "outline.png");
  if (outline) {
    if (outline.width !== 32 || outline.height !== 32) errors.push(`outline.png: must be 32x32 pixels, is ${outline.width}x${outline.height}`);
    let opaque = 0;
    let transparent = 0;
    let nonWhite = 0;
    for (let i = 0; i < outline.data.length; i += 4) {
      const [r, g, b, a] = outline.data.subarray(i, i + 4);
      if (a === 0) transparent++;
      else {
        opaque++;
        if (r !== 255 || g !== 255 || b !== 255) nonWhite++;
      }
    }
    const corners = [0, outline.width - 1, (outline.height - 1) * outline.width, outline.height * outline.width - 1];
    if (corners.some((p) => outline.data[p * 4 + 3] !== 0)) errors.push("outline.png: background must be transparent (a corner pixel is not)");
    if (transparent === 0) errors.push("outline.png: has no transparent pixels");
    if (opaque === 0) errors.push("outline.png: is fully transparent; it needs a white outline");
    if (nonWhite > 0) errors.push(`outline.png: must be white on transparent; ${nonWhite} visible pixels are not white`);
  }
  return errors;
}

/** Zips the package in memory: manifest.json, both icons and the localization files at the root. */
export function buildPackage(manifest) {
  const zip = new AdmZip();
  zip.addFile("manifest.json", Buffer.from(JSON.stringify(manifest, null, 2) + "\n", "utf8"));
  for (const name of PACKAGE_FILES.filter((f) => f !== "manifest.json")) zip.addFile(name, readSourceFile(name));
  return zip.toBuffer();
}

/** Everything CI needs to trust a built appPackage.zip. Returns a list of errors (empty = good). */
export async function checkPackage(zipBuffer, expect = {}) {
  const errors = [];
  let zip;
  try {
    zip = new AdmZip(zipBuffer);
  } catch (e) {
    return [`appPackage.zip: not a readable zip (${e.message})`];
  }
  const entries = new Map(zip.getEntries().filter((e) => !e.isDirectory).map((e) => [e.entryName, e]));
  for (const name of entries.keys()) {
    if (name.includes("/")) errors.push(`appPackage.zip: ${name} is in a folder; Teams expects every file at the zip root`);
    else if (!PACKAGE_FILES.includes(name)) errors.push(`appPackage.zip: unexpected file ${name}`);
  }
  for (const name of PACKAGE_FILES) if (!entries.has(name)) errors.push(`appPackage.zip: ${name} is missing at the zip root`);
  const text = (name) => entries.get(name)?.getData().toString("utf8");
  const json = (name) => {
    try {
      return JSON.parse(text(name));
    } catch (e) {
      errors.push(`${name}: not valid JSON (${e.message})`);
      return undefined;
    }
  };
  if (!entries.has("manifest.json")) return errors;

  const raw = text("manifest.json");
  const left = raw.match(/\{\{[A-Z_]+\}\}/g);
  if (left) errors.push(`manifest.json: placeholders not substituted: ${[...new Set(left)].join(", ")}`);
  const manifest = json("manifest.json");
  if (!manifest) return errors;

  const newest = newestBundledVersion();
  if (manifest.$schema !== schemaUrl(newest)) errors.push(`manifest.json: $schema must be ${schemaUrl(newest)} (newest bundled), is ${manifest.$schema}`);
  errors.push(...(await validateManifest(manifest)));

  // Files the manifest points at must be in the package.
  for (const [key, file] of Object.entries(manifest.icons ?? {})) {
    if (!entries.has(file)) errors.push(`manifest.json: icons.${key} points at ${file}, which is not in the package`);
  }
  for (const lang of manifest.localizationInfo?.additionalLanguages ?? []) {
    if (!entries.has(lang.file)) {
      errors.push(`manifest.json: localization ${lang.languageTag} points at ${lang.file}, which is not in the package`);
      continue;
    }
    const loc = json(lang.file);
    if (!loc) continue;
    errors.push(...validateLocalization(loc, lang.file));
    if (loc.$schema !== schemaUrl(manifest.manifestVersion, "MicrosoftTeams.Localization.schema.json")) {
      errors.push(`${lang.file}: $schema must be the v${manifest.manifestVersion} localization schema`);
    }
    for (const key of Object.keys(loc)) {
      const m = /^bots\[0\]\.commandLists\[(\d+)\]\.commands\[(\d+)\]\.\w+$/.exec(key);
      if (m && !manifest.bots?.[0]?.commandLists?.[m[1]]?.commands?.[m[2]]) errors.push(`${lang.file}: ${key} names a command the manifest does not have`);
    }
  }

  const bot = manifest.bots?.[0];
  if (bot) {
    for (const scope of ["personal", "team", "groupChat"]) if (!bot.scopes?.includes(scope)) errors.push(`manifest.json: bot scope ${scope} is missing`);
    if (manifest.webApplicationInfo?.id !== bot.botId) errors.push("manifest.json: webApplicationInfo.id must equal the bot's botId");
    if (expect.appId && bot.botId !== expect.appId.toLowerCase()) errors.push(`manifest.json: botId is ${bot.botId}, expected ${expect.appId}`);
  } else {
    errors.push("manifest.json: no bot");
  }
  if (expect.domain && !manifest.validDomains?.includes(expect.domain.toLowerCase())) errors.push(`manifest.json: validDomains does not contain ${expect.domain}`);

  if (entries.has("color.png") && entries.has("outline.png")) {
    errors.push(...checkIcons(entries.get("color.png").getData(), entries.get("outline.png").getData()));
  }
  return errors;
}
