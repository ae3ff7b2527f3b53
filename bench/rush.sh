#!/usr/bin/env bash
# BENCH.md rush (the on-sale day) on one or both engines: Release build, `evently serve` on
# 127.0.0.1 (and a throwaway PostgreSQL); first bench/flash_sale on that server (the engine's own
# seats held/s, 1,000 users), then bench/rush.cpp against the same server, which admits at a share
# of that rate unless RUSH_ADMIT_PER_MINUTE is set; everything stopped afterwards.
# Usage: bench/rush.sh [sqlite|postgres|both] [users] [seats]
# RUSH_PRE_START_SECONDS: the span before the start in which half the users join (default 30; a
# dev run can make it short). RUSH_FLAGS: more bench/rush flags; FLASH_USERS: the flash sale's users.
set -euo pipefail
cd "$(dirname "$0")/.."
engines=${1:-both}
users=${2:-20000}
seats=${3:-10000}
[[ "$engines" == both ]] && engines="sqlite postgres"
# Every pooled connection and the flash sale's 1,000 are sockets on both sides.
ulimit -n "$(ulimit -Hn)"
scripts/deps.sh
scripts/build.sh release --target evently flash_sale rush >/dev/null
source bench/lib.sh
admit=()
[[ -n "${RUSH_ADMIT_PER_MINUTE:-}" ]] && admit=(--admit-per-minute "$RUSH_ADMIT_PER_MINUTE")
failed=0
for engine in $engines; do
  url=$(bench_store_url "$engine" rush)
  bench_start_server "$url"
  timeout 120 build/release/bench/flash_sale --port "$bench_port" --users "${FLASH_USERS:-1000}" \
    --seconds 30 --server-pid "$bench_server_pid" --database-url "$url" --label "$engine" \
    | tee "$bench_work/flash_$engine.out"
  # shellcheck disable=SC2086 # RUSH_FLAGS is a list of flags
  timeout 600 build/release/bench/rush --port "$bench_port" --users "$users" --seats "$seats" \
    --pre-start-seconds "${RUSH_PRE_START_SECONDS:-30}" --server-pid "$bench_server_pid" \
    --database-url "$url" --engine-report "$bench_work/flash_$engine.out" --label "$engine" \
    "${admit[@]}" ${RUSH_FLAGS:-} || failed=1
  bench_report_wal "$url"
  bench_stop_server
  bench_stop_postgres
done
exit "$failed"
