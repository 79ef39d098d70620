#!/usr/bin/env bash
# Sourced by quickstart.sh and test.sh: installs the Debian packages the build and the tests
# need (when run as root; otherwise prints the apt-get line and stops), then configures and
# builds.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
BUILD_DIR=${NOSQLC_BUILD_DIR:-$ROOT/build}

PACKAGES=(
  build-essential cmake g++ clang clang-format libclang-rt-14-dev
  libasio-dev libboost-json1.81-dev libboost-test1.81-dev liblz4-dev libssl-dev openssl
  libbenchmark-dev
  python3-cassandra python3-lz4
)
# The peer tests' Node.js driver needs node and npm: Debian's, unless some are on PATH already
# (e.g. NodeSource's nodejs, which bundles npm and conflicts with Debian's npm package).
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing: ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  else
    echo "Missing Debian packages. Run as root:"
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}"
    exit 1
  fi
fi

cmake -S "$ROOT" -B "$BUILD_DIR" -DNOSQLC_WERROR=ON
cmake --build "$BUILD_DIR" -j2
