#!/usr/bin/env bash
# Installs what Evently needs, only what is missing (idempotent, fast when done): the Debian 12
# packages, then the npm packages the build embeds: the API reference's tools (tools/docs: the
# OpenAPI linter and the renderer /docs embeds) and the web app's (web/: Vite builds it into the
# binary). `--test` adds what only the test suite needs (a headless browser, Redis, HAProxy).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(
  build-essential cmake pkg-config ccache git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpq-dev libsqlite3-dev libsodium-dev libssl-dev libspdlog-dev libcurl4-openssl-dev zlib1g-dev
  libhiredis-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql
  python3 python3-pytest python3-requests python3-websocket python3-aiosmtpd python3-jsonschema
  curl jq procps
)
# The suite: a headless browser, clang-tidy, clang with libFuzzer's runtime (tests/fuzz), and
# Redis and HAProxy (the Redis limiter's tests and scripts/cluster.sh: tests/cluster, bench).
if [[ "${1:-}" == "--test" ]]; then
  packages+=(chromium clang-tidy clang-14 libclang-rt-14-dev redis-server haproxy)
fi
if [[ "${EVENTLY_WITH_BENCH_TOOLS:-0}" == 1 ]]; then packages+=(wrk nginx-light); fi
# Any Node.js with npm will do (Debian's 18 is enough); install Debian's only when there is none.
if ! command -v npm >/dev/null; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} > 0)); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "deps: missing packages: ${missing[*]} (run as root to install them)" >&2
    exit 1
  fi
  echo "deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-upgrade --no-install-recommends "${missing[@]}" >/dev/null
fi

# DIR/node_modules as DIR/package-lock.json pins it; `npm ci` only when the lock changed.
npm_ci_when_changed() {
  local dir=$1 lock_hash stamp
  lock_hash=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
  stamp=$dir/node_modules/.evently-lock-sha256
  if [[ ! -f $stamp || $(cat "$stamp") != "$lock_hash" ]]; then
    echo "deps: npm ci in $dir"
    (cd "$dir" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error)
    echo "$lock_hash" >"$stamp"
  fi
}
npm_ci_when_changed tools/docs # the API reference's linter and renderer
npm_ci_when_changed web        # the web app's Vite, Preact and uPlot; playwright-core for tests/web
