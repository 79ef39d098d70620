#!/usr/bin/env bash
# nosqlc-bench --plot: runs the bench briefly against its embedded sandbox with --json and
# --plot, then reads the SVG back: valid XML, one line per workload of the JSON output, its
# p50/p99/p99.9 figures equal to the JSON's, every line's latency non-decreasing with the
# percentile. A plot path that cannot be written fails at once with a clear message.
#   usage: bench_plot.sh NOSQLC_BENCH
set -euo pipefail
bench=${1:?usage: bench_plot.sh NOSQLC_BENCH}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT

out=$("$bench" --ops 3000 --docs 700 --concurrency 32 --doc-bytes 300 --json \
  --plot "$dir/plot.svg")
echo "$out"
/usr/bin/python3 - "$out" "$dir/plot.svg" <<'PY'
import json, math, sys
import xml.etree.ElementTree as ET

lines = [json.loads(l) for l in sys.argv[1].splitlines() if l.strip()]
assert [l["workload"] for l in lines] == ["store", "get", "mixed", "find-scan"], lines
ns = "{http://www.w3.org/2000/svg}"
root = ET.parse(sys.argv[2]).getroot()
assert root.tag == ns + "svg", root.tag

polylines = root.findall(f".//{ns}polyline[@data-workload]")
assert [p.get("data-workload") for p in polylines] == [l["workload"] for l in lines], polylines
rows = root.findall(f".//{ns}g[@class='figures']")
assert [r.get("data-workload") for r in rows] == [l["workload"] for l in lines], rows

for l, line, row in zip(lines, polylines, rows):
    name = l["workload"]
    assert l["errors"] == 0, l
    # The figures shown are the JSON's, to the 0.1 µs both print.
    shown = {t.get("data-field"): t.text for t in row.findall(f"{ns}text[@data-field]")}
    for key in ["p50_us", "p99_us", "p999_us", "max_us"]:
        assert shown[key] == f"{l[key]:.1f}", (name, key, shown[key], l[key])
    assert int(shown["ops"]) == l["ops"] and int(shown["errors"]) == l["errors"], (name, shown)

    # The points: percentiles rising from 0 to the maximum (100), latencies never falling,
    # and the line passes through the figures.
    qs = [float(v) for v in line.get("data-percentiles").split()]
    us = [float(v) for v in line.get("data-latency-us").split()]
    assert len(qs) == len(us) >= 3 and qs[0] == 0 and qs[-1] == 100, (name, qs)
    assert all(a < b for a, b in zip(qs, qs[1:])), (name, qs)
    assert all(a <= b for a, b in zip(us, us[1:])), (name, us)
    at = dict(zip(qs, us))
    fig = lambda key: round(l[key], 1)
    assert at[50] == fig("p50_us") and at[99] == fig("p99_us") and us[-1] == fig("max_us"), (
        name, at, l)
    if l["ops"] >= 1000:
        assert at[99.9] == fig("p999_us"), (name, at, l)

    # Drawn as read: x from -log10(1 - p) rising, y (downwards in SVG) never rising.
    xy = [tuple(map(float, p.split(","))) for p in line.get("points").split()]
    assert len(xy) == len(qs), (name, xy)
    assert all(a[0] < b[0] for a, b in zip(xy[:-1], xy[1:-1])), (name, xy)
    assert xy[-1][0] >= xy[-2][0], (name, xy)
    assert all(a[1] >= b[1] for a, b in zip(xy, xy[1:])), (name, xy)
    # The maximum sits where one value in the count is left: log10(ops).
    nines = [-math.log10(1 - q / 100) for q in qs[:-1]] + [math.log10(l["ops"])]
    scale = (xy[-2][0] - xy[0][0]) / nines[-2]
    for (x, _), n in zip(xy, nines):
        assert abs(x - xy[0][0] - n * scale) < 0.2, (name, x, n)

texts = " ".join("".join(t.itertext()) for t in root.iter(ns + "text"))
for label in ["90%", "99%", "99.9%", "concurrency 32", "300-byte documents", "api document"]:
    assert label in texts, (label, texts)
print("bench plot ok")
PY

# A directory that does not exist: an error naming the path, exit 3, before any run.
set +e
err=$("$bench" --ops 10 --docs 10 --json --plot "$dir/missing/plot.svg" 2>&1 >/dev/null)
code=$?
set -e
echo "$err"
[[ $code -eq 3 ]] || { echo "expected exit 3, got $code"; exit 1; }
[[ $err == *"cannot write the plot to $dir/missing/plot.svg: No such file or directory"* ]] ||
  { echo "unexpected error: $err"; exit 1; }
[[ ! -e $dir/missing ]]
echo "bench plot bad path ok"
