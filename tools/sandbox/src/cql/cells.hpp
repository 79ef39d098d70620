// Internal: one value of a fixed-size native type as the bytes of a cell, for whatever makes
// cells itself (system tables, native functions, selections). These encoders cannot fail.
#pragma once

#include "nosqlc/protocol/values.hpp"

#include <cstdint>

namespace nosqlc::sandbox::cells {

using protocol::Bytes;

inline Bytes int_cell(std::int32_t v) {
  Bytes out;
  protocol::encode_int(v, out);
  return out;
}
inline Bytes bigint_cell(std::int64_t v) {
  Bytes out;
  protocol::encode_bigint(v, out);
  return out;
}
inline Bytes double_cell(double v) {
  Bytes out;
  protocol::encode_double(v, out);
  return out;
}
inline Bytes boolean_cell(bool v) {
  Bytes out;
  protocol::encode_boolean(v, out);
  return out;
}
inline Bytes uuid_cell(const protocol::Uuid& v) {
  Bytes out;
  protocol::encode_uuid(v, out);
  return out;
}
inline Bytes timestamp_cell(std::int64_t millis) {
  Bytes out;
  protocol::encode_timestamp(millis, out);
  return out;
}

}  // namespace nosqlc::sandbox::cells
