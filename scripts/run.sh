#!/usr/bin/env bash
# Command 1: install what is missing, build Release, load the demo data into SQLite, serve on :8000.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh release --target evently
export EVENTLY_DATABASE_URL=${EVENTLY_DATABASE_URL:-sqlite:./data/evently.db}
build/release/src/evently seed-demo
exec build/release/src/evently serve "$@"
