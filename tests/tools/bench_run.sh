#!/usr/bin/env bash
# Runs nosqlc-bench briefly against its embedded sandbox and checks that every workload
# reports every figure, with the operation counts asked for and no errors.
#   usage: bench_run.sh NOSQLC_BENCH [counted|uncounted]   (allocations: a sanitizer build
#   counts none)
set -euo pipefail
bench=${1:?usage: bench_run.sh NOSQLC_BENCH [counted|uncounted]}
allocs=${2:-counted}
out=$("$bench" --ops 3000 --docs 700 --concurrency 32 --doc-bytes 300 --json)
echo "$out"
/usr/bin/python3 - "$out" <<'PY'
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
assert [l["workload"] for l in lines] == ["store", "get", "mixed", "find-scan"], lines
for l in lines:
    for k in ["ops", "ops_per_s", "p50_us", "p99_us", "p999_us", "cpu_s_per_1k_ops",
              "peak_rss_mib", "server_cpu_s_per_1k_ops"]:
        assert k in l, (k, l)
    assert l["errors"] == 0, l
    assert l["ops"] == (700 if l["workload"] == "find-scan" else 3000), l
    assert l["ops_per_s"] > 0 and l["peak_rss_mib"] > 0, l
    assert l["p50_us"] <= l["p99_us"] <= l["p999_us"], l
print("bench output ok")
PY

# The CQL session under the document API (--api raw), the client on two I/O threads: the same
# workloads, and allocations per operation counted.
out=$("$bench" --api raw --io-threads 2 --ops 2000 --docs 500 --concurrency 32 --json)
echo "$out"
/usr/bin/python3 - "$out" "$allocs" <<'PY'
import json, sys
lines = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
assert [l["workload"] for l in lines] == ["store", "get", "mixed"], lines
counted = sys.argv[2] == "counted"
for l in lines:
    assert l["api"] == "raw" and l["io_threads"] == 2, l
    assert l["errors"] == 0 and l["ops"] == 2000, l
    assert (l["allocs_per_op"] > 0) if counted else ("allocs_per_op" not in l), l
print("raw bench output ok")
PY
