#!/usr/bin/env bash
# nosqlc-sandbox's flags, end to end, with the real executable: --auth, --tls-cert/--tls-key,
# --error/--error-share, --close-after, --latency-ms, --silent and --clock-skew-ms, each
# checked for its effect through /usr/bin/python3 (the DataStax Python driver, Debian's
# python3-cassandra, and raw CQL v4 frames where a driver would hide the effect); bad flag values exit 2 with one line naming
# the flag; SIGTERM and SIGINT exit 0. Every sandbox listens on a free loopback port (--port 0)
# and is killed on any exit.
# In a build without TLS (second argument notls), --tls-cert must exit 2 saying so instead.
#   usage: sandbox_flags.sh NOSQLC_SANDBOX_BIN [tls|notls]
set -euo pipefail
sandbox=${1:?usage: sandbox_flags.sh NOSQLC_SANDBOX_BIN [tls|notls]}
tls_mode=${2:-tls}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
PY=/usr/bin/python3
work=$(mktemp -d)

declare -A pid_of=() addr_of=()
cleanup() {
  local name
  for name in "${!pid_of[@]}"; do kill -KILL "${pid_of[$name]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 1' INT TERM HUP

fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# start NAME FLAGS...: a sandbox with FLAGS on a free port; its address goes to addr_of[NAME].
start() {
  local name=$1
  shift
  : >"$work/$name.out"
  "$sandbox" --port 0 "$@" >"$work/$name.out" 2>"$work/$name.err" &
  pid_of[$name]=$!
  local _
  for _ in $(seq 100); do
    grep -q '^listening on ' "$work/$name.out" && break
    kill -0 "${pid_of[$name]}" 2>/dev/null || fail "$name: exited before listening: $(cat "$work/$name.err")"
    sleep 0.1
  done
  local line
  line=$(grep -m1 '^listening on ' "$work/$name.out") || fail "$name: not listening after 10 s"
  addr_of[$name]=${line#listening on }
}

# stop NAME [SIGNAL]: the sandbox must exit 0 on SIGTERM (or SIGNAL) within 10 s.
stop() {
  local name=$1 sig=${2:-TERM} pid=${pid_of[$1]} rc=0 _
  kill "-$sig" "$pid"
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$pid" 2>/dev/null && fail "$name: still running 10 s after SIG$sig"
  wait "$pid" || rc=$?
  unset "pid_of[$name]"
  ((rc == 0)) || fail "$name: exit status $rc after SIG$sig: $(cat "$work/$name.err")"
}

bash "$HERE/../support/make-certs.sh" "$work/certs" >/dev/null

# Logins from a flag, a file and the environment; only the flag's shows in ps.
printf '# test users\n\nother:pw\n' >"$work/users.txt"
export NOSQLC_SANDBOX_AUTH='third:x:y'
start auth --auth user:secret --auth-file "$work/users.txt"
unset NOSQLC_SANDBOX_AUTH
cmdline=$(tr '\0' ' ' <"/proc/${pid_of[auth]}/cmdline")
case "$cmdline" in
  *pw* | *x:y*) fail "a password from --auth-file or NOSQLC_SANDBOX_AUTH is in ps: $cmdline" ;;
esac
if [ "$tls_mode" = tls ]; then
  start tls --tls-cert "$work/certs/server.pem" --tls-key "$work/certs/server.key"
else
  rc=0
  "$sandbox" --port 0 --tls-cert "$work/certs/server.pem" --tls-key "$work/certs/server.key" \
    >/dev/null 2>"$work/notls.err" || rc=$?
  ((rc == 2)) || fail "--tls-cert in a build without TLS: exit $rc, not 2"
  grep -q "built without TLS" "$work/notls.err" || fail "--tls-cert without TLS: $(cat "$work/notls.err")"
  echo "ok: --tls-cert in a build without TLS exits 2 saying so"
  addr_of[tls]=none:0
fi
start error --error Overloaded --error-share 1
start close --close-after 2
start latency --latency-ms 300
start silent --silent
start skew --nodes 2 --clock-skew-ms 1000,-1000 --error IsBootstrapping --error-share 0

"$PY" -W ignore - "$work/certs" "${addr_of[auth]}" "${addr_of[tls]}" "${addr_of[error]}" \
  "${addr_of[close]}" "${addr_of[latency]}" "${addr_of[silent]}" "${addr_of[skew]}" <<'PY'
import logging
import socket
import ssl
import struct
import sys
import time

from cassandra import AuthenticationFailed, OperationTimedOut
from cassandra.auth import PlainTextAuthProvider
from cassandra.cluster import EXEC_PROFILE_DEFAULT, Cluster, ExecutionProfile, NoHostAvailable
from cassandra.policies import FallthroughRetryPolicy, RoundRobinPolicy
from cassandra.protocol import OverloadedErrorMessage
from cassandra.query import BatchStatement

logging.getLogger("cassandra").setLevel(logging.CRITICAL)  # expected failures are not news
certs = sys.argv[1]
auth, tls, error, close_after, latency, silent, skew = [
    (a.rsplit(":", 1)[0], int(a.rsplit(":", 1)[1])) for a in sys.argv[2:]
]


def cluster(address, **kw):
    profile = ExecutionProfile(
        load_balancing_policy=RoundRobinPolicy(),
        retry_policy=FallthroughRetryPolicy(),  # the server's error itself, not a retry's
        request_timeout=5,
    )
    kw.setdefault("connect_timeout", 3)
    return Cluster([address[0]], port=address[1], protocol_version=4,
                   execution_profiles={EXEC_PROFILE_DEFAULT: profile}, **kw)


def refused(address, cause, **kw):
    """Connecting fails with NoHostAvailable, because of a `cause` on the host."""
    c = cluster(address, **kw)
    try:
        c.connect()
    except NoHostAvailable as e:
        errors = list(e.errors.values())
        assert errors and all(isinstance(x, cause) for x in errors), errors
    else:
        raise AssertionError("connected, expected " + cause.__name__)
    finally:
        c.shutdown()


def release_version(address, **kw):
    c = cluster(address, **kw)
    try:
        return c.connect().execute("SELECT release_version FROM system.local").one()[0]
    finally:
        c.shutdown()


def check_auth():
    assert release_version(auth, auth_provider=PlainTextAuthProvider("user", "secret"))
    assert release_version(auth, auth_provider=PlainTextAuthProvider("other", "pw"))
    assert release_version(auth, auth_provider=PlainTextAuthProvider("third", "x:y"))
    refused(auth, AuthenticationFailed, auth_provider=PlainTextAuthProvider("user", "wrong"))
    refused(auth, AuthenticationFailed, auth_provider=PlainTextAuthProvider("nobody", "secret"))


def check_tls():
    if tls[0] == "none":
        return  # a build without TLS: checked by the shell above
    trusted = ssl.create_default_context(cafile=certs + "/ca.pem")  # verifies 127.0.0.1 too
    assert trusted.check_hostname and trusted.verify_mode == ssl.CERT_REQUIRED
    assert release_version(tls, ssl_context=trusted)
    rogue = ssl.create_default_context(cafile=certs + "/rogue.pem")
    refused(tls, Exception, ssl_context=rogue)
    refused(tls, Exception, connect_timeout=2)  # no TLS at all


def check_error():
    c = cluster(error)
    try:
        s = c.connect()
        # QUERY and PREPARE are spared (so drivers connect); EXECUTE and BATCH get the error.
        s.execute("CREATE KEYSPACE flags WITH replication = "
                  "{'class': 'SimpleStrategy', 'replication_factor': 1}")
        s.execute("CREATE TABLE flags.t (k int PRIMARY KEY, v int)")
        s.execute("INSERT INTO flags.t (k, v) VALUES (1, 1)")
        select = s.prepare("SELECT v FROM flags.t WHERE k = ?")
        insert = s.prepare("INSERT INTO flags.t (k, v) VALUES (?, ?)")
        for attempt in range(5):
            try:
                s.execute(select, [1])
            except OverloadedErrorMessage:
                pass
            else:
                raise AssertionError("a prepared SELECT was answered")
        batch = BatchStatement()
        batch.add(insert, [2, 2])
        try:
            s.execute(batch)
        except OverloadedErrorMessage:
            pass
        else:
            raise AssertionError("a BATCH was answered")
        assert s.execute("SELECT v FROM flags.t WHERE k = 1").one()[0] == 1
    finally:
        c.shutdown()


# ---- Raw CQL v4 frames ----

def frame(stream, opcode, body=b""):
    return struct.pack(">BBhBi", 4, 0, stream, opcode, len(body)) + body


def string(s):
    return struct.pack(">H", len(s)) + s.encode()


STARTUP = frame(0, 0x01, struct.pack(">H", 1) + string("CQL_VERSION") + string("3.0.0"))
OPTIONS = 0x05
READY, SUPPORTED, RESULT = 0x02, 0x06, 0x08


def query(stream, cql):
    body = struct.pack(">i", len(cql)) + cql.encode() + struct.pack(">HB", 1, 0)
    return frame(stream, 0x07, body)


def receive(sock):
    """(stream, opcode) of the next answer, or None at end of file."""
    def exactly(n):
        data = b""
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                return None
            data += chunk
        return data
    header = exactly(9)
    if header is None:
        return None
    version, _, stream, opcode, length = struct.unpack(">BBhBi", header)
    assert version == 0x84, version
    if length and exactly(length) is None:
        return None
    return stream, opcode


def ready_connection(address):
    sock = socket.create_connection(address, timeout=5)
    sock.sendall(STARTUP)
    assert receive(sock) == (0, READY)
    return sock


def check_close_after():
    for _ in range(2):  # per connection
        with ready_connection(close_after) as sock:
            sock.sendall(query(1, "SELECT release_version FROM system.local"))
            assert receive(sock) == (1, RESULT)
            sock.sendall(frame(2, OPTIONS))  # not a statement: not counted
            assert receive(sock) == (2, SUPPORTED)
            sock.sendall(query(3, "SELECT release_version FROM system.local"))
            assert receive(sock) == (3, RESULT)
            sock.sendall(query(4, "SELECT release_version FROM system.local"))
            assert receive(sock) is None, "answered a third statement"


def check_latency():
    with socket.create_connection(latency, timeout=5) as sock:
        for stream in range(2):
            began = time.monotonic()
            sock.sendall(frame(stream, OPTIONS))
            assert receive(sock) == (stream, SUPPORTED)
            took = time.monotonic() - began
            assert 0.29 <= took < 3, took


def check_silent():
    with socket.create_connection(silent, timeout=5) as sock:
        sock.settimeout(0.5)
        sock.sendall(frame(0, OPTIONS))
        try:
            sock.recv(1)
        except socket.timeout:
            pass
        else:
            raise AssertionError("a silent node answered")
    # The driver's handshake times out the same way.
    refused(silent, OperationTimedOut, connect_timeout=1)


def check_clock_skew():
    c = cluster(skew)
    try:
        s = c.connect()
        rows = {r.address: r for r in s.execute(
            "SELECT address, clock_skew_ms, error, error_share FROM sandbox.nodes")}
        assert rows[skew[0]].clock_skew_ms == 1000, rows
        second = [a for a in rows if a != skew[0]][0]
        assert rows[second].clock_skew_ms == -1000, rows
        assert all(r.error == "IsBootstrapping" and r.error_share == 0 for r in rows.values())
    finally:
        c.shutdown()


failed = 0
for name, check in [("--auth", check_auth), ("--tls-cert/--tls-key", check_tls),
                    ("--error Overloaded --error-share 1", check_error),
                    ("--close-after 2", check_close_after), ("--latency-ms 300", check_latency),
                    ("--silent", check_silent),
                    ("--clock-skew-ms 1000,-1000", check_clock_skew)]:
    began = time.monotonic()
    try:
        check()
        print("ok: %s (%.1f s)" % (name, time.monotonic() - began))
    except Exception as e:  # report every check, then fail
        failed += 1
        print("FAIL: %s: %s: %r" % (name, type(e).__name__, e), file=sys.stderr)
sys.exit(1 if failed else 0)
PY

# Stopping: SIGTERM (and SIGINT) exit 0, also with connections open.
stop auth
[ "$tls_mode" = tls ] && stop tls
stop error
stop close INT
stop latency
stop silent
stop skew
echo "ok: SIGTERM and SIGINT exit 0"

# Bad values: exit 2 with one line on stderr that names the flag, before listening anywhere.
bad() {  # FLAG ARGS...
  local flag=$1 rc=0
  shift
  timeout 5 "$sandbox" "$@" >"$work/bad.out" 2>"$work/bad.err" || rc=$?
  ((rc == 2)) || fail "$* exited $rc, not 2: $(cat "$work/bad.err")"
  [ "$(wc -l <"$work/bad.err")" = 1 ] || fail "$* did not say one line: $(cat "$work/bad.err")"
  grep -qF -- "$flag" "$work/bad.err" || fail "$* did not name $flag: $(cat "$work/bad.err")"
  [ ! -s "$work/bad.out" ] || fail "$* printed $(cat "$work/bad.out")"
}
bad --latency-ms --port 0 --latency-ms -5
bad --latency-ms --port 0 --latency-ms 1.5
bad --latency-ms --port 0 --latency-ms ""
bad --latency-ms --port 0 --latency-ms 99999999999999999999
bad --port --port -1
bad --port --port 65536
bad --port --port 9042x
bad --port --port
bad --nodes --port 0 --nodes 0
bad --nodes --port 0 --nodes 255
bad --nodes --port 0 --nodes -1
bad --threads --port 0 --threads 0
bad --dc --port 0 --dc dc1
bad --dc --port 0 --dc :3
bad --dc --port 0 --dc dc1:0
bad --dc --port 0 --dc dc1:x
bad --dc --port 0 --dc dc1:2:3
bad --dc --port 0 --nodes 3 --dc dc1:3
bad --num-tokens --port 0 --num-tokens 0
bad --num-tokens --port 0 --num-tokens 257
bad --error-share --port 0 --error Overloaded --error-share 1.5
bad --error-share --port 0 --error Overloaded --error-share -0.1
bad --error-share --port 0 --error Overloaded --error-share nan
bad --error-share --port 0 --error Overloaded --error-share ""
bad --close-after --port 0 --close-after 0
bad --close-after --port 0 --close-after -3
bad --error --port 0 --error Bogus
bad --error --port 0 --error ""
bad --auth --port 0 --auth nopassword
printf 'user:ok\nnopassword\n' >"$work/bad-users.txt"
bad "--auth-file line 2" --port 0 --auth-file "$work/bad-users.txt"
bad --auth-file --port 0 --auth-file "$work/no-such-file"
export NOSQLC_SANDBOX_AUTH=nocolon
bad NOSQLC_SANDBOX_AUTH --port 0
unset NOSQLC_SANDBOX_AUTH
bad --clock-skew-ms --port 0 --clock-skew-ms 86400001
bad --clock-skew-ms --port 0 --clock-skew-ms -86400001
bad --clock-skew-ms --port 0 --clock-skew-ms 1.5
bad --clock-skew-ms --port 0 --clock-skew-ms ""
bad --clock-skew-ms --port 0 --clock-skew-ms 1,,2
bad --clock-skew-ms --port 0 --clock-skew-ms 1,2,
bad --clock-skew-ms --port 0 --nodes 3 --clock-skew-ms 1,2
bad --clock-skew-ms --port 0 --dc dc1:2 --dc dc2:1 --clock-skew-ms 1,2,3,4
bad --error --port 0 --error timeout
bad --bogus --port 0 --bogus
echo "ok: bad flag values exit 2 naming the flag"
