// A latency histogram of fixed size (log-linear buckets, under 1% relative error), so that
// recording millions of operations costs no memory growth.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <vector>

namespace nosqlc::bench {

class Histogram {
 public:
  // Records one duration (negative ones count as 0; beyond about 9 hours, as the maximum).
  void record(std::chrono::nanoseconds d) noexcept;
  std::uint64_t count() const noexcept { return count_; }
  // The smallest recorded-bucket value v such that a share `q` (0..1) of the values are
  // <= v, in nanoseconds; 0 when empty. Within 1% of the exact quantile.
  std::uint64_t quantile(double q) const noexcept;
  std::uint64_t max() const noexcept { return max_; }

  struct Point {
    double q;  // 0..1; 1 for the maximum
    std::uint64_t ns;
  };
  // The latency curve as HdrHistogram plots it: quantile() at 0, 0.25, 0.5, 0.75, then 0.9, 0.95,
  // 0.975 and the same steps in each further nine (0.99, 0.995, 0.9975, ...) up to seven nines,
  // while a share 1 - q still holds at least one value (finer steps only repeat the maximum),
  // then the maximum as q = 1. Empty when count() is 0.
  std::vector<Point> percentile_points() const;
  void merge(const Histogram& other) noexcept;

 private:
  // 2^7 sub-buckets per power of two: 1/128 relative width.
  static constexpr int kSubBits = 7;
  static constexpr int kGroups = 46;  // 2^45 ns is about 9.7 hours
  static constexpr std::size_t kBuckets = std::size_t{kGroups} << kSubBits;
  static std::size_t index_of(std::uint64_t ns) noexcept;
  static std::uint64_t upper_bound_of(std::size_t index) noexcept;

  std::array<std::uint64_t, kBuckets> buckets_{};
  std::uint64_t count_ = 0;
  std::uint64_t max_ = 0;
};

}  // namespace nosqlc::bench
