# Shared by the bench/*.sh scripts: a work dir, a throwaway PostgreSQL, `evently serve` on a free
# port, and cleanup of everything started. Source it after `cd` to the project root.
bench_work=$(mktemp -d /tmp/evently-bench.XXXXXX)
chmod 755 "$bench_work"
bench_server_pid=
bench_cleanup() {
  bench_stop_server
  [[ -d "$bench_work/pg" ]] && scripts/pg.sh stop "$bench_work/pg"
  rm -rf "$bench_work"
}
trap bench_cleanup EXIT INT TERM

# Prints the store URL for an engine (sqlite or postgres), starting PostgreSQL when needed.
bench_store_url() {
  if [[ $1 == sqlite ]]; then
    echo "sqlite:$bench_work/$2.db"
  else
    # Durable settings (fsync, synchronous commit): figures a production node would see.
    [[ -d "$bench_work/pg" ]] || EVENTLY_PG_DURABLE=1 scripts/pg.sh start "$bench_work/pg" >/dev/null
    echo "postgresql://postgres@127.0.0.1:$(cat "$bench_work/pg/port")/postgres"
  fi
}

# bench_start_server URL: runs the Release server (or $EVENTLY_BIN) with load-test settings;
# sets bench_port.
bench_start_server() {
  local bin=${EVENTLY_BIN:-build/release/src/evently}
  export EVENTLY_DATABASE_URL="$1" EVENTLY_RATE_LIMITS=off EVENTLY_ACCESS_LOG=false \
         EVENTLY_PASSWORD_HASH=fast
  "$bin" admin create --email admin@evently.com --password 'AdminPass123!' \
    --name "Bench Admin" >/dev/null
  "$bin" serve --port 0 --log-level info 2>"$bench_work/server.log" &
  bench_server_pid=$!
  bench_port=
  for _ in $(seq 1 200); do
    bench_port=$(grep -oE 'listening on http://[^:]+:[0-9]+' "$bench_work/server.log" \
                 | grep -oE '[0-9]+$' || true)
    [[ -n "$bench_port" ]] && return 0
    sleep 0.05
  done
  cat "$bench_work/server.log" >&2
  return 1
}

bench_stop_server() {
  if [[ -n "$bench_server_pid" ]]; then
    kill "$bench_server_pid" 2>/dev/null || true
    wait "$bench_server_pid" 2>/dev/null || true
    bench_server_pid=
  fi
}

bench_stop_postgres() {
  [[ -d "$bench_work/pg" ]] && scripts/pg.sh stop "$bench_work/pg"
  return 0
}

# bench_report_wal URL: for a SQLite store, the size of its WAL file while the server still runs
# (it is cut back to 64 MiB only when it starts over after a checkpoint, and removed when the
# last connection closes).
bench_report_wal() {
  [[ $1 == sqlite:* ]] || return 0
  local wal="${1#sqlite:}-wal"
  [[ -f "$wal" ]] && echo "sqlite WAL file: $(( $(stat -c %s "$wal") / 1048576 )) MiB"
  return 0
}

# bench_logged_storm NAME SQL...: the store-only storm (bench/hold_store, 64 threads, Release) on
# a throwaway durable PostgreSQL set up first with the given SQL commands (what it should log);
# sets bench_pg_log to that server's log. The caller reads the log, then bench_stop_postgres.
bench_logged_storm() {
  local name=$1 url
  shift
  scripts/build.sh release --target hold_store >/dev/null
  url=$(bench_store_url postgres "$name")
  local commands=()
  for sql in "$@" "SELECT pg_reload_conf()"; do commands+=(-c "$sql"); done
  psql -q "$url" "${commands[@]}" >/dev/null
  build/release/bench/hold_store --database-url "$url" --threads 64
  bench_pg_log=$bench_work/pg/server.log
}
