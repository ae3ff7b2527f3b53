#!/usr/bin/env bash
# The flash sale (bench/flash_sale.cpp) through HAProxy on scripts/cluster.sh, one run, three
# setups on a durable PostgreSQL with limits on (quotas too wide to refuse anything, so that every
# request pays for its decision): 1 node counting limits in memory, 1 node counting them in
# Redis, 3 nodes sharing them in Redis. Per setup: attempts/s, seats held/s, hold p99, each
# node's CPU, HAProxy's, Redis' and PostgreSQL's CPU, and Redis' share of the nodes' request time (the time
# requests waited on limit decisions over the time they took, from /metrics).
# Usage: bench/cluster.sh [users=1000] [seconds=20] [connections=64]
set -euo pipefail
cd "$(dirname "$0")/.."
users=${1:-1000}
seconds=${2:-20}
connections=${3:-64}
scripts/deps.sh
scripts/build.sh release --target evently flash_sale >/dev/null
work=$(mktemp -d /tmp/evently-bench-cluster.XXXXXX)
chmod 755 "$work"
export EVENTLY_CLUSTER_DIR=$work/cluster EVENTLY_BIN=$PWD/build/release/src/evently
export EVENTLY_PG_DURABLE=1 EVENTLY_PASSWORD_HASH=fast EVENTLY_ACCESS_LOG=false
export EVENTLY_RATE_LIMITS=on EVENTLY_RATE_LIMIT_PUBLIC=1000000000
export EVENTLY_RATE_LIMIT_AUTHENTICATED=1000000000 EVENTLY_RATE_LIMIT_BOOKING=1000000000
export EVENTLY_RATE_LIMIT_ADMIN=1000000000
trap 'scripts/cluster.sh stop >/dev/null; rm -rf "$work"' EXIT INT TERM

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
# PostgreSQL's CPU so far: the postmaster, its live children and the children it reaped.
pg_ticks() {
  local main
  main=$(head -1 "$EVENTLY_CLUSTER_DIR/pg/data/postmaster.pid")
  {
    awk '{print $14 + $15 + $16 + $17}' "/proc/$main/stat"
    for child in $(pgrep -P "$main"); do cpu_ticks "$child"; done
  } | awk '{t += $1} END {print t}'
}
# sum_metric NAME: the sum over every node of a /metrics series (all labels), as a number.
sum_metric() {
  local total=0 n
  for n in $(seq 1 "$(cat "$EVENTLY_CLUSTER_DIR/nodes")"); do
    total=$(curl -s "http://127.0.0.1:$(cat "$EVENTLY_CLUSTER_DIR/node$n.port")/metrics" |
      awk -v name="$1" -v t="$total" '$1 == name || index($1, name "{") == 1 {t += $2} END {print t}')
  done
  echo "$total"
}

run() {  # run LABEL NODES REDIS(on|off)
  local label=$1 nodes=$2 lines balancer db pids=() before=() after=() n hz
  lines=$(EVENTLY_CLUSTER_REDIS=$3 scripts/cluster.sh start "$nodes")
  balancer=$(echo "$lines" | tail -2 | head -1)
  db=$(echo "$lines" | tail -1)
  EVENTLY_DATABASE_URL=$db "$EVENTLY_BIN" admin create --email admin@evently.com \
    --password 'AdminPass123!' --name "Bench Admin" >/dev/null
  for n in $(seq 1 "$nodes"); do pids+=("$(cat "$EVENTLY_CLUSTER_DIR/node$n.pid")"); done
  pids+=("$(cat "$EVENTLY_CLUSTER_DIR/haproxy.pid")" "$(cat "$EVENTLY_CLUSTER_DIR/redis/redis.pid")")
  for p in "${pids[@]}"; do before+=("$(cpu_ticks "$p")"); done
  local redis_before req_before pg_before
  pg_before=$(pg_ticks)
  redis_before=$(sum_metric evently_rate_limit_redis_seconds_total)
  req_before=$(sum_metric evently_http_request_duration_seconds_sum)
  local started=$SECONDS
  build/release/bench/flash_sale --port "${balancer##*:}" --users "$users" --seconds "$seconds" \
    --connections "$connections" --database-url "$db" --label "$label" | tee "$work/$label.out"
  local wall=$((SECONDS - started))
  for p in "${pids[@]}"; do after+=("$(cpu_ticks "$p")"); done
  local redis_s req_s
  redis_s=$(awk -v a="$(sum_metric evently_rate_limit_redis_seconds_total)" -v b="$redis_before" 'BEGIN {print a - b}')
  req_s=$(awk -v a="$(sum_metric evently_http_request_duration_seconds_sum)" -v b="$req_before" 'BEGIN {print a - b}')
  hz=$(getconf CLK_TCK)
  echo "  CPU over the whole run (${wall} s: setup, /health probe, storm), in cores:"
  for n in $(seq 1 "$nodes"); do
    awk -v a="${after[n - 1]}" -v b="${before[n - 1]}" -v hz="$hz" -v w="$wall" -v n="$n" \
      'BEGIN {printf "    node %d      %5.2f\n", n, (a - b) / hz / w}'
  done
  awk -v a="${after[nodes]}" -v b="${before[nodes]}" -v hz="$hz" -v w="$wall" \
    'BEGIN {printf "    haproxy     %5.2f\n", (a - b) / hz / w}'
  awk -v a="${after[nodes + 1]}" -v b="${before[nodes + 1]}" -v hz="$hz" -v w="$wall" \
    'BEGIN {printf "    redis       %5.2f\n", (a - b) / hz / w}'
  awk -v a="$(pg_ticks)" -v b="$pg_before" -v hz="$hz" -v w="$wall" \
    'BEGIN {printf "    postgresql  %5.2f\n", (a - b) / hz / w}'
  awk -v r="$redis_s" -v q="$req_s" 'BEGIN {
    printf "  Redis: %.2f s of %.2f s request time (%.1f%%) waiting on limit decisions\n", r, q,
      (q > 0 ? 100 * r / q : 0)}'
  scripts/cluster.sh stop >/dev/null
}

run "1-node-memory-limits" 1 off
run "1-node-redis-limits" 1 on
run "3-nodes-redis-limits" 3 on
echo
echo "summary (attempts/s, seats held/s, hold p99 ms):"
for label in 1-node-memory-limits 1-node-redis-limits 3-nodes-redis-limits; do
  grep '^JSON' "$work/$label.out" | sed 's/^JSON //' |
    jq -r --arg l "$label" '"  \($l): \(.attempts_per_s | floor), \(.seats_held_per_s | floor), \(.hold_ms.p99 * 10 | floor / 10), 5xx \(.server_errors), invariants \(.invariants_ok)"'
done
