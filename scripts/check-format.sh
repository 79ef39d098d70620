#!/usr/bin/env bash
# Fails when a C++ file of the project differs from what clang-format makes of it.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bad=$(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.hpp' |
  while read -r f; do [ -f "$f" ] && ! clang-format --dry-run -Werror "$f" >/dev/null 2>&1 && echo "$f"; done)
if [ -n "$bad" ]; then
  echo "not clang-formatted (run clang-format -i on them):"
  echo "$bad"
  exit 1
fi
echo "format ok"
