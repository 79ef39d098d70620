// Misbehaviour injected on a sandbox node (Server::set_faults, the sandbox.nodes table and the
// nosqlc-sandbox flags), and the errors it answers, named as Cassandra names its exceptions.
#pragma once

#include "nosqlc/protocol/server_error.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <string_view>

namespace nosqlc::sandbox {

struct Faults {
  std::chrono::milliseconds latency{0};  // added before every answer
  bool silent = false;                   // read requests but never answer any (a black hole)
  // Close each connection once it has answered this many statements (QUERY, PREPARE, EXECUTE,
  // BATCH); the next one is not answered. 0: never.
  std::size_t close_after = 0;
  // Answer EXECUTE and BATCH requests with this error (one of fault_error_names, with
  // plausible extra fields) for `error_share` of them (0..1, drawn at random). Handshakes,
  // QUERY and PREPARE are spared, so drivers still connect and tests can heal the node.
  std::optional<protocol::ServerErrorCode> error;
  double error_share = 1;
  // Added to the node's clock for the timestamps of the writes it coordinates without a client
  // timestamp (no USING TIMESTAMP, no default_timestamp), as a node whose clock is off would
  // stamp them. May be negative. TTL expiry and now() keep the true clock.
  std::chrono::milliseconds clock_skew{0};

  bool operator==(const Faults&) const = default;
};

// The largest clock skew accepted, either way: a day.
inline constexpr std::chrono::milliseconds kMaxClockSkew{86'400'000};

// "Overloaded, Unavailable, ReadTimeout, WriteTimeout, IsBootstrapping, TruncateError,
// ServerError": the errors a node can be told to answer, for messages.
extern const std::string_view fault_error_names;
// The code of an error named as Cassandra's exceptions are (OverloadedException ->
// "Overloaded"), in any case, '_' and '-' ignored ("read_timeout" works); nullopt for others.
std::optional<protocol::ServerErrorCode> fault_error_code(std::string_view name) noexcept;
// The name of a code fault_error_code accepts ("ReadTimeout"); "" for others.
std::string_view fault_error_name(protocol::ServerErrorCode code) noexcept;
// The ERROR a node answers for an injected `code`: Cassandra's message and plausible extra
// fields (consistency ONE, nothing received, nothing alive).
protocol::ServerError fault_error(protocol::ServerErrorCode code);

}  // namespace nosqlc::sandbox
