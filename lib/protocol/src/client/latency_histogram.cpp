#include "nosqlc/protocol/client/latency_histogram.hpp"

#include <bit>

namespace nosqlc::protocol::detail {

// Values 0..3 have buckets 0..3; from 4 on, the octave's index times four plus the two bits
// under the leading one.
std::size_t LatencyHistogram::bucket_of(std::uint64_t us) {
  if (us < 4) return static_cast<std::size_t>(us);
  const int octave = 63 - std::countl_zero(us);  // >= 2
  const auto sub = static_cast<std::size_t>((us >> (octave - 2)) & 3);
  const std::size_t b = static_cast<std::size_t>(octave - 1) * 4 + sub;
  return b < kBuckets ? b : kBuckets - 1;
}

std::uint64_t LatencyHistogram::upper_bound(std::size_t bucket) {
  if (bucket < 4) return bucket + 1;
  const std::size_t octave = bucket / 4 + 1;
  const std::uint64_t sub = bucket % 4;
  return ((4 + sub + 1) << (octave - 2));
}

void LatencyHistogram::record(std::chrono::microseconds latency) {
  const auto us = static_cast<std::uint64_t>(latency.count() < 0 ? 0 : latency.count());
  counts_[bucket_of(us)].fetch_add(1, std::memory_order_relaxed);
  if (since_decay_.fetch_add(1, std::memory_order_relaxed) + 1 >= 1024) {
    // Older samples weigh half: the distribution follows the host (racy, and fine so).
    since_decay_.store(0, std::memory_order_relaxed);
    for (auto& c : counts_)
      c.store(c.load(std::memory_order_relaxed) / 2, std::memory_order_relaxed);
  }
}

std::optional<std::chrono::microseconds> LatencyHistogram::percentile(double percentile) const {
  std::array<std::uint32_t, kBuckets> snapshot;
  std::uint64_t total = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    snapshot[i] = counts_[i].load(std::memory_order_relaxed);
    total += snapshot[i];
  }
  if (total < kMinSamples) return std::nullopt;
  const double wanted = percentile / 100.0 * static_cast<double>(total);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += snapshot[i];
    if (static_cast<double>(seen) >= wanted && seen > 0) {
      return std::chrono::microseconds(upper_bound(i));
    }
  }
  return std::chrono::microseconds(upper_bound(kBuckets - 1));
}

}  // namespace nosqlc::protocol::detail
