#!/usr/bin/env bash
# Builds the libFuzzer harnesses (clang, ASan+UBSan: the fuzz preset) and runs each for SECONDS
# (default 20) from the committed seed corpus (tests/fuzz/corpus/, written by
# tools/fuzz_corpus.py), growing a corpus of its own under build/fuzz/work/. A crash, a 5xx, a
# refusal outside the envelope or a hang stops the harness with its input saved there as
# crash-*/timeout-*; the script then fails. `scripts/fuzz.sh 600` is the long run of the docs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
harnesses=(fuzz_decoders fuzz_jwt fuzz_http)
if [[ ! -f build/fuzz/CMakeCache.txt ]]; then
  cmake --preset fuzz >/dev/null
fi
cmake --build --preset fuzz --target "${harnesses[@]}"
status=0
for h in "${harnesses[@]}"; do
  corpus=tests/fuzz/corpus/${h#fuzz_}
  work=build/fuzz/work/$h
  mkdir -p "$work/corpus"
  log=$work/run.log
  if ! (cd "$work" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
        UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
        "../../tests/fuzz/$h" corpus "../../../../$corpus" -max_total_time="$seconds" \
        -timeout=15 -rss_limit_mb=4096 -print_final_stats=1 -close_fd_mask=1 >"run.log" 2>&1); then
    echo "fuzz: $h FAILED; its log: $log" >&2
    grep -E "ERROR|fuzz_http:|fuzz_jwt:|fuzz_decoders:|SUMMARY|Test unit written" "$log" | head -20 >&2
    status=1
    continue
  fi
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | cut -d' ' -f2)
  units=$(ls "$work/corpus" | wc -l)
  echo "fuzz: $h ok: ${execs} runs in ${seconds} s (${rate}/s), coverage ${cov} edges, corpus +${units}"
done
exit $status
