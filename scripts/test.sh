#!/usr/bin/env bash
# Sets up and builds the project, then runs every test through ctest. Extra arguments go to
# ctest, e.g. -L unit.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
ctest --test-dir "$BUILD_DIR" --output-on-failure -j2 "$@"
