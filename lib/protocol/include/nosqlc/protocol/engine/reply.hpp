// A decoded response frame and what its message views.
#pragma once

#include "nosqlc/protocol/messages.hpp"

#include <memory>

namespace nosqlc::protocol {

// The message of an uncompressed frame views the bytes it was received in (`chunk`, shared
// with the other frames of that read: a body is never copied); that of a compressed frame
// views `scratch`, its decompressed body.
struct Reply {
  FrameHeader header;
  FrameExtras extras;
  Response message;
  std::shared_ptr<const Bytes> chunk;
  Bytes scratch;
};
using ReplyPtr = std::shared_ptr<const Reply>;

}  // namespace nosqlc::protocol
