// JSON objects and Java renderings for json_values.hpp: INSERT JSON's object with
// Cassandra's key folding, fromJson()'s parse, and Java's toString of parsed values.
#include "cql/json_values.hpp"
#include "cql/json_values_detail.hpp"

#include <boost/json/parse.hpp>

#include <limits>
#include <string>

namespace nosqlc::sandbox::cql {

namespace json = boost::json;

namespace detail {

bool is_java_int(const json::value& v) {
  return v.is_int64() && v.get_int64() >= std::numeric_limits<std::int32_t>::min() &&
         v.get_int64() <= std::numeric_limits<std::int32_t>::max();
}
std::string ascii_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

namespace {

// A LinkedHashMap's put: replaces the value in place, or appends.
void put(Entries& m, std::string key, json::value v) {
  for (auto& [k, val] : m) {
    if (k == key) {
      val = std::move(v);
      return;
    }
  }
  m.emplace_back(std::move(key), std::move(v));
}

json::value take(Entries& m, const std::string& key) {
  for (auto it = m.begin(); it != m.end(); ++it) {
    if (it->first == key) {
      json::value v = std::move(it->second);
      m.erase(it);
      return v;
    }
  }
  return nullptr;
}

}  // namespace

void handle_case_sensitivity(Entries& m) {
  std::vector<std::string> keys;
  for (auto& [k, v] : m)
    keys.push_back(k);
  for (const auto& k : keys) {
    if (k.size() >= 2 && k.front() == '"' && k.back() == '"') {
      json::value v = take(m, k);
      put(m, k.substr(1, k.size() - 2), std::move(v));
      continue;
    }
    std::string lowered = ascii_lower(k);
    if (lowered != k) {
      json::value v = take(m, k);
      put(m, std::move(lowered), std::move(v));
    }
  }
}

Entries entries_of(const json::object& o) {
  Entries m;
  for (const auto& kv : o)
    put(m, std::string(kv.key()), kv.value());
  return m;
}

// Jackson's name for the token a value starts with, for the approximated messages.
std::string_view token_name(const json::value& v) {
  if (v.is_array()) return "Array value (token `JsonToken.START_ARRAY`)";
  if (v.is_string()) return "String value (token `JsonToken.VALUE_STRING`)";
  if (v.is_bool()) return "Boolean value (token `JsonToken.VALUE_TRUE`)";
  if (v.is_double()) return "Floating-point value (token `JsonToken.VALUE_NUMBER_FLOAT`)";
  return "Integer value (token `JsonToken.VALUE_NUMBER_INT`)";
}

std::optional<json::value> parse_any(std::string_view text, std::string& error) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec) {
    error = "com.fasterxml.jackson.core.JsonParseException: " + ec.message();
    return std::nullopt;
  }
  return v;
}

}  // namespace detail

using detail::Entries;
using detail::is_java_int;

namespace {

[[noreturn]] void fail(std::string message) {
  throw JsonValueError{std::move(message)};
}

}  // namespace

std::string java_class_name(const json::value& v) {
  if (v.is_null()) return "null";
  if (v.is_bool()) return "Boolean";
  if (v.is_string()) return "String";
  if (v.is_array()) return "ArrayList";
  if (v.is_object()) return "LinkedHashMap";
  if (v.is_double()) return "Double";
  if (v.is_uint64()) return "BigInteger";
  return is_java_int(v) ? "Integer" : "Long";
}

std::string java_object_string(const json::value& v) {
  if (v.is_null()) return "null";
  if (v.is_bool()) return v.get_bool() ? "true" : "false";
  if (v.is_string()) return std::string(v.get_string());
  if (v.is_int64()) return std::to_string(v.get_int64());
  if (v.is_uint64()) return std::to_string(v.get_uint64());
  if (v.is_double()) return java_double_string(v.get_double());
  std::string out;
  if (v.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& e : v.get_array()) {
      if (!first) out += ", ";
      first = false;
      out += java_object_string(e);
    }
    return out + ']';
  }
  out += '{';
  bool first = true;
  for (const auto& [k, val] : detail::entries_of(v.get_object())) {
    if (!first) out += ", ";
    first = false;
    out += k + '=' + java_object_string(val);
  }
  return out + '}';
}

json::value parse_json_text(std::string_view text) {
  std::string error;
  auto v = detail::parse_any(text, error);
  if (!v) fail("Could not decode JSON string '" + std::string(text) + "': " + error);
  return std::move(*v);
}

std::vector<std::pair<std::string, json::value>> parse_json_object(std::string_view text) {
  auto bad = [&](const std::string& exc) {
    fail("Could not decode JSON string as a map: " + exc + ". (String was: " + std::string(text) +
         ")");
  };
  std::string error;
  auto v = detail::parse_any(text, error);
  if (!v) bad(error);
  if (v->is_null()) fail("Got null for INSERT JSON values");
  if (!v->is_object()) {
    bad("com.fasterxml.jackson.databind.exc.MismatchedInputException: Cannot deserialize value "
        "of type `java.util.LinkedHashMap<java.lang.Object,java.lang.Object>` from " +
        std::string(detail::token_name(*v)));
  }
  Entries m = detail::entries_of(v->get_object());
  detail::handle_case_sensitivity(m);
  return m;
}

}  // namespace nosqlc::sandbox::cql
