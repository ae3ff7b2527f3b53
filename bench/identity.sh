#!/usr/bin/env bash
# Identity figures on a Release build (wrk on 127.0.0.1, bounded runs; see BENCH.md):
#   login/s at the default (interactive) Argon2id cost, authenticated GET /users/profile as a
#   ratio to GET /health in the same run, and /health with rate limits on vs off.
# usage: bench/identity.sh [DATABASE_URL]   (default: a fresh SQLite file)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${EVENTLY_BIN:-build/release/src/evently}
duration=${DURATION:-5s}
connections=${CONNECTIONS:-32}
work=$(mktemp -d /tmp/evently-bench.XXXXXX)
url=${1:-sqlite:$work/bench.db}
pid=""
cleanup() {
  if [[ -n $pid ]]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT INT TERM

start() {  # start <rate_limits on|off>
  EVENTLY_DATABASE_URL=$url EVENTLY_PORT=0 EVENTLY_ACCESS_LOG=false EVENTLY_RATE_LIMITS=$1 \
    EVENTLY_RATE_LIMIT_PUBLIC=1000000000 "$bin" serve 2>"$work/server.log" &
  pid=$!
  for _ in $(seq 100); do
    port=$(grep -oP 'listening on http://[^:]+:\K[0-9]+' "$work/server.log" || true)
    [[ -n $port ]] && return 0
    sleep 0.1
  done
  cat "$work/server.log"; exit 1
}
stop() { kill "$pid"; wait "$pid" || true; pid=""; }
rps() { wrk -t1 -c"$connections" -d"$duration" "$@" | awk '/Requests\/sec/ {print $2}'; }

start off
base=http://127.0.0.1:$port
email="bench-$RANDOM@example.com"
token=$(curl -sf -XPOST "$base/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d "{\"email\":\"$email\",\"password\":\"bench1password\",\"full_name\":\"Bench\"}" |
  python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["access_token"])')
cat >"$work/login.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"email":"$email","password":"bench1password"}'
LUA
health=$(rps "$base/health")
profile=$(rps -H "Authorization: Bearer $token" "$base/api/v1/users/profile")
health2=$(rps "$base/health")
login=$(wrk -t1 -c8 -d"$duration" -s "$work/login.lua" "$base/api/v1/auth/login" |
  awk '/Requests\/sec/ {print $2}')
public_off=$(rps "$base/api/v1")
stop
start on
base=http://127.0.0.1:$port
health_on=$(rps "$base/health")
public_on=$(rps "$base/api/v1")
stop

python3 - "$health" "$profile" "$health2" "$login" "$public_off" "$health_on" "$public_on" <<'PY'
import sys
h, p, h2, login, pub_off, h_on, pub_on = map(float, sys.argv[1:])
print(f"GET /health (limits off)         {h:10.0f} req/s  (again after profile: {h2:.0f})")
print(f"GET /users/profile (bearer)      {p:10.0f} req/s  = {p / h:.2f} x /health")
print(f"POST /auth/login (interactive)   {login:10.1f} req/s")
print(f"GET /health  limits on           {h_on:10.0f} req/s  = {h_on / h:.2f} x off")
print(f"GET /api/v1  limits off / on     {pub_off:10.0f} / {pub_on:.0f} req/s  = {pub_on / pub_off:.2f}")
PY
