#!/usr/bin/env bash
# Regenerates the screenshots in the docs on purpose: docs/cards/*.png (every card and every plan e-mail, nl and en)
# and docs/images/*.png (the Agents Playground). The browser tests that take them write into the test output by
# default, so an ordinary test run leaves the work tree clean; this script points them at docs/ (SCREENSHOTS_DIR)
# and runs them. Needs Node.js and Debian's chromium (/usr/bin/chromium). Review the result with `git diff --stat docs`.
set -euo pipefail
cd "$(dirname "$0")/.."
export NUGET_CERT_REVOCATION_MODE=offline DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

for dir in tools/playground tests/cards-js; do
  (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "npm ci failed in $dir" >&2; exit 1; }
done
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  echo "no browser at ${CHROMIUM_PATH:-/usr/bin/chromium}: sudo apt-get install -y chromium" >&2
  exit 1
fi

dotnet build tests/TeamsRolloutBot.Browser.Tests >/dev/null
# The tests that save screenshots: cards, e-mails, and the Playground's help answer (README).
SCREENSHOTS_DIR="$PWD/docs" dotnet test tests/TeamsRolloutBot.Browser.Tests --no-build \
  --filter "FullyQualifiedName~CardRenderBrowserTests|FullyQualifiedName~EmailRenderBrowserTests|FullyQualifiedName~Personal_chat_install_posts_one_welcome_card"
git status --short docs/cards docs/images
