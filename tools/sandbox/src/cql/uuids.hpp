// UUIDs the sandbox makes: random ones (version 4) for ids and schema versions, time-based
// ones (version 1) for now(), and the time of a version 1 UUID. Thread-safe.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstdint>

namespace nosqlc::sandbox {

// A random RFC 4122 version 4 UUID.
protocol::Uuid random_uuid();
// A version 1 UUID for the current time (100 ns since 1582-10-15) with a random clock
// sequence and node; strictly increasing within the process.
protocol::Uuid time_uuid();
// The version 1 UUID of time `t` (100 ns since 1582-10-15) with these clock sequence and node
// bytes (the UUID's last 8), as minTimeuuid() and maxTimeuuid() build them.
protocol::Uuid time_uuid_at(std::uint64_t t, std::uint64_t clock_seq_and_node);
// The time of a version 1 UUID's `t` for Unix milliseconds.
std::uint64_t uuid_time_of_millis(std::int64_t millis);
// Milliseconds since the Unix epoch of a version 1 UUID's time (16 bytes).
std::int64_t time_uuid_millis(protocol::BytesView uuid);

}  // namespace nosqlc::sandbox
