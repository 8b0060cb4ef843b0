#!/usr/bin/env bash
# Runs every test suite: installs what the tests need (npm packages; Debian's chromium when run as root), then
# `dotnet test` on the solution. The last line of stdout is "tests: N passed, N failed, N skipped".
# Exits non-zero when the build or a test fails, when a test was skipped, when no test passed, or when the run
# changed the git work tree. Extra arguments go to `dotnet test`.
set -uo pipefail
cd "$(dirname "$0")/.."
export NUGET_CERT_REVOCATION_MODE=offline DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

# npm folders with a lockfile: the Playground, the card renderers, the manifest validator, Azurite (AzureStorage tests).
for dir in tools/playground tests/cards-js tools/azurite; do
  if [ -f "$dir/package-lock.json" ]; then
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || { echo "npm ci failed in $dir" >&2; exit 1; }
  fi
done

# The card schema tests need the official Adaptive Card 1.5 schema beside the repository (CI has it): no skipping.
schema="${ADAPTIVE_CARD_SCHEMA:-../shared/reference/adaptive-card-1.5.schema.json}"
if [ ! -f "$schema" ]; then
  echo "error: the Adaptive Card 1.5 schema is missing at $(realpath -m "$schema"); the card tests need it" \
    "(put shared/ beside the repository, or set ADAPTIVE_CARD_SCHEMA to the file)" >&2
  echo "tests: 0 passed, 1 failed, 0 skipped"
  exit 1
fi

# Browser tests use Debian's chromium (Playwright's own download cannot work offline); without it they fail.
if [ ! -x /usr/bin/chromium ] && [ -z "${CHROMIUM_PATH:-}" ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null 2>&1 \
      || echo "error: could not install chromium; the browser tests will fail" >&2
  else
    echo "error: /usr/bin/chromium is missing (sudo apt-get install -y chromium); the browser tests will fail" >&2
  fi
fi

# The tests must leave the work tree as they found it: screenshots go to the test output (only
# scripts/render-docs-images.sh writes docs/ on purpose). Compared with `git status` after the run.
tree_before="$(git status --porcelain 2>/dev/null | sort || true)"

res="$(realpath -m "${TEST_RESULTS_DIR:-TestResults}")"; out="$res/junit"; log="$res/dotnet-test.log"
rm -rf "$out"; mkdir -p "$out"
# Shipping checks (Teams app package, Bicep, Dockerfile): node's test runner, counted with the rest.
bash scripts/check-ship.sh >"$res/ship.log" 2>&1; ship_rc=$?
ship_pass=$(grep -E '^# pass [0-9]+' "$res/ship.log" | awk '{s+=$3} END {print s+0}')
ship_fail=$(grep -E '^# fail [0-9]+' "$res/ship.log" | awk '{s+=$3} END {print s+0}')
if [ "$ship_rc" -ne 0 ] && [ "$ship_fail" -eq 0 ]; then ship_fail=1; fi

dotnet test TeamsRolloutBot.sln --logger "junit;LogFilePath=$out/{assembly}.xml" "$@" >"$log" 2>&1; rc=$?
sum() { cat "$out"/*.xml 2>/dev/null | grep -o '<testsuite [^>]*' | grep -o " $1=\"[0-9]*\"" | tr -dc '0-9\n' | awk '{s+=$1} END {print s+0}'; }
total=$(sum tests); failed=$(( $(sum failures) + $(sum errors) )); skipped=$(sum skipped)
passed=$(( total - failed - skipped + ship_pass )); failed=$(( failed + ship_fail ))
# A test that cannot run here is a failure, not a skip: the suite has no skipped tests.
[ "$skipped" -gt 0 ] && echo "error: $skipped tests were skipped; every test must run" >&2
tree_changes="$(comm -13 <(echo "$tree_before") <(git status --porcelain 2>/dev/null | sort) | grep -v '^$' || true)"
if [ -n "$tree_changes" ]; then
  echo "the tests changed the work tree (write into the test output instead):" >&2
  echo "$tree_changes" >&2
  failed=$(( failed + 1 ))
fi
if [ "$rc" -ne 0 ] || [ "$failed" -gt 0 ] || [ "$passed" -eq 0 ] || [ "$skipped" -gt 0 ]; then
  [ "$ship_fail" -gt 0 ] && tail -n 40 "$res/ship.log" >&2
  grep -E "^\s+Failed |error " "$log" | head -40 >&2
  tail -n 40 "$log" >&2
  echo "tests: $passed passed, $failed failed, $skipped skipped"
  exit 1
fi
echo "tests: $passed passed, $failed failed, $skipped skipped"
