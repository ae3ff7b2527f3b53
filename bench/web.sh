#!/usr/bin/env bash
# Issue 19's web benchmark (not a test): builds Release, serves the demo data on SQLite at
# 127.0.0.1, and in headless Chromium times navigation to an interactive 50,000-seat map and, with
# 1,000 seat changes a second committed by other clients, each seat's repaint; prints the page's
# main-thread long tasks during that burst. Usage: bench/web.sh [runs] [changes/s] [seconds]
# EVENTLY_BIN: run that binary instead of building build/release.
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ -z "${EVENTLY_BIN:-}" ]]; then
  scripts/deps.sh --test
  scripts/build.sh release --target evently >/dev/null
fi
source bench/lib.sh
url=$(bench_store_url sqlite web)
EVENTLY_DATABASE_URL=$url EVENTLY_PASSWORD_HASH=fast "${EVENTLY_BIN:-build/release/src/evently}" seed-demo >/dev/null
bench_start_server "$url"
node bench/web.mjs --base "http://127.0.0.1:$bench_port" --runs "${1:-5}" --rate "${2:-1000}" --seconds "${3:-10}"
