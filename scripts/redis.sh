#!/usr/bin/env bash
# Throwaway Redis for tests and the cluster: `scripts/redis.sh start DIR` prints a URL;
# `pause DIR` stops it keeping DIR and its port, `resume DIR` starts it again on that port (outage
# tests); `stop DIR` stops it by its pid file and removes DIR. Nothing is persisted (no RDB, no
# AOF): the counters it keeps are worth a minute at most.
set -euo pipefail
cmd=$1
dir=$2
run() {
  local port=$1
  redis-server --bind 127.0.0.1 --port "$port" --dir "$dir" --daemonize yes \
    --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --save '' --appendonly no \
    --protected-mode yes >/dev/null
  for _ in $(seq 1 100); do
    [[ "$(redis-cli -p "$port" ping 2>/dev/null || true)" == PONG ]] && return 0
    sleep 0.05
  done
  echo "redis: did not answer on port $port (see $dir/redis.log)" >&2
  return 1
}
source "$(dirname "$0")/pidfile.sh"
halt() { stop_pidfile "$dir/redis.pid" 10; }
case "$cmd" in
  start)
    mkdir -p "$dir"
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    echo "$port" >"$dir/port"
    run "$port"
    echo "redis://127.0.0.1:$port/0"
    ;;
  pause)
    halt
    ;;
  resume)
    run "$(cat "$dir/port")"
    ;;
  stop)
    halt
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|pause|resume|stop DIR" >&2
    exit 2
    ;;
esac
