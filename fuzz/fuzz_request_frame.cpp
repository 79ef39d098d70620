// libFuzzer target: a request frame as the server receives it. Header, body prefixes,
// decompression, the request dispatcher, then re-encoding: whatever decodes must encode, and
// decode again to the same bytes. Never throws; traps on a broken property.
#include <nosqlc/protocol/messages.hpp>

#include <cstddef>
#include <cstdint>

using namespace nosqlc::protocol;

namespace {

constexpr std::size_t kMaxBody = std::size_t{16} << 20;

std::size_t touch_values(const Request& r) {
  std::size_t sum = 0;
  auto add = [&](const std::vector<Value>& values) {
    for (const Value& v : values)
      sum += v.bytes.size() + (v.bytes.empty() ? 0 : v.bytes[0]);
  };
  if (const auto* q = std::get_if<Query>(&r)) add(q->params.values);
  if (const auto* e = std::get_if<Execute>(&r)) add(e->params.values);
  if (const auto* b = std::get_if<Batch>(&r)) {
    for (const auto& s : b->statements)
      add(s.values);
  }
  return sum;
}

void check_round_trip(const Request& r, const FrameHeader& h) {
  FrameOptions o;
  o.tracing = (h.flags & kFlagTracing) != 0;
  Bytes first, second;
  if (!encode_request(r, first, o).ok()) __builtin_trap();
  FrameHeader again_h;
  if (!decode_header(first, again_h).ok()) __builtin_trap();
  Request again;
  if (!decode_request(again_h, BytesView(first).subspan(kHeaderSize), again).ok()) __builtin_trap();
  if (!encode_request(again, second, o).ok() || first != second) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const BytesView in(data, size);
  FrameSlice slice;
  std::size_t needed = 0;
  (void)split_frame(in, slice, needed, kMaxBody);

  FrameHeader h;
  if (!decode_header(in, h, kMaxBody).ok()) return 0;
  const BytesView body = in.subspan(kHeaderSize);
  Bytes scratch;
  FrameExtras extras;
  BytesView message;
  if (!open_body(h, body, scratch, extras, message, kMaxBody).ok()) return 0;

  Request r;
  if (!decode_request(h, message, r).ok()) {
    h.response = false;
    if (!decode_request(h, message, r).ok()) return 0;
  }
  volatile std::size_t sink = touch_values(r);
  (void)sink;
  check_round_trip(r, h);
  return 0;
}
