#!/usr/bin/env bash
# Starts TeamsRolloutBot with the sample plan and the Microsoft 365 Agents Playground, both on loopback only.
# Needs: .NET 10 SDK and Node.js 20+. Installs what else it needs (NuGet restore, the pinned Playground npm package).
# Ctrl-C stops both. See docs/playground.md for what to try.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: ./scripts/start-local.sh [options]

  --as lead|member        who you are in the Playground (default: lead). lead = the project lead of the
                          sample plan; member = an IT department member who is not a lead.
  --bot-port PORT         the bot's port on 127.0.0.1 (default: 3978)
  --playground-port PORT  the Playground's port on 127.0.0.1 (default: 56150; a free one if taken)
  --plan FILE             the rollout plan (default: samples/intune-rollout.yaml)
  --keep-data             keep the local database of the previous run (default: start fresh, because the
                          Playground forgets its conversations when it stops)
  --no-build              skip npm ci and dotnet build (use what is already built)
  -h, --help              this text
EOF
}

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
as="lead"
bot_port=3978
pg_port=56150
plan="$repo/samples/intune-rollout.yaml"
keep_data=false
build=true

while [[ $# -gt 0 ]]; do
  case "$1" in
    --as) as="${2:?--as needs lead or member}"; shift 2 ;;
    --bot-port) bot_port="${2:?--bot-port needs a port}"; shift 2 ;;
    --playground-port) pg_port="${2:?--playground-port needs a port}"; shift 2 ;;
    --plan) plan="$(realpath "${2:?--plan needs a file}")"; shift 2 ;;
    --keep-data) keep_data=true; shift ;;
    --no-build) build=false; shift ;;
    -h|--help) usage; exit 0 ;;
    *) echo "Unknown option: $1" >&2; usage >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf '\033[31merror:\033[0m %s\n' "$*" >&2; exit 1; }

pg_dir="$repo/tools/playground"
pg_config="$pg_dir/$as.yml"
[[ -f "$pg_config" ]] || die "no Playground identity '$as' (expected $pg_config); use --as lead or --as member."
[[ -f "$plan" ]] || die "plan file not found: $plan"
command -v dotnet >/dev/null || die "dotnet not found: install the .NET 10 SDK (https://dot.net)."
command -v node >/dev/null || die "node not found: install Node.js 20 or later."
node_major="$(node -p 'process.versions.node.split(".")[0]')"
(( node_major >= 20 )) || die "Node.js 20 or later is needed (found $(node --version))."

state="$repo/.local"
mkdir -p "$state"
bot_dll="$repo/src/TeamsRolloutBot/bin/Debug/net10.0/TeamsRolloutBot.dll"
pg_cli="$pg_dir/node_modules/@microsoft/m365agentsplayground/cli.js"

if $build; then
  if [[ ! -f "$pg_cli" || "$pg_dir/package-lock.json" -nt "$pg_dir/node_modules/.package-lock.json" ]]; then
    say "Installing the Microsoft 365 Agents Playground (npm ci in tools/playground)"
    npm ci --prefix "$pg_dir" --no-audit --no-fund --loglevel=error
  fi
  say "Building the bot"
  # The NuGet certificate revocation check stalls on machines without access to the CRL servers.
  export NUGET_CERT_REVOCATION_MODE="${NUGET_CERT_REVOCATION_MODE:-offline}"
  dotnet build "$repo/src/TeamsRolloutBot" -c Debug --nologo -v quiet -clp:ErrorsOnly
fi
[[ -f "$pg_cli" ]] || die "the Playground is not installed: run npm ci --prefix tools/playground (or drop --no-build)."
[[ -f "$bot_dll" ]] || die "the bot is not built: run dotnet build src/TeamsRolloutBot (or drop --no-build)."

db="$state/playground.db"
if ! $keep_data; then
  rm -f "$db" "$db-wal" "$db-shm"
fi

bot_pid=""
pg_pid=""
cleanup() {
  trap - EXIT INT TERM
  [[ -n "$pg_pid" ]] && kill "$pg_pid" 2>/dev/null || true
  [[ -n "$bot_pid" ]] && kill "$bot_pid" 2>/dev/null || true
  wait 2>/dev/null || true
}
trap cleanup EXIT
trap 'echo; say "Stopping"; exit 0' INT TERM

port_in_use() {
  node -e "const s=require('net').connect($1,'127.0.0.1');s.on('connect',()=>process.exit(0));s.on('error',()=>process.exit(1))"
}
if port_in_use "$bot_port"; then
  die "port $bot_port on 127.0.0.1 is already in use (another bot still running?); stop it or use --bot-port."
fi

say "Starting the bot on http://127.0.0.1:$bot_port (local Playground mode, plan: ${plan#"$repo"/})"
(
  cd "$repo/src/TeamsRolloutBot"
  export ASPNETCORE_ENVIRONMENT=Development
  export ASPNETCORE_URLS="http://127.0.0.1:$bot_port"
  export Bot__LocalPlayground=true
  export Rollout__PlanPath="$plan"
  export Storage__SqlitePath="$db"
  # Scheduled sends that go out before the Playground has talked to the bot need its connector address.
  export Delivery__DefaultServiceUrl="${Delivery__DefaultServiceUrl:-http://localhost:$pg_port/_connector}"
  export Telemetry__Exporter="${Telemetry__Exporter:-none}"
  exec dotnet "$bot_dll"
) > >(sed -u 's/^/[bot] /') 2>&1 &
bot_pid=$!

healthy=false
for _ in $(seq 1 120); do
  kill -0 "$bot_pid" 2>/dev/null || die "the bot stopped during start-up (see the [bot] lines above)."
  if node -e "fetch('http://127.0.0.1:$bot_port/healthz').then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))"; then
    healthy=true
    break
  fi
  sleep 0.5
done
$healthy || die "the bot did not answer http://127.0.0.1:$bot_port/healthz within 60 s."

say "Starting the Agents Playground (you are: $as)"
pg_out="$state/playground.out"
pg_log="$state/playground.log"
: > "$pg_out"
(
  cd "$pg_dir"
  export TEAMSAPPTESTER_BROWSER=none                       # do not try to open a browser (headless machines)
  export M365_AGENTS_PLAYGROUND_CONFIG_PATH="$pg_config"   # users, chats, team and channels
  export M365_AGENTS_PLAYGROUND_LOGFILE="$pg_log"          # its console log; otherwise ./devTools/ in the cwd
  exec node --require ./loopback.cjs "$pg_cli" start \
    --app-endpoint "http://127.0.0.1:$bot_port/api/messages" \
    --channel-id msteams --port "$pg_port" --disable-telemetry
) > "$pg_out" 2>&1 &
pg_pid=$!

actual_port=""
for _ in $(seq 1 60); do
  kill -0 "$pg_pid" 2>/dev/null || { cat "$pg_out" "$pg_log" >&2 2>/dev/null; die "the Playground stopped during start-up."; }
  actual_port="$(sed -n 's/^Listening on \([0-9]*\).*/\1/p' "$pg_out" | head -n1)"
  [[ -n "$actual_port" ]] && break
  sleep 0.5
done
[[ -n "$actual_port" ]] || die "the Playground did not start within 30 s (log: $pg_log)."
sleep 0.5
if ! kill -0 "$pg_pid" 2>/dev/null || grep -q 'Failed to start' "$pg_log" 2>/dev/null; then
  cat "$pg_log" >&2
  die "the Playground could not start (its configuration is $pg_config)."
fi

url="http://127.0.0.1:$actual_port"
cat <<EOF

  ┌──────────────────────────────────────────────────────────────────────┐
    Microsoft 365 Agents Playground:  $url
  └──────────────────────────────────────────────────────────────────────┘
    Open it in a browser on this machine (from elsewhere: ssh -L $actual_port:127.0.0.1:$actual_port ...).
    You are $(sed -n '/^currentUser:/,/^users:/s/^  name: //p' "$pg_config"); the bot welcomes you, then type: help
    Channels: pick "Intune rollout" under Teams Channel and @mention the bot. More: docs/playground.md
    Bot log: the [bot] lines below.  Playground log: ${pg_log#"$repo"/}.  Stop: Ctrl-C

EOF

# Whichever stops first ends the session; the EXIT trap stops the other.
set +e
wait -n "$bot_pid" "$pg_pid"
status=$?
set -e
if ! kill -0 "$bot_pid" 2>/dev/null; then
  die "the bot stopped (exit code $status)."
fi
tail -n 20 "$pg_log" >&2 2>/dev/null || true
die "the Playground stopped (exit code $status)."
