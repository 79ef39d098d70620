#include "nosqlc/protocol/engine/stream_ids.hpp"

#include <algorithm>
#include <bit>

namespace nosqlc::protocol {

StreamIds::StreamIds(std::size_t capacity)
    : capacity_(std::clamp<std::size_t>(capacity, 1, kMaxCapacity)),
      taken_((capacity_ + 63) / 64, 0),
      orphaned_((capacity_ + 63) / 64, 0) {
  // Bits past the capacity in the last word count as taken so acquire never returns them.
  if (std::size_t extra = taken_.size() * 64 - capacity_; extra > 0) {
    taken_.back() = ~std::uint64_t{0} << (64 - extra);
  }
}

std::optional<std::int16_t> StreamIds::acquire() noexcept {
  for (std::size_t w = first_free_word_; w < taken_.size(); ++w) {
    if (taken_[w] == ~std::uint64_t{0}) continue;
    int bit = std::countr_one(taken_[w]);
    taken_[w] |= std::uint64_t{1} << bit;
    first_free_word_ = w;
    ++used_;
    return static_cast<std::int16_t>(w * 64 + static_cast<std::size_t>(bit));
  }
  first_free_word_ = taken_.size();
  return std::nullopt;
}

void StreamIds::release(std::int16_t id) noexcept {
  if (!valid(id) || !in_use(id)) return;
  auto w = static_cast<std::size_t>(id) / 64;
  auto mask = std::uint64_t{1} << (static_cast<std::size_t>(id) % 64);
  taken_[w] &= ~mask;
  if (orphaned_[w] & mask) {
    orphaned_[w] &= ~mask;
    --orphans_;
  }
  --used_;
  first_free_word_ = std::min(first_free_word_, w);
}

void StreamIds::orphan(std::int16_t id) noexcept {
  if (!valid(id) || !in_use(id) || is_orphan(id)) return;
  orphaned_[static_cast<std::size_t>(id) / 64] |= std::uint64_t{1}
                                                  << (static_cast<std::size_t>(id) % 64);
  ++orphans_;
}

void StreamIds::reset() noexcept {
  std::fill(taken_.begin(), taken_.end(), 0);
  std::fill(orphaned_.begin(), orphaned_.end(), 0);
  if (std::size_t extra = taken_.size() * 64 - capacity_; extra > 0) {
    taken_.back() = ~std::uint64_t{0} << (64 - extra);
  }
  used_ = 0;
  orphans_ = 0;
  first_free_word_ = 0;
}

bool StreamIds::in_use(std::int16_t id) const noexcept {
  return valid(id) &&
         (taken_[static_cast<std::size_t>(id) / 64] >> (static_cast<std::size_t>(id) % 64)) & 1;
}

bool StreamIds::is_orphan(std::int16_t id) const noexcept {
  return valid(id) &&
         (orphaned_[static_cast<std::size_t>(id) / 64] >> (static_cast<std::size_t>(id) % 64)) & 1;
}

}  // namespace nosqlc::protocol
