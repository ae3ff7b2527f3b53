#!/usr/bin/env bash
# Runs the chaos suite (tests/chaos) N times in a row, each with its own seed, on both engines,
# and prints one line per run and a summary: `scripts/chaos.sh [runs]` (default 20).
# EVENTLY_BIN (default build/asan/src/evently) is the binary; EVENTLY_CHAOS_SEED the first seed
# (default 1; run i uses seed+i-1); EVENTLY_TEST_PG_URL a PostgreSQL to use, else a throwaway one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
runs=${1:-20}
first=${EVENTLY_CHAOS_SEED:-1}
export EVENTLY_BIN=${EVENTLY_BIN:-$root/build/asan/src/evently}
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

if [[ -z "${EVENTLY_TEST_PG_URL:-}" ]]; then
  pgdir=$(mktemp -d /tmp/evently-chaos-pg.XXXXXX)
  chmod 755 "$pgdir"
  trap 'scripts/pg.sh stop "$pgdir"' EXIT INT TERM
  EVENTLY_TEST_PG_URL=$(scripts/pg.sh start "$pgdir")
  export EVENTLY_TEST_PG_URL
fi

logs=$(mktemp -d /tmp/evently-chaos-logs.XXXXXX)
passed=0
failed_seeds=()
total_start=$SECONDS
for ((i = 0; i < runs; i++)); do
  seed=$((first + i))
  start=$SECONDS
  if EVENTLY_CHAOS_SEED=$seed /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/chaos \
      >"$logs/seed-$seed.log" 2>&1; then
    result=pass
    passed=$((passed + 1))
  else
    result=FAIL
    failed_seeds+=("$seed")
  fi
  echo "chaos: run $((i + 1))/$runs seed=$seed $result $((SECONDS - start))s ($(tail -1 "$logs/seed-$seed.log"))"
done
echo "chaos: $passed/$runs runs passed in $((SECONDS - total_start))s; logs in $logs"
if [[ ${#failed_seeds[@]} -ne 0 ]]; then
  echo "chaos: failed seeds: ${failed_seeds[*]} (rerun one: EVENTLY_CHAOS_SEED=<seed> scripts/chaos.sh 1)"
  exit 1
fi
