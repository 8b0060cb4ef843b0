#!/usr/bin/env bash
# Compiles and lints infra/ with the Bicep CLI from NuGet (Azure.Bicep.CommandLine.linux-x64), offline.
# Fails on any compiler or linter error or warning. Writes the compiled ARM template to
# ${INFRA_OUT:-infra/bin}/main.json for the tests that read it.
set -euo pipefail
cd "$(dirname "$0")/.."
export NUGET_CERT_REVOCATION_MODE=offline

version=0.49.2
dotnet restore infra/Bicep.proj --verbosity quiet >/dev/null
bicep="${NUGET_PACKAGES:-$HOME/.nuget/packages}/azure.bicep.commandline.linux-x64/$version/tools/bicep"
if [ ! -x "$bicep" ]; then
  chmod +x "$bicep" 2>/dev/null || { echo "check-infra: Bicep CLI not found at $bicep" >&2; exit 1; }
fi
# The CLI is a self-contained .NET app; no ICU on minimal images is fine for this.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT="${DOTNET_SYSTEM_GLOBALIZATION_INVARIANT:-1}"

out="${INFRA_OUT:-infra/bin}"
mkdir -p "$out"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
status=0

run() {
  # Bicep prints diagnostics on stderr and exits 0 on warnings: treat any diagnostic as a failure.
  if ! "$@" 2>"$log"; then status=1; fi
  if grep -E ': (Error|Warning) ' "$log" >&2; then status=1; fi
}

run "$bicep" build infra/main.bicep --outfile "$out/main.json"
# Linting main.bicep also lints every module it references.
run "$bicep" lint infra/main.bicep
for p in infra/*.bicepparam; do run "$bicep" build-params "$p" --outfile "$out/$(basename "$p" .bicepparam).parameters.json"; done

if [ "$status" -ne 0 ]; then
  echo "check-infra: FAILED (Bicep $version found errors or warnings above)" >&2
  exit 1
fi
echo "check-infra: infra/main.bicep, $(ls infra/modules/*.bicep | wc -l) modules and $(ls infra/*.bicepparam | wc -l) parameter file(s) compile and lint clean (Bicep $version)"
