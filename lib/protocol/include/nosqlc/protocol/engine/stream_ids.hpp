// Stream id allocation for one connection (native_protocol_v4.spec section 2.3): ids 0 to
// capacity-1, lowest free first. A request that timed out leaves its id orphaned: the id is
// not reused until the late response arrives (or the connection closes), so that response can
// never be taken for the answer to a newer request.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace nosqlc::protocol {

class StreamIds {
 public:
  static constexpr std::size_t kMaxCapacity = 32768;

  // `capacity` is clamped to 1..kMaxCapacity.
  explicit StreamIds(std::size_t capacity = kMaxCapacity);

  // The lowest free id, now in use; nullopt when all are in use or orphaned.
  std::optional<std::int16_t> acquire() noexcept;
  // Frees an id that is in use or orphaned (its response arrived). Ignores other ids.
  void release(std::int16_t id) noexcept;
  // Marks an in-use id as orphaned (its request was abandoned). Ignores other ids.
  void orphan(std::int16_t id) noexcept;
  // Frees every id, orphans included (the connection closed: no answer can come any more).
  void reset() noexcept;

  bool in_use(std::int16_t id) const noexcept;
  bool is_orphan(std::int16_t id) const noexcept;
  std::size_t used() const noexcept { return used_; }  // in use or orphaned
  std::size_t orphans() const noexcept { return orphans_; }
  std::size_t capacity() const noexcept { return capacity_; }

 private:
  bool valid(std::int16_t id) const noexcept {
    return id >= 0 && static_cast<std::size_t>(id) < capacity_;
  }
  std::size_t capacity_;
  std::vector<std::uint64_t> taken_;     // bit set: in use or orphaned
  std::vector<std::uint64_t> orphaned_;  // bit set: orphaned
  std::size_t used_ = 0;
  std::size_t orphans_ = 0;
  std::size_t first_free_word_ = 0;  // no free bit in words before this one
};

}  // namespace nosqlc::protocol
