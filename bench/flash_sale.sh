#!/usr/bin/env bash
# BENCH.md flash-sale on both engines: Release build, `evently serve` on 127.0.0.1 (and a
# throwaway PostgreSQL), bench/flash_sale.cpp against it, then bench/hold_store.cpp on the same
# store without HTTP; everything stopped afterwards.
# Usage: bench/flash_sale.sh [sqlite|postgres|both] [users] [seconds] [connections]
# connections: keep-alive connections carrying the users' requests (default: one per user).
# EVENTLY_BIN: the server binary to load (default: this tree's Release build), for paired runs of
# two builds; the store-only run afterwards is always this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
engines=${1:-both}
users=${2:-1000}
seconds=${3:-30}
connections=${4:-$users}
[[ "$engines" == both ]] && engines="sqlite postgres"
scripts/deps.sh
scripts/build.sh release --target evently flash_sale hold_store >/dev/null
source bench/lib.sh
for engine in $engines; do
  url=$(bench_store_url "$engine" flash)
  bench_start_server "$url"
  build/release/bench/flash_sale --port "$bench_port" --users "$users" --seconds "$seconds" \
    --connections "$connections" --server-pid "$bench_server_pid" \
    --database-url "$url" --label "$engine"
  bench_report_wal "$url"
  bench_stop_server
  # The same storm on the store alone (no HTTP), 64 threads: what the booking engine can do.
  build/release/bench/hold_store --database-url "$url" --threads 64
  bench_stop_postgres
done
