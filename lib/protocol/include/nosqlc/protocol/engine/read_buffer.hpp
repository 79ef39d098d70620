// The bytes read from a stream and not consumed yet, for the frame splitter. Sans-io: the
// client's connection and the sandbox's server read into it and split frames out of it.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstddef>
#include <cstdint>
#include <span>

namespace nosqlc::protocol {

// One contiguous buffer that grows only as bytes arrive, never to the length a peer
// announces: a header claiming a 255 MiB body costs what was actually received, at most
// twice over. It shrinks back to one chunk once a large frame is consumed.
class ReadBuffer {
 public:
  static constexpr std::size_t kDefaultChunk = 64 * 1024;

  explicit ReadBuffer(std::size_t chunk = kDefaultChunk);

  // The bytes read and not yet consumed.
  BytesView data() const noexcept { return {buf_.data() + start_, end_ - start_}; }
  // Free space after data() to read into, never empty. `wanted` is how many more bytes the
  // frame being read still needs (split_frame's `needed`, 0 when unknown): the space grows
  // towards it, by at most the bytes already held (and at least a chunk) per call.
  std::span<std::uint8_t> prepare(std::size_t wanted);
  // `n` bytes were written into the span prepare() returned.
  void commit(std::size_t n) noexcept { end_ += n; }
  // Drops `n` bytes from the front of data().
  void consume(std::size_t n) noexcept;
  std::size_t capacity() const noexcept { return buf_.size(); }

 private:
  std::size_t chunk_;
  Bytes buf_;
  std::size_t start_ = 0;
  std::size_t end_ = 0;
};

}  // namespace nosqlc::protocol
