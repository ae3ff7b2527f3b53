#!/usr/bin/env bash
# clang-tidy (checks in .clang-tidy; every finding is an error) over every source of src/, with
# the compile commands of a preset's build. A file is skipped when it, the headers of src/ and
# .clang-tidy are unchanged since its last clean pass, so a second run is fast.
# Usage: scripts/tidy.sh [preset]   (default asan; the preset must be configured)
set -euo pipefail
cd "$(dirname "$0")/.."
preset=${1:-asan}
stamps=build/tidy-stamps
mkdir -p "$stamps"
common=$( (cat .clang-tidy; find src -name '*.hpp' | sort | xargs cat) | sha256sum | cut -c1-16)
todo=()
while IFS= read -r f; do
  key=$( (echo "$common"; cat "$f") | sha256sum | cut -c1-16)
  [[ -f "$stamps/$(echo "$f" | tr / _).$key" ]] || todo+=("$f:$key")
done < <(find src -name '*.cpp' | sort)
echo "tidy: ${#todo[@]} of $(find src -name '*.cpp' | wc -l) sources to check"
[[ ${#todo[@]} -eq 0 ]] && exit 0
check() {
  local f=${1%:*} key=${1##*:} name
  name=$(echo "$f" | tr / _)
  if clang-tidy -p "build/$2" --quiet --extra-arg=-Wno-unknown-warning-option "$f" \
       >"$stamps/$name.log" 2>&1; then
    rm -f "$stamps/$name".*
    touch "$stamps/$name.$key"
  else
    grep -E "error|warning" "$stamps/$name.log" | grep -v "warnings generated" >&2 || true
    echo "tidy: findings in $f" >&2
    return 1
  fi
}
export -f check
export stamps
printf '%s\n' "${todo[@]}" | xargs -P 2 -I{} bash -c 'check "$1" "$2"' _ {} "$preset"
