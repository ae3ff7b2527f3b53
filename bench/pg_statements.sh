#!/usr/bin/env bash
# Where PostgreSQL spends a booking storm, statement by statement: the store-only storm
# (bench/hold_store, 64 threads) on a throwaway durable PostgreSQL that logs every statement's
# duration, then the totals per statement name (parse, bind and execute apart), largest first.
# The logging itself slows the storm; compare statements within one run, not with other runs.
# Usage: bench/pg_statements.sh [rows to print, default 20]
set -euo pipefail
cd "$(dirname "$0")/.."
top=${1:-20}
scripts/deps.sh
source bench/lib.sh
bench_logged_storm statements "ALTER SYSTEM SET log_min_duration_statement = 0"
printf '\n%10s %8s %10s  %s\n' "total ms" "count" "avg ms" "step statement"
# Lines look like: "... LOG:  duration: 0.107 ms  execute hold_take_open: UPDATE ...".
awk 'match($0, /duration: [0-9.]+ ms  (parse|bind|execute) [^:]+:/) {
       split(substr($0, RSTART, RLENGTH), f, " ");
       key = f[4] " " substr(f[5], 1, length(f[5]) - 1);
       total[key] += f[2]; count[key]++
     }
     END { for (k in total) printf "%10.1f %8d %10.3f  %s\n", total[k], count[k], total[k] / count[k], k }' \
  "$bench_pg_log" | sort -rn | head -n "$top"
bench_stop_postgres
