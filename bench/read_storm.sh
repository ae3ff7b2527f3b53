#!/usr/bin/env bash
# read-storm (BENCH.md): GET /events, GET /events/{id}, the 10k and 50k seat maps (gzip, and
# 304 via If-None-Match), each as a ratio to GET /health in the same run, on SQLite and on a
# throwaway PostgreSQL. Release build, wrk on 127.0.0.1, bounded durations.
# Knobs (environment): DURATION=5s CONNECTIONS=64 THREADS=1 ROUNDS=3 ENGINES="sqlite postgres"
set -euo pipefail
cd "$(dirname "$0")/.."
command -v wrk >/dev/null || { echo "read-storm: wrk is not installed" >&2; exit 1; }
scripts/build.sh release --target evently >/dev/null
exec /usr/bin/python3 bench/read_storm.py "$@"
