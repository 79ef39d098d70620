// Small helpers for the text values the driver binds and reads.
#pragma once

#include <nosqlc/protocol/notations.hpp>

#include <string_view>
#include <vector>

namespace nosqlc::cassandra {

// The bytes of a text value (CQL text is UTF-8 as is).
inline protocol::BytesView text(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

inline std::string_view as_text(protocol::BytesView b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

// Bound values from byte views. A function rather than a braced list at the call site: g++ 12
// cannot compile braced lists inside co_await expressions.
template <class... Views>
std::vector<protocol::Value> values(Views... views) {
  return {protocol::Value::of(views)...};
}

}  // namespace nosqlc::cassandra
