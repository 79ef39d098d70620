#!/usr/bin/env bash
# Regenerates the seed corpora fuzz/corpus/<target>/ from the codec unit-test fixtures: the
# tests write each fixture as a frame, an lz4 body, or an [option] type followed by a value
# when NOSQLC_WRITE_CORPUS is set.
#   usage: fuzz/gen_corpus.sh [path/to/unit_protocol]   (default: build/tests/unit_protocol)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
bin=${1:-$here/../build/tests/unit_protocol}
for t in fuzz_request_frame fuzz_response_frame fuzz_lz4_body fuzz_value; do
  rm -rf "${here:?}/corpus/$t"
done
NOSQLC_WRITE_CORPUS=$here/corpus "$bin" --run_test=requests,responses,result,server_errors,frame,compression,values_json,values_collections \
  >/dev/null
for t in "$here"/corpus/*/; do
  echo "$(basename "$t"): $(find "$t" -type f | wc -l) seeds"
done
