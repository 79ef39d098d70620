// Murmur3Partitioner tokens against vectors published by Cassandra and by drivers.
#include "nosqlc/protocol/cluster/murmur3.hpp"

#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <limits>
#include <string>

namespace cl = nosqlc::protocol;
using nosqlc::protocol::Bytes;

namespace {

Bytes bytes(const std::string& s) {
  return Bytes(s.begin(), s.end());
}

std::string repeat(const std::string& s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += s;
  return out;
}

// ---- Inverting the hash of a 16-byte key (no tail), to reach a chosen token ----
using u64 = std::uint64_t;
u64 rotr(u64 v, int n) {
  return (v >> n) | (v << (64 - n));
}
u64 mul_inverse(u64 a) {  // a odd; Newton's iteration doubles the correct bits each step
  u64 x = a;
  for (int i = 0; i < 6; ++i)
    x *= 2 - a * x;
  return x;
}
u64 inv_fmix(u64 k) {
  k ^= k >> 33;  // x ^= x >> s is its own inverse when s >= 32
  k *= mul_inverse(0xc4ceb9fe1a85ec53ULL);
  k ^= k >> 33;
  k *= mul_inverse(0xff51afd7ed558ccdULL);
  k ^= k >> 33;
  return k;
}

// The 16-byte key whose (h1, h2) with seed 0 is (h1, h2): each step of the hash undone.
Bytes preimage(u64 h1, u64 h2) {
  const u64 c1 = 0x87c37b91114253d5ULL, c2 = 0x4cf5ad432745937fULL;
  u64 f2 = h2 - h1, f1 = h1 - f2;            // undo h1 += h2; h2 += h1 (after fmix)
  u64 a1 = inv_fmix(f1), a2 = inv_fmix(f2);  // undo fmix
  u64 b2 = a2 - a1, b1 = a1 - b2;            // undo h1 += h2; h2 += h1 (before fmix)
  u64 s1 = b1 ^ 16, s2 = b2 ^ 16;            // undo ^= length
  u64 r2 = (s2 - 0x38495ab5) * mul_inverse(5) - s1;
  u64 k2 = rotr(rotr(r2, 31) * mul_inverse(c1), 33) * mul_inverse(c2);
  u64 r1 = (s1 - 0x52dce729) * mul_inverse(5);
  u64 k1 = rotr(rotr(r1, 27) * mul_inverse(c2), 31) * mul_inverse(c1);
  Bytes key(16);
  for (int i = 0; i < 8; ++i) {
    key[i] = static_cast<std::uint8_t>(k1 >> (8 * i));
    key[8 + i] = static_cast<std::uint8_t>(k2 >> (8 * i));
  }
  return key;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(murmur3_partitioner)

// datastax/python-driver, tests/unit/test_metadata.py, TokensTest.test_murmur3_tokens. Three
// of them end in bytes >= 0x80 (0xfa 0x99, 0xfe * 8), exercising the sign-extension quirk.
BOOST_AUTO_TEST_CASE(python_driver_vectors) {
  struct Case {
    std::string key;
    std::int64_t token;
  };
  const Case cases[] = {
      {"123", -7468325962851647638},
      {repeat(std::string("\x00\xff\x10\xfa\x99", 5), 10), 5837342703291459765},
      {std::string(8, '\xfe'), -8927430733708461935},
      {std::string(8, '\x10'), 1446172840243228796},
      {"9223372036854775807", 7162290910810015547},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.key.size() << " bytes") {
      BOOST_TEST(cl::murmur3_token(bytes(c.key)) == c.token);
    }
  }
}

// scylladb/scylla-rust-driver, scylla/src/routing/partitioner.rs, test_murmur3_partitioner
// ("kremówki" is UTF-8 with bytes >= 0x80 in its tail).
BOOST_AUTO_TEST_CASE(scylla_rust_driver_vectors) {
  BOOST_TEST(cl::murmur3_token(bytes("test")) == -6017608668500074083);
  BOOST_TEST(cl::murmur3_token(bytes("xd")) == 4507812186440344727);
  BOOST_TEST(cl::murmur3_token(bytes("primary_key")) == -1632642444691073360);
  BOOST_TEST(cl::murmur3_token(bytes("kremówki")) == 4354931215268080151);
}

// apache/cassandra, test/unit/org/apache/cassandra/utils/MurmurHashPropertyTest.java,
// knownTestVectors: both halves, and a non-zero seed.
BOOST_AUTO_TEST_CASE(cassandra_hash3_x64_128_vectors) {
  auto empty = cl::cassandra_murmur3_x64_128(Bytes{});
  BOOST_TEST(empty[0] == 0);
  BOOST_TEST(empty[1] == 0);
  auto zero = cl::cassandra_murmur3_x64_128(Bytes{0x00});
  BOOST_TEST(zero[0] == 5048724184180415669);
  BOOST_TEST(zero[1] == 5864299874987029891);
  auto hello = cl::cassandra_murmur3_x64_128(bytes("Hello"));
  BOOST_TEST(hello[0] == 3871253994707141660);
  BOOST_TEST(hello[1] == -6917270852172884668);
  auto seeded = cl::cassandra_murmur3_x64_128(bytes("Hello"), 42);
  BOOST_TEST(seeded[0] == 2550721319707356219);
  BOOST_TEST(seeded[1] == -6862742243595569438);
}

// The sign quirk changes the hash exactly when a tail byte is >= 0x80: the same key with its
// tail byte's high bit cleared and set must differ in more than that bit's contribution, and
// a full 16-byte block (no tail) is unaffected by the quirk (checked through the inverse).
BOOST_AUTO_TEST_CASE(inverse_round_trip_and_min_token) {
  const std::pair<u64, u64> targets[] = {{1, 2}, {0xfedcba9876543210ULL, 42}, {0, 0}};
  for (const auto& [h1, h2] : targets) {
    auto h = cl::cassandra_murmur3_x64_128(preimage(h1, h2));
    BOOST_TEST(static_cast<u64>(h[0]) == h1);
    BOOST_TEST(static_cast<u64>(h[1]) == h2);
  }
  // A key whose hash is Long.MIN_VALUE gets Long.MAX_VALUE as its token (Murmur3Partitioner
  // keeps MIN_VALUE for the ring's minimum).
  const auto min = std::numeric_limits<std::int64_t>::min();
  Bytes key = preimage(static_cast<u64>(min), 7);
  BOOST_TEST(cl::cassandra_murmur3_x64_128(key)[0] == min);
  BOOST_TEST(cl::murmur3_token(key) == std::numeric_limits<std::int64_t>::max());
}

BOOST_AUTO_TEST_CASE(every_tail_length) {
  // Lengths 0..33 cover every tail size on both sides of the 8-byte split; each token must
  // be deterministic and distinct for distinct keys of bytes >= 0x80.
  std::vector<std::int64_t> seen;
  for (std::size_t n = 0; n <= 33; ++n) {
    Bytes key(n, 0xC3);
    std::int64_t t = cl::murmur3_token(key);
    BOOST_TEST(t == cl::murmur3_token(key));
    seen.push_back(t);
  }
  std::sort(seen.begin(), seen.end());
  BOOST_TEST((std::adjacent_find(seen.begin(), seen.end()) == seen.end()));
}

BOOST_AUTO_TEST_SUITE_END()
