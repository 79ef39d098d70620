// Cassandra's Murmur3Partitioner: the token of a partition key, bit for bit as Cassandra
// computes it (org.apache.cassandra.utils.MurmurHash.hash3_x64_128 and
// org.apache.cassandra.dht.Murmur3Partitioner). Pure and thread-safe.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <array>
#include <cstdint>

namespace nosqlc::protocol {

// MurmurHash3_x64_128 of `data` with `seed`, as Cassandra's Java port computes it: the
// 1 to 15 tail bytes are read as *signed* Java bytes and sign-extended before being shifted
// into place, so keys whose tail holds a byte >= 0x80 hash differently from the reference C
// implementation. Returns {h1, h2}.
std::array<std::int64_t, 2> cassandra_murmur3_x64_128(BytesView data,
                                                      std::uint64_t seed = 0) noexcept;

// The Murmur3Partitioner token of a serialized partition key: h1 of the hash with seed 0,
// except that Long.MIN_VALUE, which Cassandra reserves as the ring's minimum token, becomes
// Long.MAX_VALUE.
std::int64_t murmur3_token(BytesView partition_key) noexcept;

}  // namespace nosqlc::protocol
