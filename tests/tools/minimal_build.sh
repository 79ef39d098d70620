#!/usr/bin/env bash
# The constrained build: configures nosqlc with NOSQLC_WITH_TLS=OFF and NOSQLC_WITH_LZ4=OFF
# under BIN_DIR, builds the unit tests of lib/protocol, the CQL client and lib/nosql, runs them
# (their no-TLS / no-lz4 cases included, which a default build skips), and checks that nothing
# built links OpenSSL or lz4.
#   usage: minimal_build.sh SRC_DIR BIN_DIR [extra cmake arguments...]
# BIN_DIR is reused: a second run only rebuilds what changed. JOBS (default 2) sets the build's
# parallelism; the build type defaults to Debug (the quickest to compile), e.g.
# -DCMAKE_BUILD_TYPE=RelWithDebInfo overrides it.
set -euo pipefail
src=$(cd "${1:?usage: minimal_build.sh SRC_DIR BIN_DIR [cmake args...]}" && pwd)
bin=${2:?usage: minimal_build.sh SRC_DIR BIN_DIR [cmake args...]}
shift 2
jobs=${JOBS:-2}
tests=(unit_protocol unit_client unit_nosql)

fail() {
  echo "minimal_build: $*" >&2
  exit 1
}

generator=()
if [ ! -f "$bin/CMakeCache.txt" ] && command -v ninja >/dev/null; then generator=(-G Ninja); fi
cmake -S "$src" -B "$bin" "${generator[@]}" -DCMAKE_BUILD_TYPE=Debug -DNOSQLC_WERROR=ON \
  -DNOSQLC_WITH_TLS=OFF -DNOSQLC_WITH_LZ4=OFF -DNOSQLC_BUILD_TESTS=ON "$@"
grep -qx 'NOSQLC_WITH_TLS:BOOL=OFF' "$bin/CMakeCache.txt" || fail "NOSQLC_WITH_TLS is not OFF"
grep -qx 'NOSQLC_WITH_LZ4:BOOL=OFF' "$bin/CMakeCache.txt" || fail "NOSQLC_WITH_LZ4 is not OFF"
cmake --build "$bin" -j "$jobs" --target "${tests[@]}"

# No OpenSSL or lz4: neither a shared dependency of the executables nor an undefined symbol
# of nosqlc's static libraries (which the executables would then fail to link).
for t in "${tests[@]}"; do
  exe="$bin/tests/$t"
  [ -x "$exe" ] || fail "$exe was not built"
  if deps=$(ldd "$exe" | grep -E 'lib(ssl|crypto|lz4)\.'); then
    fail "$t links OpenSSL or lz4 in a TLS-off, lz4-off build:"$'\n'"$deps"
  fi
done
for lib in "$bin"/lib/protocol/libnosqlc_protocol.a "$bin"/lib/nosql/libnosqlc_nosql.a; do
  [ -f "$lib" ] || fail "$lib was not built"
  if syms=$(nm -u "$lib" | grep -E ' (SSL|TLS|OPENSSL|X509|EVP|BIO|ERR|LZ4)_' | sort -u); then
    fail "$(basename "$lib") refers to OpenSSL or lz4:"$'\n'"$syms"
  fi
done
echo "minimal_build: no libssl, libcrypto or liblz4 in ${tests[*]}"

# The tests, and proof that the cases only such a build runs did run (not skipped).
(cd "$bin" && ctest -R "^($(IFS='|'; echo "${tests[*]}"))\$" --no-tests=error \
  --output-on-failure -j "$jobs")
check_ran() {
  local exe=$1 test=$2 out
  out=$("$bin/tests/$exe" --run_test="$test" --report_level=detailed 2>&1) || {
    echo "$out"
    fail "$exe $test failed"
  }
  # A failed precondition reports `Test case "..." was skipped` instead.
  grep -Fq "\"$test\" has passed" <<<"$out" || {
    echo "$out"
    fail "$exe $test did not run (skipped?)"
  }
}
check_ran unit_protocol compression/without_lz4_every_call_says_so
check_ran unit_protocol compression/without_lz4_compressed_frames_are_refused_both_ways
check_ran unit_client client_connection/without_lz4_a_server_offering_it_gets_plain_frames
check_ran unit_client client_handshake/without_tls
echo "minimal_build: ok"
