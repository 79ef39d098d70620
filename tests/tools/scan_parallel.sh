#!/usr/bin/env bash
# A full-scan find over the token ring of a 3-node sandbox whose nodes each add 5 ms to every
# answer (a network's round trips), run by nosqlc-bench as a user would:
#   - 100,000 documents in pages of 100: the default scan_concurrency reads at least 4 times
#     the documents per second of scan_concurrency=1 (the round trips overlap);
#   - 1,000,000 documents: every one read, the client's peak RSS under 64 MiB (memory is
#     bounded by ranges in flight x pages, not by the table).
#   usage: scan_parallel.sh NOSQLC_BENCH
set -euo pipefail
bench=${1:?usage: scan_parallel.sh NOSQLC_BENCH}
common=(-w find-scan --sandbox-nodes 3 --scan-latency-ms 5 --json)
serial=$("$bench" "${common[@]}" --docs 100000 --page-size 100 --scan-concurrency 1)
parallel=$("$bench" "${common[@]}" --docs 100000 --page-size 100)
million=$("$bench" "${common[@]}" --docs 1000000)
echo "serial:   $serial"
echo "parallel: $parallel"
echo "million:  $million"
/usr/bin/python3 - "$serial" "$parallel" "$million" <<'PY'
import json, sys
serial, parallel, million = (json.loads(a) for a in sys.argv[1:4])
for r in (serial, parallel, million):
    assert r["errors"] == 0, r
assert serial["ops"] == parallel["ops"] == 100000, (serial, parallel)
ratio = parallel["ops_per_s"] / serial["ops_per_s"]
print("parallel/serial documents per second: %.1f" % ratio)
assert ratio >= 4, ratio
assert million["ops"] == 1000000, million
assert million["peak_rss_mib"] < 64, million
print("scan figures ok")
PY
