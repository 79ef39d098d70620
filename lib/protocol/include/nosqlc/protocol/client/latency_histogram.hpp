// Recent answer latencies of one host, for a speculative delay at a percentile of them: a
// log-linear histogram (four buckets per power of two of microseconds, so a percentile is
// within 19% of the true value) whose counts halve every 1,024 samples, so that it follows the
// host as it slows down or recovers. Lock-free; any thread.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <optional>

namespace nosqlc::protocol::detail {

class LatencyHistogram {
 public:
  static constexpr std::size_t kMinSamples = 100;  // fewer: no percentile yet

  void record(std::chrono::microseconds latency);
  // The latency under which `percentile` percent of the recent samples fall (the upper bound
  // of their bucket); nullopt with fewer than kMinSamples samples.
  std::optional<std::chrono::microseconds> percentile(double percentile) const;

 private:
  static constexpr std::size_t kBuckets = 27 * 4;  // up to 2^27 us (134 s)
  static std::size_t bucket_of(std::uint64_t us);
  static std::uint64_t upper_bound(std::size_t bucket);

  std::array<std::atomic<std::uint32_t>, kBuckets> counts_{};
  std::atomic<std::uint32_t> since_decay_{0};
};

}  // namespace nosqlc::protocol::detail
