#!/usr/bin/env bash
# Regenerates the seed corpora fuzz/corpus/<target>/.
# - Codec targets, from the codec unit-test fixtures: the tests write each fixture as a frame,
#   an lz4 body, or an [option] type followed by a value when NOSQLC_WRITE_CORPUS is set.
# - Sandbox targets (fuzz_cql_statement, fuzz_server_request), from the CQL scripts and client
#   sessions of fuzz/gen_sandbox_seeds.cpp, built in fuzz/build as fuzz/run.sh builds.
#   usage: fuzz/gen_corpus.sh [path/to/unit_protocol]   (default: build/tests/unit_protocol)
#          fuzz/gen_corpus.sh --sandbox                 (the sandbox targets only)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")

if [ "${1:-}" != "--sandbox" ]; then
  bin=${1:-$here/../build/tests/unit_protocol}
  for t in fuzz_request_frame fuzz_response_frame fuzz_lz4_body fuzz_value; do
    rm -rf "${here:?}/corpus/$t"
  done
  NOSQLC_WRITE_CORPUS=$here/corpus "$bin" --run_test=requests,responses,result,server_errors,frame,compression,values_json,values_collections \
    >/dev/null
fi

build=$here/build
cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNOSQLC_BUILD_FUZZ=ON -DNOSQLC_BUILD_TESTS=OFF -DNOSQLC_BUILD_TOOLS=OFF >/dev/null
cmake --build "$build" -j2 --target gen_sandbox_seeds >/dev/null
for t in fuzz_cql_statement fuzz_server_request; do
  rm -rf "${here:?}/corpus/$t"
done
"$build/fuzz/gen_sandbox_seeds" "$here/corpus"

for t in "$here"/corpus/*/; do
  echo "$(basename "$t"): $(find "$t" -type f | wc -l) seeds"
done

# fuzz_client_engine: a cut byte, then the answers of a session (response-frame seeds end to
# end: the handshake's, then answers to the multiplexer's four requests and an event).
if [ -d "$here/corpus/fuzz_response_frame" ]; then
  r=$here/corpus/fuzz_response_frame
  e=$here/corpus/fuzz_client_engine
  rm -rf "$e"
  mkdir -p "$e"
  seed() {  # seed NAME CUT FRAME...
    local name=$1 cut=$2
    shift 2
    { printf "\\x$(printf %02x "$cut")"; for f in "$@"; do cat "$r/$f"; done; } >"$e/$name"
  }
  seed handshake_plain 1 4_2_4_supported 4_2_2_ready
  seed handshake_auth 7 4_2_4_supported 4_2_3_authenticate 4_2_8_auth_success_token \
    4_2_5_3_set_keyspace 4_2_2_ready
  seed answers_and_event 13 4_2_5_1_void 4_2_6_event_status_change_up 4_2_5_2_rows_global_table_spec
  seed errors 63 9_unavailable_0x1000 9_unprepared_0x2500 9_read_timeout_0x1200
  seed compressed 2 5_compressed_set_keyspace_with_prefixes 5_compressed_bomb
fi
