#!/usr/bin/env bash
# Throwaway PostgreSQL for tests: `scripts/pg.sh start DIR` prints a URL; `scripts/pg.sh stop DIR`.
# `pause`/`resume` stop and start the server (it refuses connections); `freeze`/`thaw` SIGSTOP and
# SIGCONT it (it accepts connections and answers nothing).
# initdb refuses root, so as root the cluster runs as the unprivileged user `evently-test`.
# Tests trade durability for speed (fsync off); EVENTLY_PG_DURABLE=1 keeps PostgreSQL's durable
# defaults (fsync, synchronous commit, full-page writes), as the benchmarks do.
set -euo pipefail
cmd=$1
dir=$2
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    runuser -u evently-test -- "$@"
  else
    "$@"
  fi
}
case "$cmd" in
  start)
    settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    [[ "${EVENTLY_PG_DURABLE:-0}" == 1 ]] && settings=""
    if [[ $(id -u) -eq 0 ]] && ! id evently-test >/dev/null 2>&1; then
      useradd --system --no-create-home --shell /usr/sbin/nologin evently-test
    fi
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown evently-test "$dir"
    port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
    as_owner "$bindir/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >"$dir/initdb.log" 2>&1
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $settings -c max_connections=300" \
      start >/dev/null
    echo "$port" >"$dir/port"
    echo "$settings" >"$dir/settings"
    echo "postgresql://postgres@127.0.0.1:$port/postgres"
    ;;
  pause)
    # Stops the server but keeps the cluster (outage tests); `resume` starts it again.
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  resume)
    port=$(cat "$dir/port")
    settings=$(cat "$dir/settings")
    as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
      -o "-p $port -k $dir -c listen_addresses=127.0.0.1 $settings -c max_connections=300" \
      start >/dev/null
    ;;
  freeze | thaw)
    # SIGSTOP / SIGCONT of the postmaster and its children (by PID): the server keeps its
    # sockets but answers nothing, like a hung host or a network black hole (outage tests).
    signal=STOP
    [[ "$cmd" == thaw ]] && signal=CONT
    postmaster=$(head -1 "$dir/data/postmaster.pid")
    kill -"$signal" "$postmaster"
    for child in $(pgrep -P "$postmaster"); do kill -"$signal" "$child" 2>/dev/null || true; done
    ;;
  stop)
    if [[ -f "$dir/data/postmaster.pid" ]]; then
      bash "$0" thaw "$dir" 2>/dev/null || true  # a frozen server would not hear the stop
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|pause|resume|freeze|thaw|stop DIR" >&2
    exit 2
    ;;
esac
