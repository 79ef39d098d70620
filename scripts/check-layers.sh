#!/usr/bin/env bash
# The layering rules of DESIGN.md as greps: the codec includes no Asio, OpenSSL or sockets;
# lib/filter includes neither protocol nor Asio; lib/observe includes nothing of ours nor Asio;
# the generic core of lib/nosql (everything but its backend folders) includes no protocol
# header.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
fail=0
check() {  # check DESCRIPTION PATTERN FILES...
  local what=$1 pattern=$2
  shift 2
  local hits
  hits=$(grep -nE "$pattern" "$@" 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "layering violation: $what"
    echo "$hits"
    fail=1
  fi
}
shopt -s nullglob
codec=(lib/protocol/include/nosqlc/protocol/*.hpp lib/protocol/src/*.cpp
       lib/protocol/include/nosqlc/protocol/engine/*.hpp lib/protocol/src/engine/*.cpp
       lib/protocol/src/forms/*.cpp)
check "codec or engine includes I/O" '#include *[<"](asio|openssl|sys/socket|netinet|nosqlc/protocol/client/)' "${codec[@]}"
filter=(lib/filter/include/nosqlc/filter/*.hpp lib/filter/src/*.cpp)
check "filter includes protocol or asio" '#include *[<"](asio|nosqlc/protocol|nosqlc/nosql)' "${filter[@]}"
observe=(lib/observe/include/nosqlc/observe/*.hpp lib/observe/src/*.cpp)
check "observe includes another layer or asio" '#include *[<"](asio|nosqlc/(protocol|filter|nosql))' "${observe[@]}"
core=(lib/nosql/include/nosqlc/nosql/*.hpp lib/nosql/src/*.cpp)
check "nosql core includes protocol" '#include *[<"]nosqlc/protocol' "${core[@]}"
[ $fail = 0 ] && echo "layering ok"
exit $fail
