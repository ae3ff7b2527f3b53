#!/usr/bin/env bash
# Which tables and indexes a SQLite booking storm's commits write to the WAL, frames per commit:
# bench/hold_store (64 threads, a throwaway store) keeps its WAL, then bench/wal_pages.py maps it.
# The WAL only starts over once a checkpoint catches up, which a storm does not let happen, so it
# holds every commit of the storm.
# Usage: bench/wal_pages.sh [rows, default 15] [page size, default the store's]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
scripts/build.sh release --target hold_store >/dev/null
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
build/release/bench/hold_store --database-url "sqlite:$work/storm.db" --threads 64 \
  --keep-wal "$work/kept" ${2:+--page-size "$2"}
/usr/bin/python3 bench/wal_pages.py "$work/kept" "${1:-15}"
