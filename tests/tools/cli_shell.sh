#!/usr/bin/env bash
# The shell workflow of a new user, with the real nosqlc and nosqlc-sandbox executables:
# import a JSON-lines file, find in it with a short filter, export the result, and get back
# exactly the documents expected; exit codes on the way.
#   usage: cli_shell.sh NOSQLC NOSQLC_SANDBOX
set -euo pipefail
nosqlc=${1:?usage: cli_shell.sh NOSQLC NOSQLC_SANDBOX}
sandbox=${2:?}
work=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; rm -rf "$work"' EXIT
"$sandbox" --port 0 >"$work/sandbox.out" &
pid=$!
for _ in $(seq 100); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.1; done
addr=$(sed -n 's/^listening on //p' "$work/sandbox.out" | head -1)
[ -n "$addr" ] || { echo "sandbox did not start"; exit 1; }
export NOSQLC_URL="nosqlc:cassandra:$addr/shop"
/usr/bin/python3 - "$work/orders.jsonl" <<'PY'
import json, sys
with open(sys.argv[1], "w") as f:
    for i in range(1000):
        doc = {"_id": f"o{i:04d}", "qty": i % 7, "status": ["pending", "shipped"][i % 2],
               "tags": ["js"] if i % 5 == 0 else ["cpp"]}
        f.write(json.dumps(doc) + "\n")
PY
"$nosqlc" -c orders --no-progress import "$work/orders.jsonl" 2>"$work/import.err"
grep -q "imported 1000, rejected 0" "$work/import.err"
count=$("$nosqlc" -c orders count 'status=pending,qty>3,tags~js')
"$nosqlc" -c orders --no-progress export 'status=pending,qty>3,tags~js' >"$work/out.jsonl"
/usr/bin/python3 - "$work/orders.jsonl" "$work/out.jsonl" "$count" <<'PY'
import json, sys
src = [json.loads(l) for l in open(sys.argv[1])]
want = sorted((d for d in src if d["status"] == "pending" and d["qty"] > 3 and "js" in d["tags"]),
              key=lambda d: d["_id"])
got = sorted((json.loads(l) for l in open(sys.argv[2])), key=lambda d: d["_id"])
assert got == want, (len(got), len(want))
assert int(sys.argv[3]) == len(want), sys.argv[3]
print(f"exported {len(got)} documents, as expected")
PY
# Numbers come back as they were written.
"$nosqlc" -c prices store p '{"price":11.95,"ratio":0.1,"w":2.0}'
[ "$("$nosqlc" -c prices get p)" = '{"price":11.95,"ratio":0.1,"w":2.0,"_id":"p"}' ] ||
  { echo "numbers: $("$nosqlc" -c prices get p)"; exit 1; }

# A full disk is an error, not a short export: exit 4 and a message.
rc=0
"$nosqlc" -c orders --no-progress export >/dev/full 2>"$work/full.err" || rc=$?
[ "$rc" = 4 ] || { echo "export to /dev/full: exit $rc, not 4"; exit 1; }
grep -q "cannot write the output: No space left on device" "$work/full.err" ||
  { echo "export to /dev/full: $(cat "$work/full.err")"; exit 1; }
for cmd in "find" "count" "get o0001"; do
  rc=0
  # shellcheck disable=SC2086
  "$nosqlc" -c orders $cmd >/dev/full 2>/dev/null || rc=$?
  [ "$rc" = 4 ] || { echo "$cmd to /dev/full: exit $rc, not 4"; exit 1; }
done

# A row another tool wrote that is not a document: named by default, skipped and counted on
# request.
/usr/bin/python3 - "$addr" <<'PY'
import logging, sys
logging.getLogger("cassandra").setLevel(logging.CRITICAL)
from cassandra.cluster import Cluster
host, port = sys.argv[1].rsplit(":", 1)
cluster = Cluster([host], port=int(port))
session = cluster.connect()
session.execute("INSERT INTO shop.orders (pk, data) VALUES ('zz-bad', 'not json')")
cluster.shutdown()
PY
rc=0
"$nosqlc" -c orders count >/dev/null 2>"$work/bad.err" || rc=$?
[ "$rc" = 3 ] && grep -q '"zz-bad"' "$work/bad.err" || { echo "bad row: $rc $(cat "$work/bad.err")"; exit 1; }
[ "$("$nosqlc" -c orders --on-error skip count 2>"$work/skip.err")" = 1000 ] ||
  { echo "bad row skipped: wrong count"; exit 1; }
grep -q "skipped 1 unreadable stored document" "$work/skip.err" || { echo "skip: $(cat "$work/skip.err")"; exit 1; }

# Ctrl-C (SIGINT, exit 130) or a service manager's SIGTERM (exit 143) during an import that
# waits for input: the writes done are reported.
for sig in INT TERM; do
  want=$((128 + $(kill -l "$sig")))
  rm -f "$work/lines"
  mkfifo "$work/lines"
  "$nosqlc" -c "stream$sig" --no-progress import - <"$work/lines" 2>"$work/int.err" &
  importer=$!
  exec 3>"$work/lines"
  for i in 1 2 3 4 5; do echo "{\"_id\":\"s$i\"}" >&3; done
  for _ in $(seq 100); do
    [ "$("$nosqlc" -c "stream$sig" count 2>/dev/null)" = 5 ] && break
    sleep 0.1
  done
  kill "-$sig" "$importer"
  rc=0
  wait "$importer" || rc=$?
  exec 3>&-
  [ "$rc" = "$want" ] || { echo "import stopped by SIG$sig: exit $rc, not $want: $(cat "$work/int.err")"; exit 1; }
  grep -q "import stopped after line 5 (interrupted by SIG$sig): imported 5, rejected 0, failed 0" \
    "$work/int.err" || { echo "import stopped by SIG$sig: $(cat "$work/int.err")"; exit 1; }
done

# A password in the URL never reaches the terminal.
rc=0
NOSQLC_URL="nosqlc:cassandra:app:hunter2@$addr/shop" "$nosqlc" -c orders get x \
  >/dev/null 2>"$work/url.err" || rc=$?
[ "$rc" = 3 ] || { echo "password in URL: exit $rc"; exit 1; }
if grep -q hunter2 "$work/url.err"; then echo "a password in the URL was printed"; exit 1; fi
grep -q "credentials do not go in the URL" "$work/url.err" || { echo "url: $(cat "$work/url.err")"; exit 1; }

# Exit codes: 1 for a missing key, 2 for a bad filter, 3 when nothing listens.
set +e
"$nosqlc" -c orders get nope >/dev/null 2>&1; [ $? = 1 ] || { echo "missing key: not 1"; exit 1; }
"$nosqlc" -c orders find 'qty>' >/dev/null 2>&1; [ $? = 2 ] || { echo "bad filter: not 2"; exit 1; }
NOSQLC_URL="nosqlc:cassandra:127.0.0.1:1/shop?connect_timeout_ms=1000" "$nosqlc" -c orders get x \
  >/dev/null 2>&1; [ $? = 3 ] || { echo "no server: not 3"; exit 1; }
# A bad key is a usage error too: Cassandra cannot hold a key over 65,535 bytes.
"$nosqlc" -c orders get "$(head -c 70000 /dev/zero | tr '\0' k)" >/dev/null 2>&1
[ $? = 2 ] || { echo "oversized key: not 2"; exit 1; }
set -e

# Production flags: --trace prints the request's trace (from system_traces) after the result,
# -v a stats line after import/export, --log-level debug the client's log, --consistency and
# --timeout reach the call (ALL on one node is served; a bad level is a usage error).
"$nosqlc" -c orders --trace get o0001 >"$work/traced.out" 2>"$work/trace.err"
grep -q '"_id":"o0001"' "$work/traced.out" || { echo "traced get: $(cat "$work/traced.out")"; exit 1; }
grep -q "^nosqlc: trace [0-9a-f-]*: Execute CQL3 prepared query on 127.0.0.1, [0-9]* us: SELECT data FROM shop.orders" "$work/trace.err" ||
  { echo "--trace: $(cat "$work/trace.err")"; exit 1; }
grep -q "^  [0-9]* us  127.0.0.1  " "$work/trace.err" || { echo "--trace events: $(cat "$work/trace.err")"; exit 1; }
printf '{"_id":"v1"}\n{"_id":"v2"}\n' | "$nosqlc" -c stats -v --no-progress import - 2>"$work/stats.err"
grep -q "^nosqlc: stats: requests [0-9]*, errors 0, retries 0, .*127.0.0.1:[0-9]*: [0-9]* requests, p50 [0-9]* us" \
  "$work/stats.err" || { echo "-v: $(cat "$work/stats.err")"; exit 1; }
"$nosqlc" -c orders --log-level debug get o0002 >/dev/null 2>"$work/debug.err"
grep -q "^nosqlc info \[connection\] 127.0.0.1:[0-9]*: connection opened" "$work/debug.err" ||
  { echo "--log-level debug: $(cat "$work/debug.err")"; exit 1; }
[ "$("$nosqlc" -c orders --on-error skip --consistency ALL --timeout 5000 count 'qty>5' 2>/dev/null)" = 142 ] ||
  { echo "--consistency ALL count"; exit 1; }
set +e
"$nosqlc" -c orders --consistency MOST get o0001 >/dev/null 2>"$work/cl.err"; [ $? = 2 ] || { echo "bad level: not 2"; exit 1; }
grep -q -- "--consistency wants a level" "$work/cl.err" || { echo "bad level: $(cat "$work/cl.err")"; exit 1; }
set -e

# A password-protected server: the user name from a flag, the password from the environment.
"$sandbox" --port 0 --auth app:s3cret-pass >"$work/locked.out" &
locked=$!
trap 'kill "$pid" "$locked" 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 100); do grep -q "listening on" "$work/locked.out" 2>/dev/null && break; sleep 0.1; done
locked_addr=$(sed -n 's/^listening on //p' "$work/locked.out" | head -1)
[ -n "$locked_addr" ] || { echo "locked sandbox did not start"; exit 1; }
export NOSQLC_URL="nosqlc:cassandra:$locked_addr/vault"
NOSQLC_PASSWORD=s3cret-pass "$nosqlc" -u app -c docs store k1 '{"secret":true}'
[ "$(NOSQLC_PASSWORD=s3cret-pass NOSQLC_USERNAME=app "$nosqlc" -c docs get k1)" = \
  '{"secret":true,"_id":"k1"}' ] || { echo "get through auth: wrong document"; exit 1; }
set +e
"$nosqlc" -c docs get k1 >/dev/null 2>"$work/noauth.err"; [ $? = 3 ] || { echo "no login: not 3"; exit 1; }
grep -q "no username and password were given" "$work/noauth.err" || { echo "no login: $(cat "$work/noauth.err")"; exit 1; }
"$nosqlc" -u app -c docs get k1 >/dev/null 2>"$work/nopass.err"; [ $? = 3 ] || { echo "no password: not 3"; exit 1; }
grep -q 'no password was given for user "app"' "$work/nopass.err" || { echo "no password: $(cat "$work/nopass.err")"; exit 1; }
NOSQLC_PASSWORD=Zq9-not-it-7Wx "$nosqlc" -u app -c docs get k1 >/dev/null 2>"$work/badauth.err"
[ $? = 3 ] || { echo "wrong password: not 3"; exit 1; }
if grep -q Zq9-not-it-7Wx "$work/badauth.err"; then echo "the password was printed"; exit 1; fi
"$nosqlc" -u app --passwd=Zq9-secret -c docs get k1 >/dev/null 2>"$work/typo.err"
[ $? = 2 ] || { echo "unknown flag: not 2"; exit 1; }
if grep -q Zq9-secret "$work/typo.err"; then echo "an unknown flag's value was printed"; exit 1; fi
"$nosqlc" -u app --password x -c docs get k1 >/dev/null 2>&1; [ $? = 2 ] || { echo "--password: not 2"; exit 1; }
set -e
echo "cli shell workflow ok"
