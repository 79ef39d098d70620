#include "nosqlc/nosql/uuid.hpp"

#include <cstdint>
#include <random>

namespace nosqlc {

std::string uuid_v4() {
  // One generator per thread, seeded from the OS, so concurrent inserts need no lock.
  thread_local std::mt19937_64 gen = [] {
    std::random_device rd;
    std::seed_seq seq{rd(), rd(), rd(), rd(), rd(), rd(), rd(), rd()};
    return std::mt19937_64(seq);
  }();
  std::uint64_t hi = gen();
  std::uint64_t lo = gen();
  hi = (hi & ~0xF000ULL) | 0x4000ULL;              // version 4
  lo = (lo & ~(0xC0ULL << 56)) | (0x80ULL << 56);  // variant 10xx
  static constexpr char kHex[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  auto put = [&](std::uint64_t v, int from_bit, int nibbles) {
    for (int i = 0; i < nibbles; ++i)
      s += kHex[(v >> (from_bit - 4 * (i + 1))) & 0xF];
  };
  put(hi, 64, 8);
  s += '-';
  put(hi, 32, 4);
  s += '-';
  put(hi, 16, 4);
  s += '-';
  put(lo, 64, 4);
  s += '-';
  put(lo, 48, 12);
  return s;
}

}  // namespace nosqlc
