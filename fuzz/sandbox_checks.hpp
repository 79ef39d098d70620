// What the sandbox fuzz targets check in every answer: the frame is one well-formed v4
// response that decodes, re-encodes to the same bytes, and whose row cells decode by their
// column types. A broken property prints what broke and traps (libFuzzer then keeps the input).
#pragma once

#include <nosqlc/protocol/messages.hpp>
#include <nosqlc/protocol/value_forms.hpp>

#include <boost/json/value.hpp>

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string_view>
#include <vector>

namespace sandbox_fuzz {

namespace pr = nosqlc::protocol;

// What the target is running, printed with a broken property.
inline std::string_view& context() {
  static std::string_view c;
  return c;
}

[[noreturn]] inline void broken(const char* what) {
  std::fprintf(stderr, "broken property: %s\nwhile running: %.*s\n", what,
               static_cast<int>(context().size()), context().data());
  std::fflush(stderr);
  __builtin_trap();
}

inline void require(bool ok, const char* what) {
  if (!ok) broken(what);
}

// Every cell of `rows` decodes as its column's type in `columns` (one per cell).
inline void check_cells(const pr::RowsResult& rows, const std::vector<pr::ColumnSpec>& columns) {
  if (static_cast<std::size_t>(rows.metadata.column_count) != columns.size()) {
    std::fprintf(stderr, "%d columns, %zu specs\n", rows.metadata.column_count, columns.size());
    broken("rows: column count differs from the column specs");
  }
  for (pr::Row row : rows.rows()) {
    std::size_t i = 0;
    for (std::optional<pr::BytesView> cell : row) {
      boost::json::value v;
      pr::Status st = pr::decode_to_json(columns[i].type, cell, v);
      if (!st.ok()) {
        std::fprintf(stderr, "column %s: %s\n", columns[i].name.c_str(), st.message.c_str());
        broken("rows: a cell does not decode as its column's type");
      }
      ++i;
    }
  }
}

// A decoded answer frame and the buffers it views.
struct Answer {
  pr::FrameHeader header;
  pr::FrameExtras extras;
  pr::Bytes scratch;
  pr::Response response;
};

// `frame` (a whole frame) is a v4 response whose body decodes to exactly the message that
// re-encodes to the same bytes (so no trailing or misencoded bytes).
inline void decode_answer(pr::BytesView frame, Answer& a) {
  pr::FrameSlice slice;
  std::size_t needed = 0;
  require(pr::split_frame(frame, slice, needed).ok() && needed == 0, "answer: not a whole frame");
  require(slice.size() == frame.size(), "answer: not exactly one frame");
  a.header = slice.header;
  require(a.header.response && a.header.version == pr::kProtocolVersion,
          "answer: not a v4 response");
  pr::BytesView message;
  require(pr::open_body(a.header, slice.body, a.scratch, a.extras, message).ok(),
          "answer: the body does not open");
  require(pr::decode_response(a.header, message, a.response).ok(), "answer: does not decode");
  require(pr::opcode_of(a.response) == a.header.opcode, "answer: opcode differs from its message");
  pr::FrameOptions fo;
  fo.stream = a.header.stream;
  fo.compress = (a.header.flags & pr::kFlagCompression) != 0;
  fo.tracing_id = a.extras.tracing_id;
  fo.warnings = a.extras.warnings;
  fo.custom_payload = a.extras.custom_payload;
  pr::Bytes again;
  require(pr::encode_response(a.response, again, fo).ok(), "answer: does not re-encode");
  require(pr::BytesView(again).size() == frame.size() &&
              std::equal(again.begin(), again.end(), frame.begin()),
          "answer: re-encodes to other bytes");
}

// The Rows result of `r`, if it is one.
inline const pr::RowsResult* rows_of(const pr::Response& r) {
  const auto* result = std::get_if<pr::Result>(&r);
  return result ? std::get_if<pr::RowsResult>(result) : nullptr;
}

}  // namespace sandbox_fuzz
