#!/usr/bin/env bash
# Runs one peer test (a third-party client against nosqlc-sandbox):
#   run.sh --sandbox PATH [--nodes N | --dc NAME:N[:R]...] [--npm-dir DIR] -- COMMAND [ARGS...]
# Starts the sandbox on a free port, waits for its "listening on" lines, runs COMMAND with
# SANDBOX_HOST, SANDBOX_PORT, SANDBOX_NODES (all of them), SANDBOX_NUM_TOKENS (16) and
# SANDBOX_DCS (each node's data centre, comma-separated) set, then stops the sandbox with
# SIGTERM. Fails
# when COMMAND fails or when the sandbox did not exit 0 (a crash during the test).
# --npm-dir installs tests/peer/package.json's packages into DIR (under the build tree, so the
# source tree stays clean) unless they are there already, and puts them on NODE_PATH.
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

sandbox="" nodes=1 npm_dir="" dcs=() node_dcs=""
while (($#)); do
  case $1 in
    --sandbox) sandbox=$2; shift 2 ;;
    --nodes) nodes=$2; shift 2 ;;
    --dc) dcs+=(--dc "$2"); shift 2 ;;
    --npm-dir) npm_dir=$2; shift 2 ;;
    --) shift; break ;;
    *) echo "run.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$sandbox" ] || (($# == 0)); then
  echo "usage: run.sh --sandbox PATH [--nodes N | --dc NAME:N[:R]...] [--npm-dir DIR] -- COMMAND [ARGS...]" >&2
  exit 2
fi
if ((${#dcs[@]})); then
  nodes=0
  for ((i = 1; i < ${#dcs[@]}; i += 2)); do
    IFS=: read -r name count _ <<<"${dcs[i]}"
    nodes=$((nodes + count))
    for ((j = 0; j < count; j++)); do node_dcs+="${node_dcs:+,}$name"; done
  done
  layout=("${dcs[@]}")
else
  layout=(--nodes "$nodes")
  for ((j = 0; j < nodes; j++)); do node_dcs+="${node_dcs:+,}datacenter1"; done
fi

if [ -n "$npm_dir" ]; then
  mkdir -p "$npm_dir"
  # Several node tests may start at once under ctest -j: one installs, the others wait.
  exec 9>"$npm_dir/.lock"
  flock 9
  # Reinstall when package.json or the lock changed since the last install.
  stamp=$(cat "$HERE"/package*.json | sha256sum)
  if [ ! -d "$npm_dir/node_modules" ] ||
    [ "$(cat "$npm_dir/.stamp" 2>/dev/null)" != "$stamp" ]; then
    echo "run.sh: installing npm packages into $npm_dir"
    cp "$HERE/package.json" "$npm_dir/"
    if [ -f "$HERE/package-lock.json" ]; then
      cp "$HERE/package-lock.json" "$npm_dir/"
      (cd "$npm_dir" && npm ci --no-audit --no-fund)
    else
      (cd "$npm_dir" && npm install --no-audit --no-fund)
    fi
    echo "$stamp" >"$npm_dir/.stamp"
  fi
  flock -u 9
  exec 9>&-
  export NODE_PATH="$npm_dir/node_modules"
fi

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

"$sandbox" --port 0 "${layout[@]}" >"$work/out" 2>"$work/err" &
pid=$!

# Wait (up to 30 s, so a slow machine is not a failure) for one line per node.
for _ in $(seq 300); do
  if [ "$(grep -c '^listening on ' "$work/out" || true)" -ge "$nodes" ]; then break; fi
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "run.sh: nosqlc-sandbox exited before listening:" >&2
    cat "$work/err" >&2
    exit 1
  fi
  sleep 0.1
done
if [ "$(grep -c '^listening on ' "$work/out" || true)" -lt "$nodes" ]; then
  echo "run.sh: nosqlc-sandbox did not listen within 30 s" >&2
  cat "$work/out" "$work/err" >&2
  exit 1
fi
cat "$work/out"
first=$(grep -m1 '^listening on ' "$work/out")
address=${first#listening on }
export SANDBOX_HOST=${address%:*}
export SANDBOX_PORT=${address##*:}
export SANDBOX_NODES=$nodes
export SANDBOX_NUM_TOKENS=16
export SANDBOX_DCS=$node_dcs

rc=0
"$@" || rc=$?

kill -TERM "$pid"
src=0
wait "$pid" || src=$?
pid=""
if ((src != 0)); then
  echo "run.sh: nosqlc-sandbox exited with status $src" >&2
  cat "$work/err" >&2
  ((rc != 0)) || rc=1
fi
exit "$rc"
