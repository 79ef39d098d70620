#!/usr/bin/env bash
# Makes a throwaway CA, a server certificate for localhost / 127.0.0.1 and a client
# certificate, all signed by that CA, in directory $1. Used by TLS tests at test time.
set -euo pipefail
dir=${1:?usage: make-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
quiet() { "$@" >/dev/null 2>&1 || { echo "failed: $*" >&2; "$@"; exit 1; }; }

quiet openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=nosqlc test CA" \
  -keyout ca.key -out ca.pem
make_leaf() {  # name subject-alt-names extended-key-usage
  quiet openssl req -newkey rsa:2048 -nodes -subj "/CN=$1" -keyout "$1.key" -out "$1.csr"
  printf 'subjectAltName=%s\nextendedKeyUsage=%s\n' "$2" "$3" >"$1.ext"
  quiet openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 \
    -extfile "$1.ext" -out "$1.pem"
}
make_leaf server "DNS:localhost,IP:127.0.0.1,IP:127.0.0.2,IP:127.0.0.3" serverAuth
make_leaf client "DNS:nosqlc-client" clientAuth
# A certificate from another CA, which verification must reject.
quiet openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj "/CN=localhost" \
  -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" -keyout rogue.key -out rogue.pem
echo "$dir"
