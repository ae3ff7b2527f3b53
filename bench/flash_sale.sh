#!/usr/bin/env bash
# BENCH.md flash-sale on both engines: builds Release, starts `evently serve` on 127.0.0.1 (and a
# throwaway PostgreSQL), creates the admin, runs bench/flash_sale.cpp, stops everything.
# Usage: bench/flash_sale.sh [sqlite|postgres|both] [users] [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/serve.sh
engines=${1:-both}
users=${2:-1000}
seconds=${3:-30}
[[ "$engines" == both ]] && engines="sqlite postgres"
scripts/deps.sh
scripts/build.sh release --target evently flash_sale >/dev/null
bin=build/release/src/evently
work=$(mktemp -d /tmp/evently-bench.XXXXXX)
chmod 755 "$work"
server_pid=
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null || true
  [[ -d "$work/pg" ]] && scripts/pg.sh stop "$work/pg"
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

for engine in $engines; do
  if [[ $engine == sqlite ]]; then
    url="sqlite:$work/flash.db"
  else
    base=$(scripts/pg.sh start "$work/pg")
    url="$base"
  fi
  export EVENTLY_DATABASE_URL="$url" EVENTLY_RATE_LIMITS=off EVENTLY_ACCESS_LOG=false \
         EVENTLY_PASSWORD_HASH=fast EVENTLY_LOG_LEVEL=warn
  "$bin" admin create --email admin@evently.com --password AdminPass123! --name "Bench Admin" >/dev/null
  "$bin" serve --port 0 --log-level info 2>"$work/server.log" &
  server_pid=$!
  port=$(announced_port "$work/server.log")
  build/release/bench/flash_sale --port "$port" --users "$users" --seconds "$seconds" \
    --database-url "$url" --label "$engine"
  kill "$server_pid"; wait "$server_pid" || true
  server_pid=
  if [[ $engine == postgres ]]; then scripts/pg.sh stop "$work/pg"; fi
done
