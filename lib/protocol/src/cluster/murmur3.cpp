#include "nosqlc/protocol/cluster/murmur3.hpp"

#include <limits>

namespace nosqlc::protocol {
namespace {

// Unsigned arithmetic throughout: Java's long wraps, C++'s signed overflow is undefined.
using u64 = std::uint64_t;

constexpr u64 rotl64(u64 v, int n) {
  return (v << n) | (v >> (64 - n));
}

constexpr u64 fmix(u64 k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

// A little-endian 64-bit block (Cassandra's getBlock masks each byte: no sign quirk here).
u64 block(const std::uint8_t* p) {
  u64 v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | p[i];
  return v;
}

// Java's `(long) key.get(i)`: the byte as signed, sign-extended to 64 bits.
u64 signed_byte(std::uint8_t b) {
  return static_cast<u64>(static_cast<std::int64_t>(static_cast<std::int8_t>(b)));
}

}  // namespace

std::array<std::int64_t, 2> cassandra_murmur3_x64_128(BytesView data, std::uint64_t seed) noexcept {
  constexpr u64 c1 = 0x87c37b91114253d5ULL;
  constexpr u64 c2 = 0x4cf5ad432745937fULL;
  const std::size_t length = data.size();
  const std::size_t nblocks = length / 16;
  u64 h1 = seed;
  u64 h2 = seed;

  for (std::size_t i = 0; i < nblocks; ++i) {
    u64 k1 = block(data.data() + i * 16);
    u64 k2 = block(data.data() + i * 16 + 8);
    k1 *= c1;
    k1 = rotl64(k1, 31);
    k1 *= c2;
    h1 ^= k1;
    h1 = rotl64(h1, 27);
    h1 += h2;
    h1 = h1 * 5 + 0x52dce729;
    k2 *= c2;
    k2 = rotl64(k2, 33);
    k2 *= c1;
    h2 ^= k2;
    h2 = rotl64(h2, 31);
    h2 += h1;
    h2 = h2 * 5 + 0x38495ab5;
  }

  const std::uint8_t* tail = data.data() + nblocks * 16;
  const std::size_t rest = length & 15;
  u64 k1 = 0;
  u64 k2 = 0;
  // The tail bytes XORed in, sign-extended (Cassandra's quirk); byte i lands at bit 8 * i.
  for (std::size_t i = rest; i > 8; --i)
    k2 ^= signed_byte(tail[i - 1]) << ((i - 9) * 8);
  if (rest > 8) {
    k2 *= c2;
    k2 = rotl64(k2, 33);
    k2 *= c1;
    h2 ^= k2;
  }
  for (std::size_t i = rest < 8 ? rest : 8; i > 0; --i) {
    k1 ^= signed_byte(tail[i - 1]) << ((i - 1) * 8);
  }
  if (rest > 0) {
    k1 *= c1;
    k1 = rotl64(k1, 31);
    k1 *= c2;
    h1 ^= k1;
  }

  h1 ^= length;
  h2 ^= length;
  h1 += h2;
  h2 += h1;
  h1 = fmix(h1);
  h2 = fmix(h2);
  h1 += h2;
  h2 += h1;
  return {static_cast<std::int64_t>(h1), static_cast<std::int64_t>(h2)};
}

std::int64_t murmur3_token(BytesView partition_key) noexcept {
  std::int64_t h = cassandra_murmur3_x64_128(partition_key)[0];
  return h == std::numeric_limits<std::int64_t>::min() ? std::numeric_limits<std::int64_t>::max()
                                                       : h;
}

}  // namespace nosqlc::protocol
