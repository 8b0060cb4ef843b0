#!/usr/bin/env bash
# Shipping checks for CI: Teams app package (schema, layout, icons), Bicep (build + lint), container image
# (only where a Docker engine runs). Needs node 20 + npm and dotnet; runs offline except for npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== Teams app package (manifest/)"
(cd manifest && npm ci --no-audit --no-fund --loglevel=error && npm test)
# Build one package with example values and check it again from the zip on disk, as an admin would.
node manifest/build-package.mjs --app-id 00000000-0000-4000-8000-000000000000 --domain rollout-bot.example.com \
  --out manifest/dist/appPackage.ci.zip
node manifest/check-package.mjs manifest/dist/appPackage.ci.zip

echo "== Azure infrastructure (infra/)"
bash scripts/check-infra.sh

echo "== Container image (Dockerfile)"
bash scripts/check-docker.sh
