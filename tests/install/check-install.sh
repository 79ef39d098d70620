#!/usr/bin/env bash
# Installs the build tree BUILD_DIR into a temporary prefix, then builds against it with
# find_package(nosqlc), as a user would: tests/install/consumer, the README's quickstart
# snippet (the first C++ block under "## Quickstart", taken from README.md itself) and
# examples/quickstart.cpp; runs all three and checks what they print. Also checks that the
# installed package names no path of this build machine's libraries.
set -euo pipefail
build=${1:?usage: check-install.sh BUILD_DIR}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}
cmake --install "$build" --prefix "$work/prefix" >/dev/null
if grep -rn --include='*.cmake' -e 'liblz4\.so' -e 'liblz4\.a' "$work/prefix"; then
  fail "the installed CMake package hard-codes a path to lz4"
fi
awk '/^## Quickstart/ {q = 1; next} q && /^```cpp$/ {c = 1; next} c && /^```$/ {exit} c {print}' \
  "$root/README.md" >"$work/readme_snippet.cpp"
[ -s "$work/readme_snippet.cpp" ] || fail "no C++ block under ## Quickstart in README.md"
cmake -S "$here/consumer" -B "$work/build" -DCMAKE_PREFIX_PATH="$work/prefix" \
  -DREADME_SNIPPET="$work/readme_snippet.cpp" -DQUICKSTART_SOURCE="$root/examples/quickstart.cpp" \
  >/dev/null
cmake --build "$work/build" -j2 >"$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build"; }
"$work/build/app" || fail "app"
"$work/build/readme" nosqlc:memory: >"$work/readme.out" || fail "the README snippet: exit $?"
grep -q '^{"item":"widget","qty":5,"status":"pending","_id":"order-001"}$' "$work/readme.out" ||
  fail "the README snippet printed: $(cat "$work/readme.out")"
grep -q '"item":"gadget"' "$work/readme.out" || fail "the README snippet found no gadget"
"$work/build/quickstart" >"$work/quickstart.out" || fail "the quickstart: exit $?"
grep -q "deleted:  order-001 is gone" "$work/quickstart.out" ||
  fail "the quickstart printed: $(cat "$work/quickstart.out")"
echo "installed package works: consumer, README snippet and quickstart built and ran"
