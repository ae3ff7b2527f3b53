#!/usr/bin/env bash
# Several Evently nodes as an operator runs them, on this machine: a throwaway PostgreSQL
# (scripts/pg.sh) and Redis (scripts/redis.sh), N `evently serve` nodes on free ports sharing
# both, and HAProxy in front on one port (health checks on /ready, WebSocket upgrades passed
# through, X-Forwarded-For set by it alone; the nodes trust only it).
#
#   scripts/cluster.sh start [nodes]   default 3; prints the balancer's URL, then the database's
#   scripts/cluster.sh status          what runs, each node's /ready
#   scripts/cluster.sh stop            stops everything it started, by PID, and removes the dir
#
# EVENTLY_CLUSTER_DIR: the throwaway directory (default /tmp/evently-cluster): pid files, ports
# (nodeN.port, balancer.port), URLs (database.url, redis.url), logs and haproxy.cfg.
# EVENTLY_BIN: the node binary (default build/release/src/evently). Other EVENTLY_* settings in
# the environment reach every node (EVENTLY_RATE_LIMIT_BOOKING, EVENTLY_HOLD_SECONDS ...).
# EVENTLY_CLUSTER_REDIS=off keeps the limits per node (Redis still runs; bench/cluster.sh
# compares the two).
# HAProxy connects to the nodes from 127.0.0.2, the one address they trust for X-Forwarded-For:
# a client talking to a node directly (from 127.0.0.1) cannot name another client IP.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dir=${EVENTLY_CLUSTER_DIR:-/tmp/evently-cluster}
bin=${EVENTLY_BIN:-$root/build/release/src/evently}
proxy_source=127.0.0.2

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}
alive() { [[ -f $1 ]] && kill -0 "$(cat "$1")" 2>/dev/null; }
# http_code URL: the status of a GET, 000 when nothing answers.
http_code() { curl -s -o /dev/null -m 2 -w '%{http_code}' "$1" || true; }

wait_ready() {  # wait_ready URL WHAT LOG
  for _ in $(seq 1 300); do
    [[ $(http_code "$1/ready") == 200 ]] && return 0
    sleep 0.1
  done
  echo "cluster: $2 did not become ready (see $3)" >&2
  tail -20 "$3" >&2 || true
  return 1
}

start_node() {  # start_node N
  local n=$1 port redis_url
  port=$(free_port)
  echo "$port" >"$dir/node$n.port"
  redis_url=$(cat "$dir/redis.url")
  [[ ${EVENTLY_CLUSTER_REDIS:-on} == off ]] && redis_url=""
  EVENTLY_DATABASE_URL=$(cat "$dir/database.url") EVENTLY_REDIS_URL=$redis_url \
    EVENTLY_HOST=127.0.0.1 EVENTLY_PORT=$port EVENTLY_TRUSTED_PROXIES=$proxy_source \
    "$bin" serve </dev/null >"$dir/node$n.access.log" 2>"$dir/node$n.log" &
  echo $! >"$dir/node$n.pid"
}

write_haproxy_config() {  # write_haproxy_config NODES
  local port
  port=$(free_port)
  echo "$port" >"$dir/balancer.port"
  {
    cat <<CFG
global
  # Each connection takes two descriptors (client and node side).
  maxconn 4096

defaults
  mode http
  timeout connect 1s
  timeout client 60s
  timeout server 30s
  timeout http-request 10s
  # A WebSocket, once upgraded, is a tunnel: live seat maps stay open for an hour of silence.
  timeout tunnel 1h
  # A connection refused by a dead node is tried again on another one (nothing was sent yet).
  retries 2
  option redispatch

frontend evently
  bind 127.0.0.1:$port
  # The balancer is the edge: whatever X-Forwarded-For a client sent is replaced by its address.
  http-request set-header X-Forwarded-For %[src]
  http-response set-header X-Served-By %s
  default_backend nodes

backend nodes
  balance roundrobin
  source $proxy_source
  option httpchk GET /ready
  http-check expect status 200
  default-server check inter 500ms fall 2 rise 2
CFG
    for n in $(seq 1 "$1"); do
      echo "  server node$n 127.0.0.1:$(cat "$dir/node$n.port")"
    done
  } >"$dir/haproxy.cfg"
}

print_urls() {
  echo "http://127.0.0.1:$(cat "$dir/balancer.port")"
  cat "$dir/database.url"
}

cmd_start() {
  local nodes=${1:-3}
  if alive "$dir/haproxy.pid"; then
    echo "cluster: already running in $dir"
    print_urls
    return 0
  fi
  [[ -x $bin ]] || { echo "cluster: no binary at $bin (scripts/build.sh release)" >&2; return 1; }
  for tool in haproxy redis-server; do
    command -v "$tool" >/dev/null || { echo "cluster: $tool missing (scripts/deps.sh --test)" >&2; return 1; }
  done
  mkdir -p "$dir"
  chmod 755 "$dir"
  [[ -f $dir/database.url ]] || scripts_pg start "$dir/pg" >"$dir/database.url"
  [[ -f $dir/redis.url ]] || "$root/scripts/redis.sh" start "$dir/redis" >"$dir/redis.url"
  # Migrate once, before the nodes race to (they would wait on the migration lock anyway).
  EVENTLY_DATABASE_URL=$(cat "$dir/database.url") "$bin" migrate >"$dir/migrate.log" 2>&1
  echo "$nodes" >"$dir/nodes"
  for n in $(seq 1 "$nodes"); do
    alive "$dir/node$n.pid" || start_node "$n"
  done
  for n in $(seq 1 "$nodes"); do
    wait_ready "http://127.0.0.1:$(cat "$dir/node$n.port")" "node $n" "$dir/node$n.log"
  done
  write_haproxy_config "$nodes"
  if ! haproxy -D -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid" >"$dir/haproxy.log" 2>&1; then
    echo "cluster: HAProxy did not start ($dir/haproxy.log):" >&2
    cat "$dir/haproxy.log" >&2
    return 1
  fi
  wait_ready "http://127.0.0.1:$(cat "$dir/balancer.port")" "the balancer" "$dir/haproxy.log"
  for n in $(seq 1 "$nodes"); do
    echo "node $n: http://127.0.0.1:$(cat "$dir/node$n.port") (pid $(cat "$dir/node$n.pid"))"
  done
  echo "redis: $(cat "$dir/redis.url")"
  echo "cluster: $nodes nodes behind HAProxy, state in $dir"
  print_urls
}

scripts_pg() { "$root/scripts/pg.sh" "$@"; }

source "$root/scripts/pidfile.sh"

cmd_stop() {
  if [[ ! -d $dir ]]; then
    echo "cluster: nothing running in $dir"
    return 0
  fi
  stop_pidfile "$dir/haproxy.pid"
  for file in "$dir"/node*.pid; do
    [[ -e $file ]] && stop_pidfile "$file"
  done
  [[ -d $dir/redis ]] && "$root/scripts/redis.sh" stop "$dir/redis"
  [[ -d $dir/pg ]] && scripts_pg stop "$dir/pg"
  rm -rf "$dir"
  echo "cluster: stopped"
}

cmd_status() {
  if [[ ! -d $dir ]]; then
    echo "cluster: not running ($dir)"
    return 1
  fi
  local ok=0
  for file in "$dir"/node*.pid; do
    [[ -e $file ]] || continue
    local n=${file##*/node}
    n=${n%.pid}
    local url="http://127.0.0.1:$(cat "$dir/node$n.port")"
    if alive "$file"; then
      echo "node $n: $url pid $(cat "$file"), /ready $(http_code "$url/ready")"
    else
      echo "node $n: $url not running"
      ok=1
    fi
  done
  if alive "$dir/haproxy.pid"; then
    echo "balancer: http://127.0.0.1:$(cat "$dir/balancer.port") pid $(cat "$dir/haproxy.pid")"
  else
    echo "balancer: not running"
    ok=1
  fi
  local redis_port
  redis_port=$(cat "$dir/redis/port" 2>/dev/null || echo 0)
  echo "redis: $(cat "$dir/redis.url" 2>/dev/null) $(redis-cli -p "$redis_port" ping 2>/dev/null || echo down)"
  echo "database: $(cat "$dir/database.url" 2>/dev/null)"
  return $ok
}

case "${1:-}" in
  start) cmd_start "${2:-3}" ;;
  stop) cmd_stop ;;
  status) cmd_status ;;
  *)
    echo "usage: $0 start [nodes] | status | stop   (EVENTLY_CLUSTER_DIR, EVENTLY_BIN)" >&2
    exit 2
    ;;
esac
