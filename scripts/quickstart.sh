#!/usr/bin/env bash
# Sets up and builds the project, then runs the quickstart (see README). Extra arguments go
# to the quickstart, e.g. a URL.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
"$BUILD_DIR/examples/quickstart" "$@"
