#!/usr/bin/env bash
# Builds the Teams app package (manifest/dist/appPackage.zip).
#   scripts/build-app-package.sh --app-id <guid> --domain <host> [more options of manifest/build-package.mjs]
#   scripts/build-app-package.sh --resource-group <rg> [--deployment main] [more options]
# With --resource-group the app id and host come from the outputs (botAppId, botHost) of the Bicep
# deployment in that resource group (Azure CLI, signed in). Run with --help for all options.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

rg=""; deployment="main"; pass=()
while [ $# -gt 0 ]; do
  case "$1" in
    --resource-group|-g) rg="$2"; shift 2 ;;
    --deployment) deployment="$2"; shift 2 ;;
    *) pass+=("$1"); shift ;;
  esac
done

if [ -n "$rg" ]; then
  outputs="$(az deployment group show -g "$rg" -n "$deployment" --query properties.outputs -o json)"
  app_id="$(node -e 'const o=JSON.parse(process.argv[1]); process.stdout.write(o.botAppId?.value ?? "")' "$outputs")"
  host="$(node -e 'const o=JSON.parse(process.argv[1]); process.stdout.write(o.botHost?.value ?? "")' "$outputs")"
  if [ -z "$app_id" ] || [ -z "$host" ]; then
    echo "deployment '$deployment' in '$rg' has no botAppId/botHost outputs (is it infra/main.bicep?)" >&2
    exit 1
  fi
  pass=(--app-id "$app_id" --domain "$host" "${pass[@]}")
fi

if [ ! -d "$root/manifest/node_modules" ]; then
  (cd "$root/manifest" && npm ci --no-audit --no-fund --loglevel=error)
fi
exec node "$root/manifest/build-package.mjs" "${pass[@]}"
