#!/usr/bin/env bash
# BENCH.md fan-out: builds Release, starts `evently serve` on 127.0.0.1 with SQLite, runs
# bench/fan_out.cpp (10,000 WebSocket subscribers on one event, a burst of 1,000 seat changes),
# stops everything. Usage: bench/fan_out.sh [subscribers] [changes] [holders]
# EVENTLY_BIN / FAN_OUT_BIN: run those binaries instead of building build/release (paired runs of
# two builds); extra generator flags go in FAN_OUT_FLAGS.
set -euo pipefail
cd "$(dirname "$0")/.."
subscribers=${1:-10000}
changes=${2:-1000}
holders=${3:-8}
# Every subscriber is a socket on both sides: raise the open-file limit as far as allowed.
ulimit -n "$(ulimit -Hn)"
if (( $(ulimit -n) < subscribers + 512 )); then
  echo "fan_out: open-file limit $(ulimit -n) is too low for $subscribers subscribers" >&2
  exit 1
fi
if [[ -z "${EVENTLY_BIN:-}" || -z "${FAN_OUT_BIN:-}" ]]; then
  scripts/deps.sh
  scripts/build.sh release --target evently fan_out >/dev/null
fi
source bench/lib.sh
url=$(bench_store_url sqlite fanout)
export EVENTLY_WS_MAX_CONNECTIONS=$((subscribers + 1000))
bench_start_server "$url"
# shellcheck disable=SC2086 # FAN_OUT_FLAGS is a list of flags
timeout 300 "${FAN_OUT_BIN:-build/release/bench/fan_out}" ${FAN_OUT_FLAGS:-} --port "$bench_port" --database-url "$url" \
  --server-pid "$bench_server_pid" --subscribers "$subscribers" --changes "$changes" \
  --holders "$holders"
