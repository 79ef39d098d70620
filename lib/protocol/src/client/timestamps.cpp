#include "nosqlc/protocol/client/timestamps.hpp"

namespace nosqlc::protocol::detail {

std::int64_t TimestampGenerator::next_at(std::int64_t now) {
  std::int64_t last = last_.load(std::memory_order_relaxed);
  std::int64_t next = 0;
  do {
    next = now > last ? now : last + 1;
  } while (!last_.compare_exchange_weak(last, next, std::memory_order_relaxed));
  if (next - now > drift_) warn(next - now, now);
  return next;
}

void TimestampGenerator::warn(std::int64_t ahead, std::int64_t now) {
  if (!warn_) return;
  std::int64_t previous = last_warning_.load(std::memory_order_relaxed);
  if (now - previous < 1'000'000 && now >= previous) return;
  if (!last_warning_.compare_exchange_strong(previous, now, std::memory_order_relaxed)) return;
  try {
    warn_("client timestamps run " + std::to_string(ahead / 1000) +
          " ms ahead of the clock (it went back, or writes outpace it): each write now takes the "
          "last timestamp plus one microsecond");
  } catch (...) {  // what the handler throws is not ours to fail on
  }
}

}  // namespace nosqlc::protocol::detail
