# Sourced by the bench scripts: the port an `evently serve --port 0` announced in its log.
# Usage: port=$(announced_port LOGFILE) — fails after ten seconds without one.
announced_port() {
  local log=$1 port=
  for _ in $(seq 1 200); do
    port=$(grep -oE 'listening on http://[^:]+:[0-9]+' "$log" | grep -oE '[0-9]+$' || true)
    [[ -n "$port" ]] && { echo "$port"; return 0; }
    sleep 0.05
  done
  cat "$log" >&2
  return 1
}
