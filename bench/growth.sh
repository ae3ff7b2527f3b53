#!/usr/bin/env bash
# BENCH.md growth: booking p50 and dashboard latency with 0, 100k and 1M bookings stored.
# Usage: bench/growth.sh [sqlite|postgres|both] [steps, default 0,100000,1000000]
set -euo pipefail
cd "$(dirname "$0")/.."
engines=${1:-both}
steps=${2:-0,100000,1000000}
[[ "$engines" == both ]] && engines="sqlite postgres"
scripts/deps.sh
scripts/build.sh release --target evently growth >/dev/null
source bench/lib.sh
for engine in $engines; do
  url=$(bench_store_url "$engine" growth)
  bench_start_server "$url"
  build/release/bench/growth --port "$bench_port" --database-url "$url" --steps "$steps" \
    --label "$engine"
  bench_report_wal "$url"
  bench_stop_server
  bench_stop_postgres
done
