#!/usr/bin/env bash
# BENCH.md flash-sale on both engines: Release build, `evently serve` on 127.0.0.1 (and a
# throwaway PostgreSQL), bench/flash_sale.cpp against it, everything stopped afterwards.
# Usage: bench/flash_sale.sh [sqlite|postgres|both] [users] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
engines=${1:-both}
users=${2:-1000}
seconds=${3:-30}
[[ "$engines" == both ]] && engines="sqlite postgres"
scripts/deps.sh
scripts/build.sh release --target evently flash_sale >/dev/null
source bench/lib.sh
for engine in $engines; do
  url=$(bench_store_url "$engine" flash)
  bench_start_server "$url"
  build/release/bench/flash_sale --port "$bench_port" --users "$users" --seconds "$seconds" \
    --database-url "$url" --label "$engine"
  bench_stop_server
  bench_stop_postgres
done
