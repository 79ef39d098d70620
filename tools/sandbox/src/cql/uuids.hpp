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
// Milliseconds since the Unix epoch of a version 1 UUID's time (16 bytes).
std::int64_t time_uuid_millis(protocol::BytesView uuid);

}  // namespace nosqlc::sandbox
