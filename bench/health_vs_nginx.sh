#!/usr/bin/env bash
# Issue 2's ceiling check: `wrk -t1 -c64 -d10s` on evently's GET /health next to nginx serving a
# static file, same machine, same run. 127.0.0.1 only; everything started here is stopped here.
set -euo pipefail
cd "$(dirname "$0")/.."
# EVENTLY_BIN: measure that binary instead of building and measuring build/release.
if [[ -z "${EVENTLY_BIN:-}" ]]; then
  EVENTLY_WITH_BENCH_TOOLS=1 scripts/deps.sh
  scripts/build.sh release --target evently >/dev/null
fi
bin=${EVENTLY_BIN:-build/release/src/evently}
work=$(mktemp -d /tmp/evently-health.XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

nginx_port=$(free_port)
mkdir -p "$work/www" "$work/nginx"
echo '{"success":true,"data":{"status":"ok"},"message":"alive","timestamp":"2026-01-01T00:00:00Z"}' >"$work/www/health.json"
cat >"$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $work/nginx; proxy_temp_path $work/nginx; fastcgi_temp_path $work/nginx;
  uwsgi_temp_path $work/nginx; scgi_temp_path $work/nginx;
  server { listen 127.0.0.1:$nginx_port; root $work/www; default_type application/json; }
}
CONF
nginx -c "$work/nginx.conf" -g 'daemon off;' &
pids+=($!)

EVENTLY_ACCESS_LOG=false EVENTLY_RATE_LIMITS=off EVENTLY_LOG_LEVEL=warn \
  "$bin" serve --port 0 --log-level info \
  --database-url "sqlite:$work/health.db" 2>"$work/evently.log" &
pids+=($!)
for _ in $(seq 1 100); do
  port=$(grep -oE 'listening on http://[^:]+:[0-9]+' "$work/evently.log" | grep -oE '[0-9]+$' || true)
  [[ -n "${port:-}" ]] && break
  sleep 0.05
done
sleep 0.3
run() { wrk -t1 -c64 -d"${SECONDS_PER_RUN:-10}"s "$1" | awk '/Requests\/sec/ {print $2}'; }
evently_rps=$(run "http://127.0.0.1:$port/health")
nginx_rps=$(run "http://127.0.0.1:$nginx_port/health.json")
ratio=$(/usr/bin/python3 -c "print(f'{$evently_rps/$nginx_rps:.2f}')")
printf '%-34s %12s\n' "evently GET /health req/s" "$evently_rps"
printf '%-34s %12s\n' "nginx static file req/s" "$nginx_rps"
printf '%-34s %12s\n' "evently / nginx" "$ratio"
echo "JSON {\"scenario\":\"health-vs-nginx\",\"evently_rps\":$evently_rps,\"nginx_rps\":$nginx_rps,\"ratio\":$ratio}"
