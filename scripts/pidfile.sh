# Sourced by scripts/redis.sh and scripts/cluster.sh: stop_pidfile FILE [SECONDS] stops the
# process whose pid FILE holds (SIGTERM, then SIGKILL after SECONDS, default 20) and removes
# FILE; nothing when FILE is missing or the process is gone.
stop_pidfile() {
  local file=$1 tenths=$((${2:-20} * 10)) pid
  [[ -f $file ]] || return 0
  pid=$(cat "$file")
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 1 "$tenths"); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
