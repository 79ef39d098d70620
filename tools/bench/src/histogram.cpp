#include "nosqlc/bench/histogram.hpp"

#include <algorithm>
#include <bit>
#include <cmath>

namespace nosqlc::bench {

std::size_t Histogram::index_of(std::uint64_t ns) noexcept {
  // Values below 2^kSubBits have buckets of width 1; above, group g holds [2^(g+6), 2^(g+7))
  // split in 128 equal parts.
  if (ns < (std::uint64_t{1} << kSubBits)) return static_cast<std::size_t>(ns);
  int top = std::bit_width(ns) - 1;  // ns >= 2^top
  int group = top - kSubBits + 1;
  if (group >= kGroups) return kBuckets - 1;
  std::uint64_t sub = (ns >> (top - kSubBits)) & ((std::uint64_t{1} << kSubBits) - 1);
  return (static_cast<std::size_t>(group) << kSubBits) | static_cast<std::size_t>(sub);
}

std::uint64_t Histogram::upper_bound_of(std::size_t index) noexcept {
  std::size_t group = index >> kSubBits;
  std::uint64_t sub = index & ((std::size_t{1} << kSubBits) - 1);
  if (group == 0) return sub;
  int top = static_cast<int>(group) + kSubBits - 1;
  std::uint64_t base = std::uint64_t{1} << top;
  std::uint64_t width = std::uint64_t{1} << (top - kSubBits);
  return base + (sub + 1) * width - 1;
}

void Histogram::record(std::chrono::nanoseconds d) noexcept {
  std::uint64_t ns = d.count() < 0 ? 0 : static_cast<std::uint64_t>(d.count());
  ++buckets_[index_of(ns)];
  ++count_;
  max_ = std::max(max_, ns);
}

std::uint64_t Histogram::quantile(double q) const noexcept {
  if (count_ == 0) return 0;
  q = std::clamp(q, 0.0, 1.0);
  auto rank = static_cast<std::uint64_t>(std::ceil(q * static_cast<double>(count_)));
  rank = std::max<std::uint64_t>(rank, 1);
  std::uint64_t seen = 0;
  for (std::size_t i = 0; i < kBuckets; ++i) {
    seen += buckets_[i];
    if (seen >= rank) return std::min(upper_bound_of(i), max_);
  }
  return max_;
}

std::vector<Histogram::Point> Histogram::percentile_points() const {
  // Literals rather than 1 - 10^-k, so that 0.5, 0.99 and 0.999 are the very doubles the
  // bench's p50, p99 and p99.9 figures use.
  static constexpr double kQs[] = {0,         0.25,     0.5,       0.75,       0.9,      0.95,
                                   0.975,     0.99,     0.995,     0.9975,     0.999,    0.9995,
                                   0.99975,   0.9999,   0.99995,   0.999975,   0.99999,  0.999995,
                                   0.9999975, 0.999999, 0.9999995, 0.99999975, 0.9999999};
  std::vector<Point> out;
  if (count_ == 0) return out;
  for (double q : kQs) {
    if ((1 - q) * static_cast<double>(count_) < 1 - 1e-9) break;
    out.push_back({q, quantile(q)});
  }
  out.push_back({1, max_});
  return out;
}

void Histogram::merge(const Histogram& other) noexcept {
  for (std::size_t i = 0; i < kBuckets; ++i)
    buckets_[i] += other.buckets_[i];
  count_ += other.count_;
  max_ = std::max(max_, other.max_);
}

}  // namespace nosqlc::bench
