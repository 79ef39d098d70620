#!/usr/bin/env bash
# Builds every libFuzzer target (clang, ASan + UBSan, the codec instrumented too), replays the
# crash files kept under fuzz/regressions/<target>/, then fuzzes each target for SECONDS
# (default 30) on a copy of fuzz/corpus/<target>/, with the dictionary fuzz/<target>.dict if
# there is one. Exits non-zero on any crash, leak or sanitizer report; new crash inputs land in
# fuzz/artifacts/<target>/.
#   usage: fuzz/run.sh [seconds]
set -euo pipefail
secs=${1:-30}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
build=$here/build

cmake -S "$root" -B "$build" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DNOSQLC_BUILD_FUZZ=ON -DNOSQLC_BUILD_TESTS=OFF -DNOSQLC_BUILD_TOOLS=OFF >/dev/null

targets=()
for src in "$here"/fuzz_*.cpp; do
  targets+=("$(basename "$src" .cpp)")
done
cmake --build "$build" -j2 --target "${targets[@]}"

export ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
status=0
for t in "${targets[@]}"; do
  bin=$build/fuzz/$t
  mapfile -t regressions < <(find "$here/regressions/$t" -type f ! -name .gitkeep 2>/dev/null | sort)
  if [ ${#regressions[@]} -gt 0 ]; then
    echo "== $t: replaying ${#regressions[@]} regression file(s)"
    "$bin" -rss_limit_mb=2048 "${regressions[@]}" || { echo "!! $t: regression failed"; status=1; }
  fi
  work=$build/corpus/$t
  rm -rf "$work"
  mkdir -p "$work" "$here/artifacts/$t"
  if [ -d "$here/corpus/$t" ]; then cp -r "$here/corpus/$t/." "$work/"; fi
  dict=()
  if [ -f "$here/$t.dict" ]; then dict=(-dict="$here/$t.dict"); fi
  echo "== $t: fuzzing for ${secs}s"
  if ! "$bin" -max_total_time="$secs" -max_len=65536 -rss_limit_mb=2048 -timeout=10 "${dict[@]}" \
      -print_final_stats=1 -artifact_prefix="$here/artifacts/$t/" "$work" 2>"$build/$t.log"; then
    echo "!! $t: failure, see $build/$t.log and $here/artifacts/$t/"
    tail -n 40 "$build/$t.log"
    status=1
  else
    grep -E "stat::number_of_executed_units|stat::peak_rss_mb" "$build/$t.log" | sed "s/^/   /"
  fi
done
exit $status
