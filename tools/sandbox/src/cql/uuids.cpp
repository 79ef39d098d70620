#include "cql/uuids.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>
#include <random>

namespace nosqlc::sandbox {
namespace {

// 100 ns intervals from 1582-10-15 (the Gregorian reform) to 1970-01-01.
constexpr std::uint64_t kGregorianOffset = 0x01B21DD213814000ULL;

protocol::Uuid random_bytes() {
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  protocol::Uuid u{};
  for (std::size_t i = 0; i < 16; i += 8) {
    std::uint64_t r = rng();
    for (std::size_t j = 0; j < 8; ++j)
      u[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
  }
  return u;
}

}  // namespace

protocol::Uuid random_uuid() {
  protocol::Uuid u = random_bytes();
  u[6] = static_cast<std::uint8_t>((u[6] & 0x0F) | 0x40);  // version 4
  u[8] = static_cast<std::uint8_t>((u[8] & 0x3F) | 0x80);  // RFC 4122 variant
  return u;
}

protocol::Uuid time_uuid() {
  using namespace std::chrono;
  static std::mutex m;
  static std::uint64_t last = 0;
  std::uint64_t t =
      static_cast<std::uint64_t>(
          duration_cast<nanoseconds>(system_clock::now().time_since_epoch()).count() / 100) +
      kGregorianOffset;
  {
    std::lock_guard lock(m);
    t = std::max(t, last + 1);
    last = t;
  }
  protocol::Uuid r = random_bytes();
  std::uint64_t clock_seq_and_node = 0;
  for (std::size_t i = 8; i < 16; ++i)
    clock_seq_and_node = clock_seq_and_node << 8 | r[i];
  clock_seq_and_node = (clock_seq_and_node & 0x3FFF'FFFF'FFFF'FFFFULL) | 0x8000'0000'0000'0000ULL;
  clock_seq_and_node |= std::uint64_t{1} << 40;  // a random node id has its multicast bit set
                                                 // (RFC 4122 4.5)
  return time_uuid_at(t, clock_seq_and_node);
}

protocol::Uuid time_uuid_at(std::uint64_t t, std::uint64_t clock_seq_and_node) {
  protocol::Uuid u{};
  u[0] = static_cast<std::uint8_t>(t >> 24);
  u[1] = static_cast<std::uint8_t>(t >> 16);
  u[2] = static_cast<std::uint8_t>(t >> 8);
  u[3] = static_cast<std::uint8_t>(t);
  u[4] = static_cast<std::uint8_t>(t >> 40);
  u[5] = static_cast<std::uint8_t>(t >> 32);
  u[6] = static_cast<std::uint8_t>(0x10 | ((t >> 56) & 0x0F));
  u[7] = static_cast<std::uint8_t>(t >> 48);
  for (int i = 0; i < 8; ++i)
    u[static_cast<std::size_t>(8 + i)] =
        static_cast<std::uint8_t>(clock_seq_and_node >> (56 - 8 * i));
  return u;
}

std::uint64_t uuid_time_of_millis(std::int64_t millis) {
  return static_cast<std::uint64_t>(millis) * 10000 + kGregorianOffset;
}

std::int64_t time_uuid_millis(protocol::BytesView u) {
  std::uint64_t t = (std::uint64_t{u[6]} & 0x0F) << 56 | std::uint64_t{u[7]} << 48 |
                    std::uint64_t{u[4]} << 40 | std::uint64_t{u[5]} << 32 |
                    std::uint64_t{u[0]} << 24 | std::uint64_t{u[1]} << 16 |
                    std::uint64_t{u[2]} << 8 | u[3];
  return static_cast<std::int64_t>((t - kGregorianOffset) / 10000);
}

}  // namespace nosqlc::sandbox
