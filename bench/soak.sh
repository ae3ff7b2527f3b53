#!/usr/bin/env bash
# BENCH.md soak: N minutes of mixed load (browse, seat maps with 304s, hold, confirm, cancel,
# waitlist, WebSocket subscribers that reconnect) against a Release `evently serve` on 127.0.0.1,
# on SQLite or a throwaway PostgreSQL; bench/soak.cpp prints each minute's requests, failures,
# latency and the server's RSS, fds and threads, then a verdict on their growth. Exits non-zero on
# any 5xx or a leak verdict. Everything it started is stopped by PID, also on Ctrl-C.
# Usage: bench/soak.sh [--minutes 10] [--engine sqlite|postgres] [generator flags, e.g. --users 32]
# EVENTLY_BIN: the server binary to load (default: this tree's Release build).
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=10
engine=sqlite
flags=()
while (($#)); do
  case "$1" in
    --minutes) minutes=$2; shift 2 ;;
    --engine) engine=$2; shift 2 ;;
    *) flags+=("$1"); shift ;;
  esac
done
[[ "$engine" == sqlite || "$engine" == postgres ]] || { echo "soak: unknown engine $engine" >&2; exit 2; }
scripts/deps.sh
scripts/build.sh release --target evently soak >/dev/null
source bench/lib.sh
soak_pid=
soak_cleanup() {
  if [[ -n "$soak_pid" ]]; then
    kill "$soak_pid" 2>/dev/null || true
    wait "$soak_pid" 2>/dev/null || true
  fi
  bench_cleanup
}
# Ctrl-C and TERM end the script at once (bash would otherwise wait for the generator to finish);
# the EXIT trap then stops the generator, the server and PostgreSQL.
trap soak_cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
url=$(bench_store_url "$engine" soak)
# Abandoned holds expire within the run, so the expiry job is part of the soak.
export EVENTLY_HOLD_SECONDS=${EVENTLY_HOLD_SECONDS:-60}
bench_start_server "$url"
echo "soak [$engine]: server PID $bench_server_pid on 127.0.0.1:$bench_port, $minutes min"
# In the background and waited for, so a signal reaches the trap at once; bounded beyond the run.
timeout $((minutes * 60 + 180)) build/release/bench/soak --port "$bench_port" \
  --server-pid "$bench_server_pid" --minutes "$minutes" "${flags[@]}" &
soak_pid=$!
status=0
wait "$soak_pid" || status=$?
soak_pid=
# What stayed behind, while the server still runs: its descriptors by kind, and the SQLite
# store's largest tables (rows the load left; the store grows, the server's memory must not).
echo "server descriptors after the load, by kind:"
for fd in /proc/"$bench_server_pid"/fd/*; do readlink "$fd" || true; done \
  | sed -E 's/:\[[0-9]+\]$//; s#^/.*/##' | sort | uniq -c | sort -rn | head -12
bench_report_wal "$url"
if [[ $url == sqlite:* ]]; then
  echo "sqlite store file: $(( $(stat -c %s "${url#sqlite:}") / 1048576 )) MiB; largest tables (MiB):"
  command -v sqlite3 >/dev/null && sqlite3 -readonly "${url#sqlite:}" \
    "SELECT printf('%8.1f  %s', SUM(pgsize) / 1048576.0, name) FROM dbstat GROUP BY name
     ORDER BY SUM(pgsize) DESC LIMIT 8" || echo "  (no sqlite3 with dbstat here)"
fi
if ! kill -0 "$bench_server_pid" 2>/dev/null; then
  echo "soak: the server is no longer running; its log:" >&2
  tail -20 "$bench_work/server.log" >&2
  status=1
fi
if grep -qiE '"level":"(error|critical)"|\[(error|critical)\]' "$bench_work/server.log"; then
  echo "soak: errors in the server log:" >&2
  grep -iE '"level":"(error|critical)"|\[(error|critical)\]' "$bench_work/server.log" | tail -10 >&2
fi
exit "$status"
