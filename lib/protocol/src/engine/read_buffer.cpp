#include "nosqlc/protocol/engine/read_buffer.hpp"

#include <algorithm>
#include <cstring>

namespace nosqlc::protocol {

ReadBuffer::ReadBuffer(std::size_t chunk) : chunk_(std::max<std::size_t>(chunk, 16)) {
  buf_.resize(chunk_);
}

void ReadBuffer::consume(std::size_t n) noexcept {
  start_ += std::min(n, end_ - start_);
  if (start_ == end_) start_ = end_ = 0;
}

std::span<std::uint8_t> ReadBuffer::prepare(std::size_t wanted) {
  const std::size_t have = end_ - start_;
  if (start_ > 0) {
    std::memmove(buf_.data(), buf_.data() + start_, have);
    start_ = 0;
    end_ = have;
  }
  // A buffer grown for one big frame is given back once that frame is consumed.
  if (buf_.size() > 4 * chunk_ && have + wanted <= chunk_) {
    Bytes small(chunk_);
    std::copy_n(buf_.begin(), have, small.begin());
    buf_.swap(small);
  }
  const std::size_t free = buf_.size() - end_;
  if (free < wanted || free < chunk_ / 4) {
    // Towards the frame's end, but by at most what is already here: a peer must send bytes
    // to make the buffer grow.
    const std::size_t step = std::max(chunk_, std::min(wanted, have));
    buf_.resize(end_ + std::max(free, step));
  }
  return {buf_.data() + end_, buf_.size() - end_};
}

}  // namespace nosqlc::protocol
