#!/usr/bin/env bash
# Command 2: install what is missing, lint the API reference, build with ASan+UBSan and TSan,
# run clang-tidy, start a throwaway PostgreSQL, run every suite on both engines (API and chaos
# tests included; the web app's browser tests on SQLite), a short run of each fuzzer, and stop
# PostgreSQL whatever happens.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
scripts/deps.sh --test

failed=0
echo "== API reference lint (Redocly, tools/docs/redocly.yaml)"
REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true tools/docs/node_modules/.bin/redocly \
  lint docs/openapi.json --config tools/docs/redocly.yaml --format=stylish || failed=1

scripts/build.sh asan
scripts/build.sh tsan --target unit_tests storage_tests
echo "== clang-tidy (.clang-tidy, findings are errors; unchanged sources skipped)"
scripts/tidy.sh asan || failed=1

pgdir=$(mktemp -d /tmp/evently-pg.XXXXXX)
chmod 755 "$pgdir"
cleanup() { scripts/pg.sh stop "$pgdir"; }
trap cleanup EXIT INT TERM
EVENTLY_TEST_PG_URL=$(scripts/pg.sh start "$pgdir")
export EVENTLY_TEST_PG_URL
echo "test: PostgreSQL at $EVENTLY_TEST_PG_URL"

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
export TSAN_OPTIONS="halt_on_error=1 second_deadlock_stack=1 suppressions=$root/tests/tsan.supp"

echo "== unit and storage tests (ASan+UBSan, both engines)"
ctest --test-dir build/asan --output-on-failure -j2 --timeout 600 || failed=1
echo "== unit and storage tests (TSan, both engines)"
ctest --test-dir build/tsan --output-on-failure -j1 --timeout 900 -L 'unit|storage' -E layering || failed=1
echo "== API tests against the real binary (ASan+UBSan, both engines)"
EVENTLY_BIN="$root/build/asan/src/evently" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/api \
  || failed=1
echo "== chaos tests: kill -9, two nodes, confirm at expiry, store outage (ASan+UBSan, both engines)"
EVENTLY_BIN="$root/build/asan/src/evently" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/chaos \
  || failed=1
echo "== cluster tests: three nodes behind HAProxy, limits shared through Redis (ASan+UBSan, PostgreSQL)"
EVENTLY_BIN="$root/build/asan/src/evently" /usr/bin/python3 -m pytest -q -p no:cacheprovider tests/cluster \
  || failed=1
echo "== web app in headless Chromium (tests/web, ASan+UBSan binary on SQLite; screenshots in build/asan/web-screenshots)"
CI=true EVENTLY_BIN="$root/build/asan/src/evently" node tests/web/run.mjs </dev/null || failed=1
echo "== fuzzers, ${EVENTLY_FUZZ_SECONDS:-20} s each (libFuzzer, clang, ASan+UBSan; tests/fuzz)"
scripts/fuzz.sh "${EVENTLY_FUZZ_SECONDS:-20}" || failed=1

if [[ $failed -ne 0 ]]; then
  echo "test: FAILED"
  exit 1
fi
echo "test: all suites passed"
