#!/usr/bin/env bash
# Installs the build tree BUILD_DIR into a temporary prefix, then configures, builds and runs
# tests/install/consumer against it with find_package(nosqlc).
set -euo pipefail
build=${1:?usage: check-install.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
cmake -S "$here/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/build" >/dev/null
"$work/build/app"
echo "installed package works"
