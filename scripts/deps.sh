#!/usr/bin/env bash
# Installs the Debian 12 packages Evently needs, only those missing (idempotent, fast when done).
set -euo pipefail

packages=(
  build-essential cmake pkg-config ccache git
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libpq-dev libsqlite3-dev libsodium-dev libssl-dev libspdlog-dev libcurl4-openssl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql
  python3 python3-pytest python3-requests python3-websocket python3-aiosmtpd
  curl procps
)
if [[ "${EVENTLY_WITH_BENCH_TOOLS:-0}" == 1 ]]; then packages+=(wrk nginx-light); fi

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$p")
done
if ((${#missing[@]} == 0)); then
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "deps: missing packages: ${missing[*]} (run as root to install them)" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-upgrade --no-install-recommends "${missing[@]}" >/dev/null
