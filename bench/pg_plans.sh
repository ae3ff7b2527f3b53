#!/usr/bin/env bash
# The plans PostgreSQL actually ran during a booking storm: the store-only storm
# (bench/hold_store, 64 threads) on a throwaway durable PostgreSQL with auto_explain logging every
# statement's plan with its real row counts and times (EXPLAIN ANALYZE), then per statement its
# total and mean time, and the plan of its execution three quarters of the way through the storm
# (late enough for the tables to have grown). Analyzing every plan slows the storm a lot; compare
# statements and plans within one run, not with other runs.
# Usage: bench/pg_plans.sh [statements to show, default 8]
set -euo pipefail
cd "$(dirname "$0")/.."
top=${1:-8}
scripts/deps.sh
source bench/lib.sh
# auto_explain's settings exist once the module is loaded in the session that sets them.
bench_logged_storm plans "LOAD 'auto_explain'" \
  "ALTER SYSTEM SET session_preload_libraries = 'auto_explain'" \
  "ALTER SYSTEM SET auto_explain.log_min_duration = 0" \
  "ALTER SYSTEM SET auto_explain.log_analyze = on"
python3 - "$bench_pg_log" "$top" <<'PY'
import collections, re, sys
text = open(sys.argv[1], errors="replace").read()
entries = re.split(r"\n(?=\S+ \S+ \S+ \[\d+\] |\S+ \S+ \S+ LOG:)", text)
runs = collections.defaultdict(list)
for entry in entries:
    m = re.search(r"duration: ([0-9.]+) ms  plan:\n\s*Query Text: (.*)", entry)
    if m:
        runs[m.group(2)[:90]].append((float(m.group(1)), entry))
ranked = sorted(runs.items(), key=lambda kv: -sum(d for d, _ in kv[1]))
print(f"\n{'total ms':>10} {'count':>8} {'mean ms':>9}  statement")
for text, found in ranked[: int(sys.argv[2])]:
    total = sum(d for d, _ in found)
    print(f"{total:10.1f} {len(found):8d} {total / len(found):9.3f}  {text}")
for text, found in ranked[: int(sys.argv[2])]:
    duration, entry = found[len(found) * 3 // 4]
    plan = [l for l in entry.split("\n")[1:] if "Query Text" not in l]
    print(f"\n== {text}\n   ({duration:.3f} ms)")
    print("\n".join(plan))
PY
bench_stop_postgres
