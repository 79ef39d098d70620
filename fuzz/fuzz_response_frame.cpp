// libFuzzer target: a response frame as a client receives it. Header, body prefixes,
// decompression, the response dispatcher, row iteration with each cell decoded by its column's
// type, then re-encoding: whatever decodes must encode, and decode again to the same bytes.
// Never throws; traps on a broken property.
#include <nosqlc/protocol/messages.hpp>
#include <nosqlc/protocol/value_forms.hpp>

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>

using namespace nosqlc::protocol;

namespace {

constexpr std::size_t kMaxBody = std::size_t{16} << 20;  // keeps decompression RSS small

std::size_t touch_rows(const Response& r) {
  std::size_t sum = 0;
  if (const auto* result = std::get_if<Result>(&r)) {
    if (const auto* rows = std::get_if<RowsResult>(result)) {
      const auto& columns = rows->metadata.columns;
      for (Row row : rows->rows()) {
        std::size_t i = 0;
        for (std::optional<BytesView> cell : row) {
          sum += cell ? cell->size() + (cell->empty() ? 0 : (*cell)[0]) : 1;
          // The metadata's types drive the value decoders, as a client's would.
          if (i < columns.size()) {
            boost::json::value v;
            sum += decode_to_json(columns[i].type, cell, v).ok() ? 1 : 0;
          }
          ++i;
        }
      }
    }
  }
  return sum;
}

void check_round_trip(const Response& r) {
  Bytes first, second;
  if (!encode_response(r, first).ok()) __builtin_trap();
  FrameHeader h;
  if (!decode_header(first, h).ok()) __builtin_trap();
  Response again;
  if (!decode_response(h, BytesView(first).subspan(kHeaderSize), again).ok()) __builtin_trap();
  if (!encode_response(again, second).ok() || first != second) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const BytesView in(data, size);
  FrameSlice slice;
  std::size_t needed = 0;
  (void)split_frame(in, slice, needed, kMaxBody);

  FrameHeader h;
  if (!decode_header(in, h, kMaxBody).ok()) return 0;
  // The body is whatever follows the header, so the fuzzer need not match the length field.
  const BytesView body = in.subspan(kHeaderSize);
  Bytes scratch;
  FrameExtras extras;
  BytesView message;
  if (!open_body(h, body, scratch, extras, message, kMaxBody).ok()) return 0;

  Response r;
  if (!decode_response(h, message, r).ok()) {
    h.response = true;  // also reach the decoders when the direction bit is wrong
    if (!decode_response(h, message, r).ok()) return 0;
  }
  volatile std::size_t sink = touch_rows(r);
  (void)sink;
  check_round_trip(r);
  return 0;
}
