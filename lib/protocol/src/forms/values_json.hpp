// What the two directions of the JSON form of CQL values share (values_json_decode.cpp,
// values_json_encode.cpp): error texts and the checks of a type's shape. Internal.
#pragma once

#include "../values_internal.hpp"
#include "nosqlc/protocol/value_forms.hpp"

#include <boost/json/serialize.hpp>

#include <cmath>
#include <string>
#include <string_view>

namespace nosqlc::protocol::json_form {

namespace json = boost::json;
using detail::value_error;

inline std::string_view sv(const json::string& s) noexcept {
  return {s.data(), s.size()};
}

inline std::string_view kind_name(json::kind k) {
  switch (k) {
    case json::kind::null:
      return "null";
    case json::kind::bool_:
      return "bool";
    case json::kind::int64:
    case json::kind::uint64:
      return "integer";
    case json::kind::double_:
      return "number";
    case json::kind::string:
      return "string";
    case json::kind::array:
      return "array";
    case json::kind::object:
      return "object";
  }
  return "unknown";
}

inline Status mismatch(std::string_view type, const json::value& v, std::string_view expected) {
  return value_error(
      errc::invalid_value, type,
      "expected " + std::string(expected) + ", got " + std::string(kind_name(v.kind())));
}

inline Status out_of_range(std::string_view type, const json::value& v) {
  std::string text = v.is_string() ? std::string(sv(v.get_string())) : json::serialize(v);
  if (text.size() > 64) text = text.substr(0, 64) + "...";
  return value_error(errc::invalid_value, type, text + " out of range");
}

inline Status with_context(Status s, const std::string& where, const DataType& t) {
  s.message += " (" + where + " of " + to_cql(t) + ")";
  return s;
}

// Types whose empty value is a value of their own rather than Cassandra's legacy "empty".
inline bool has_empty_value(TypeId id) {
  return id == TypeId::ascii || id == TypeId::varchar || id == TypeId::blob ||
         id == TypeId::custom || id == TypeId::udt;
}

inline bool is_text(TypeId id) {
  return id == TypeId::ascii || id == TypeId::varchar;
}

inline Status check_shape(const DataType& t) {
  std::size_t want = 0;
  switch (t.id) {
    case TypeId::list:
    case TypeId::set:
      want = 1;
      break;
    case TypeId::map:
      want = 2;
      break;
    case TypeId::udt:
      want = t.field_names.size();
      break;
    default:
      return {};
  }
  if (t.params.size() != want) {
    return value_error(errc::invalid_value, to_cql(t), "malformed type description");
  }
  return {};
}

inline json::value float_json(double d) {
  if (std::isnan(d)) return json::string("NaN");
  if (std::isinf(d)) return json::string(d > 0 ? "Infinity" : "-Infinity");
  return d;
}

}  // namespace nosqlc::protocol::json_form
