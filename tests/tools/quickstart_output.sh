#!/usr/bin/env bash
# The quickstart (the README's first command) prints each step's result: the stored document
# with _id, the inserted key, the updated document, the documents found and that the deleted
# key is gone. Checked on the embedded sandbox (no argument) and on the memory driver.
#   usage: quickstart_output.sh QUICKSTART
set -euo pipefail
quickstart=${1:?usage: quickstart_output.sh QUICKSTART}
check() {  # check NAME OUTPUT_FILE
  /usr/bin/python3 - "$@" <<'PY'
import json, re, sys
name, path = sys.argv[1], sys.argv[2]
steps = {}
for line in open(path):
    tag, _, rest = line.partition(":")
    steps.setdefault(tag.strip(), []).append(rest.strip())
def one(tag):
    assert len(steps.get(tag, [])) == 1, (name, tag, steps.get(tag))
    return steps[tag][0]
stored = json.loads(one("stored"))
assert stored == {"item": "widget", "qty": 5, "status": "pending", "_id": "order-001"}, stored
key = one("inserted")
assert re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", key), key
updated = json.loads(one("updated"))
assert updated == {"item": "widget", "qty": 10, "status": "shipped", "_id": "order-001"}, updated
found = [json.loads(f) for f in steps.get("found", [])]
assert found == [{"item": "gadget", "qty": 2, "status": "pending", "_id": key}], found
assert one("deleted") == "order-001 is gone", one("deleted")
print(name + ": every step printed as expected")
PY
}
out=$(mktemp)
trap 'rm -f "$out"' EXIT
"$quickstart" >"$out"
grep -q "^embedded sandbox listening on 127.0.0.1:" "$out"
grep -q "^connected: nosqlc:cassandra:127.0.0.1:" "$out"
check sandbox "$out"
"$quickstart" --url nosqlc:memory: >"$out"
grep -q "^connected: nosqlc:memory:$" "$out"
check memory "$out"
set +e
"$quickstart" --url >/dev/null 2>&1; [ $? = 2 ] || { echo "--url without a URL: not 2"; exit 1; }
"$quickstart" --url= >/dev/null 2>&1; [ $? = 2 ] || { echo "--url= without a URL: not 2"; exit 1; }
"$quickstart" a b >/dev/null 2>&1; [ $? = 2 ] || { echo "two URLs: not 2"; exit 1; }
"$quickstart" nosqlc:nothing: >/dev/null 2>"$out"; [ $? = 1 ] || { echo "bad URL: not 1"; exit 1; }
grep -q "no suitable driver" "$out" || { echo "bad URL: no clear message"; exit 1; }
echo "quickstart output ok"
