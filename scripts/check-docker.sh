#!/usr/bin/env bash
# Builds the container image where a working Docker engine exists and checks that it runs as non-root
# with port 3978 and the /data volume. Without an engine it says why it skipped and exits 0.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v docker >/dev/null 2>&1; then
  echo "check-docker: SKIPPED - no docker client on this machine"
  exit 0
fi
if ! docker info >/dev/null 2>&1; then
  echo "check-docker: SKIPPED - docker client present but no working engine ('docker info' failed)"
  exit 0
fi

image="teamsrolloutbot:ci-$$"
trap 'docker image rm -f "$image" >/dev/null 2>&1 || true' EXIT
docker build --pull -t "$image" .

user="$(docker image inspect -f '{{.Config.User}}' "$image")"
ports="$(docker image inspect -f '{{json .Config.ExposedPorts}}' "$image")"
volumes="$(docker image inspect -f '{{json .Config.Volumes}}' "$image")"
uid="$(docker run --rm --entrypoint id "$image" -u)"
fail=0
[ "$uid" != "0" ] || { echo "check-docker: image runs as root (uid 0)" >&2; fail=1; }
[ -n "$user" ] && [ "$user" != "root" ] && [ "$user" != "0" ] || { echo "check-docker: USER is '$user'" >&2; fail=1; }
[[ "$ports" == *'"3978/tcp"'* ]] || { echo "check-docker: port 3978 not exposed ($ports)" >&2; fail=1; }
[[ "$volumes" == *'"/data"'* ]] || { echo "check-docker: /data is not a volume ($volumes)" >&2; fail=1; }
docker run --rm --entrypoint sh "$image" -c 'touch /data/.w && rm /data/.w' || { echo "check-docker: /data is not writable by the app user" >&2; fail=1; }
[ "$fail" -eq 0 ] || exit 1
echo "check-docker: image builds, runs as uid $uid, exposes 3978, /data is a writable volume"
