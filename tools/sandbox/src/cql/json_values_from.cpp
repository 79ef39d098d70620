// The reading half of json_values.hpp: AbstractType.fromJSONObject of every type with
// Cassandra's messages, Json.parseJson's object and the Java renderings those messages use.
#include "cql/json_values.hpp"
#include "cql/json_values_detail.hpp"

#include "cql/literals.hpp"
#include "nosqlc/protocol/value_forms.hpp"

#include <boost/json/parse.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace nosqlc::sandbox::cql {

using protocol::Bytes;
using protocol::BytesView;
using protocol::DataType;
using protocol::TypeId;
namespace json = boost::json;
using detail::ascii_lower;
using detail::Entries;
using detail::entries_of;
using detail::handle_case_sensitivity;
using detail::is_java_int;
using detail::parse_any;

namespace {

[[noreturn]] void fail(std::string message) {
  throw JsonValueError{std::move(message)};
}

bool is_number(const json::value& v) {
  return v.is_number();
}

double number_as_double(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  return v.get_double();
}

// "Expected <what>, but got a <Class>: <toString>".
[[noreturn]] void expected(std::string_view what, const json::value& v) {
  fail("Expected " + std::string(what) + ", but got a " + java_class_name(v) + ": " +
       java_object_string(v));
}

// Java's Integer.parseInt / Long.parseLong (ASCII digits, optional sign) within [lo, hi].
std::optional<std::int64_t> java_parse_long(std::string_view s, std::int64_t lo, std::int64_t hi) {
  std::size_t i = 0;
  bool neg = false;
  if (!s.empty() && (s[0] == '-' || s[0] == '+')) {
    neg = s[0] == '-';
    i = 1;
  }
  if (i == s.size()) return std::nullopt;
  // Accumulate negatively so that the minimum fits.
  std::int64_t acc = 0;
  for (; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') return std::nullopt;
    if (__builtin_mul_overflow(acc, 10, &acc) || __builtin_sub_overflow(acc, s[i] - '0', &acc)) {
      return std::nullopt;
    }
  }
  if (!neg) {
    if (acc == std::numeric_limits<std::int64_t>::min()) return std::nullopt;
    acc = -acc;
  }
  if (acc < lo || acc > hi) return std::nullopt;
  return acc;
}

// "^-?\d+$", the raw-number form of timestamps, dates and times.
bool is_raw_number(std::string_view s) {
  if (!s.empty() && s[0] == '-') s.remove_prefix(1);
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

// Java's Double.valueOf / Float.valueOf on decimal text: surrounding whitespace (<= ' '),
// a sign, "NaN", "Infinity", digits with an optional point and exponent, an optional
// f/F/d/D suffix. (Hexadecimal floating literals are not accepted here.)
template <typename F>
std::optional<F> java_parse_fp(std::string_view s) {
  while (!s.empty() && static_cast<unsigned char>(s.front()) <= ' ')
    s.remove_prefix(1);
  while (!s.empty() && static_cast<unsigned char>(s.back()) <= ' ')
    s.remove_suffix(1);
  std::string t(s);
  std::size_t i = 0;
  bool neg = false;
  if (i < t.size() && (t[i] == '+' || t[i] == '-')) neg = t[i++] == '-';
  std::string_view rest = std::string_view(t).substr(i);
  if (rest == "NaN") return std::numeric_limits<F>::quiet_NaN();
  if (rest == "Infinity") {
    return neg ? -std::numeric_limits<F>::infinity() : std::numeric_limits<F>::infinity();
  }
  if (!rest.empty() && std::string_view("fFdD").find(rest.back()) != std::string_view::npos) {
    rest.remove_suffix(1);
  }
  std::size_t digits = 0, j = 0;
  while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9') {
    ++j;
    ++digits;
  }
  if (j < rest.size() && rest[j] == '.') {
    ++j;
    while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9') {
      ++j;
      ++digits;
    }
  }
  if (digits == 0) return std::nullopt;
  if (j < rest.size() && (rest[j] == 'e' || rest[j] == 'E')) {
    ++j;
    if (j < rest.size() && (rest[j] == '+' || rest[j] == '-')) ++j;
    std::size_t exp_start = j;
    while (j < rest.size() && rest[j] >= '0' && rest[j] <= '9')
      ++j;
    if (j == exp_start) return std::nullopt;
  }
  if (j != rest.size()) return std::nullopt;
  std::string num = (neg ? "-" : "") + std::string(rest);
  if constexpr (std::is_same_v<F, float>) {
    return std::strtof(num.c_str(), nullptr);
  } else {
    return std::strtod(num.c_str(), nullptr);
  }
}

// Json.decodeJson, which collection types apply to a string they receive.
json::value decode_json(const std::string& s) {
  std::string error;
  auto v = parse_any(s, error);
  if (!v) fail("Error decoding JSON string: " + error);
  return std::move(*v);
}

void check(const protocol::Status& s, const std::string& message) {
  if (!s) fail(message);
}

std::optional<Bytes> read(const DataType& t, const json::value& v);

Bytes read_element(const DataType& t, const json::value& v) {
  auto b = read(t, v);
  return b ? std::move(*b) : Bytes{};
}

Bytes read_string_int(std::string_view s, std::string_view java_name, std::int64_t lo,
                      std::int64_t hi, TypeId id) {
  Bytes out;
  if (s.empty()) return out;
  auto n = java_parse_long(s, lo, hi);
  if (!n) fail("Unable to make " + std::string(java_name) + " from '" + std::string(s) + "'");
  switch (id) {
    case TypeId::tinyint:
      protocol::encode_tinyint(static_cast<std::int8_t>(*n), out);
      break;
    case TypeId::smallint:
      protocol::encode_smallint(static_cast<std::int16_t>(*n), out);
      break;
    case TypeId::int_:
      protocol::encode_int(static_cast<std::int32_t>(*n), out);
      break;
    default:
      protocol::encode_bigint(*n, out);
      break;
  }
  return out;
}

Bytes read_timestamp_string(const std::string& s) {
  Bytes out;
  if (s.empty()) return out;
  std::int64_t ms = 0;
  if (ascii_lower(s) == "now") {
    ms = std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
             .count();
  } else if (is_raw_number(s)) {
    auto n = java_parse_long(s, std::numeric_limits<std::int64_t>::min(),
                             std::numeric_limits<std::int64_t>::max());
    if (!n) fail("Unable to make long (for date) from: '" + s + "'");
    ms = *n;
  } else {
    auto p = parse_timestamp_literal(s);
    if (!p) fail("Unable to coerce '" + s + "' to a formatted date (long)");
    ms = *p;
  }
  protocol::encode_timestamp(ms, out);
  return out;
}

Bytes read_date_string(const std::string& s) {
  Bytes out;
  if (is_raw_number(s)) {
    auto n = java_parse_long(s, 0, std::numeric_limits<std::uint32_t>::max());
    if (!n) fail("Unable to make unsigned int (for date) from: '" + s + "'");
    protocol::encode_date(static_cast<std::uint32_t>(*n), out);
    return out;
  }
  std::uint32_t days = 0;
  check(protocol::parse_date(s, days), "Unable to coerce '" + s + "' to a formatted date (long)");
  protocol::encode_date(days, out);
  return out;
}

Bytes read_time_string(const std::string& s) {
  Bytes out;
  std::int64_t ns = 0;
  if (is_raw_number(s)) {
    auto n = java_parse_long(s, std::numeric_limits<std::int64_t>::min(),
                             std::numeric_limits<std::int64_t>::max());
    if (!n) fail("Unable to make long (for time) from: '" + s + "'");
    if (*n < 0 || *n > protocol::kMaxTimeNanos) fail("Input long out of bounds: " + s);
    ns = *n;
  } else {
    check(protocol::parse_time(s, ns),
          "(TimeType) Unable to coerce '" + s + "' to a formatted time (long)");
  }
  (void)protocol::encode_time(ns, out);
  return out;
}

Bytes read_blob(const json::value& v) {
  std::string shown = java_object_string(v);
  auto bad = [&](std::string_view why) {
    fail("Value '" + shown + "' is not a valid blob representation: " + std::string(why));
  };
  if (!v.is_string()) {
    std::string cls = "java.lang." + java_class_name(v);
    if (v.is_array()) cls = "java.util.ArrayList";
    if (v.is_object()) cls = "java.util.LinkedHashMap";
    bad("class " + cls + " cannot be cast to class java.lang.String");
  }
  std::string s(v.get_string());
  if (!s.starts_with("0x")) bad("String representation of blob is missing 0x prefix: " + s);
  std::string hex = s.substr(2);
  Bytes out;
  if (!protocol::parse_blob("0x" + hex, out)) bad("cannot parse '" + hex + "' as hex bytes");
  return out;
}

Bytes read_collection(const DataType& t, const json::value& in) {
  json::value v = in.is_string() ? decode_json(std::string(in.get_string())) : in;
  std::vector<Bytes> elems;
  std::vector<std::pair<Bytes, Bytes>> entries;
  if (t.id == TypeId::map) {
    if (!v.is_object()) expected("a map", v);
    for (const auto& kv : v.get_object()) {
      if (kv.value().is_null()) fail("Invalid null value in map");
      Bytes key = read_element(t.params.at(0), json::value(kv.key()));
      entries.emplace_back(std::move(key), read_element(t.params.at(1), kv.value()));
    }
  } else {
    bool set = t.id == TypeId::set;
    if (!v.is_array()) expected(set ? "a list (representing a set)" : "a list", v);
    for (const auto& e : v.get_array()) {
      if (e.is_null()) fail(set ? "Invalid null element in set" : "Invalid null element in list");
      elems.push_back(read_element(t.params.at(0), e));
    }
  }
  Bytes out;
  if (t.id == TypeId::map) {
    std::vector<std::pair<BytesView, BytesView>> views;
    for (auto& [k, val] : entries)
      views.emplace_back(k, val);
    check(protocol::encode_map(views, out), "map value too large");
  } else {
    std::vector<BytesView> views(elems.begin(), elems.end());
    check(protocol::encode_collection(views, out), "collection value too large");
  }
  return normalize_collection(t, out);
}

Bytes read_components(const DataType& t, const json::value& in) {
  json::value v = in.is_string() ? decode_json(std::string(in.get_string())) : in;
  std::vector<std::optional<Bytes>> parts;
  if (t.id == TypeId::tuple) {
    if (!v.is_array()) expected("a list representation of a tuple", v);
    const auto& a = v.get_array();
    auto n = std::to_string(t.params.size());
    if (a.size() > t.params.size()) {
      fail("Tuple contains extra items (expected " + n + "): " + java_object_string(v));
    }
    if (a.size() < t.params.size()) {
      fail("Tuple is missing items (expected " + n + "): " + java_object_string(v));
    }
    for (std::size_t i = 0; i < a.size(); ++i)
      parts.push_back(read(t.params[i], a[i]));
  } else {
    if (!v.is_object()) expected("a map", v);
    Entries m = entries_of(v.get_object());
    handle_case_sensitivity(m);
    for (std::size_t i = 0; i < t.params.size(); ++i) {
      const json::value* field = nullptr;
      for (auto& [k, val] : m) {
        if (k == t.field_names[i]) field = &val;
      }
      parts.push_back(field ? read(t.params[i], *field) : std::nullopt);
    }
    for (auto& [k, val] : m) {
      bool known = false;
      for (const auto& f : t.field_names)
        known = known || f == k;
      if (!known) {
        fail("Unknown field '" + k + "' in value of user defined type " + t.udt_name);
      }
    }
  }
  std::vector<std::optional<BytesView>> views;
  for (auto& p : parts)
    views.push_back(p ? std::optional<BytesView>(*p) : std::nullopt);
  Bytes out;
  check(protocol::encode_tuple(views, out), "tuple value too large");
  return out;
}

std::optional<Bytes> read(const DataType& t, const json::value& v) {
  if (v.is_null()) return std::nullopt;
  Bytes out;
  switch (t.id) {
    case TypeId::ascii: {
      if (!v.is_string()) expected("an ascii string", v);
      auto s = v.get_string();
      for (char c : s) {
        if (static_cast<unsigned char>(c) > 127) {
          fail(
              "Invalid ASCII character in string literal: "
              "java.nio.charset.UnmappableCharacterException: Input length = 1");
        }
      }
      out.assign(s.begin(), s.end());
      return out;
    }
    case TypeId::varchar: {
      if (!v.is_string()) expected("a UTF-8 string", v);
      auto s = v.get_string();
      out.assign(s.begin(), s.end());
      return out;
    }
    case TypeId::boolean: {
      if (v.is_bool()) {
        protocol::encode_boolean(v.get_bool(), out);
        return out;
      }
      if (!v.is_string()) expected("a boolean value", v);
      std::string s(v.get_string());
      if (s.empty()) return out;
      std::string l = ascii_lower(s);
      if (l != "true" && l != "false") fail("Unable to make boolean from '" + s + "'");
      protocol::encode_boolean(l == "true", out);
      return out;
    }
    case TypeId::tinyint:
    case TypeId::smallint: {
      bool tiny = t.id == TypeId::tinyint;
      if (!v.is_string() && !is_number(v)) expected(tiny ? "a byte value" : "a short value", v);
      std::string s = java_object_string(v);
      return tiny ? read_string_int(s, "byte", -128, 127, t.id)
                  : read_string_int(s, "short", -32768, 32767, t.id);
    }
    case TypeId::int_:
      if (v.is_string()) {
        return read_string_int(v.get_string(), "int", std::numeric_limits<std::int32_t>::min(),
                               std::numeric_limits<std::int32_t>::max(), t.id);
      }
      if (!is_java_int(v)) expected("an int value", v);
      protocol::encode_int(static_cast<std::int32_t>(v.get_int64()), out);
      return out;
    case TypeId::bigint:
    case TypeId::counter:
      if (v.is_string()) {
        return read_string_int(v.get_string(), "long", std::numeric_limits<std::int64_t>::min(),
                               std::numeric_limits<std::int64_t>::max(), t.id);
      }
      if (!v.is_int64()) expected("a bigint value", v);
      protocol::encode_bigint(v.get_int64(), out);
      return out;
    case TypeId::varint: {
      // new BigInteger(parsed.toString())
      std::string s = java_object_string(v);
      std::string_view digits = s;
      if (!digits.empty() && (digits[0] == '+' || digits[0] == '-')) digits.remove_prefix(1);
      bool ok = !digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos;
      std::string plain = !s.empty() && s[0] == '+' ? s.substr(1) : s;
      if (!ok || !protocol::varint_from_string(plain, out)) {
        fail("Value '" + s + "' is not a valid representation of a varint value");
      }
      return out;
    }
    case TypeId::decimal: {
      // new BigDecimal(parsed.toString())
      std::string s = java_object_string(v);
      protocol::Decimal d;
      bool ok = !s.empty() && !v.is_bool() && !v.is_array() && !v.is_object() &&
                s.find_first_not_of("0123456789+-.eE") == std::string::npos &&
                protocol::parse_decimal(s, d) && protocol::encode_decimal(d, out);
      if (!ok) fail("Value '" + s + "' is not a valid representation of a decimal value");
      return out;
    }
    case TypeId::float_:
    case TypeId::double_: {
      bool is_float = t.id == TypeId::float_;
      if (v.is_string()) {
        std::string s(v.get_string());
        if (s.empty()) return out;
        if (is_float) {
          auto f = java_parse_fp<float>(s);
          if (!f) fail("Unable to make float from '" + s + "'");
          protocol::encode_float(*f, out);
        } else {
          auto d = java_parse_fp<double>(s);
          if (!d) fail("Unable to make double from '" + s + "'");
          protocol::encode_double(*d, out);
        }
        return out;
      }
      if (!is_number(v)) expected(is_float ? "a float value" : "a double value", v);
      if (is_float) {
        // Number.floatValue(): from the integer itself, or by narrowing the double.
        float f = v.is_int64()    ? static_cast<float>(v.get_int64())
                  : v.is_uint64() ? static_cast<float>(v.get_uint64())
                                  : static_cast<float>(v.get_double());
        protocol::encode_float(f, out);
      } else {
        protocol::encode_double(number_as_double(v), out);
      }
      return out;
    }
    case TypeId::timestamp:
      if (v.is_int64() && !is_java_int(v)) {
        protocol::encode_timestamp(v.get_int64(), out);
        return out;
      }
      // Jackson's Integer (and anything else but a string) is refused.
      if (!v.is_string()) {
        expected("a long or a datestring representation of a timestamp value", v);
      }
      return read_timestamp_string(std::string(v.get_string()));
    case TypeId::date:
      if (!v.is_string()) expected("a string representation of a date value", v);
      return read_date_string(std::string(v.get_string()));
    case TypeId::time:
      if (!v.is_string()) expected("a string representation of a time value", v);
      return read_time_string(std::string(v.get_string()));
    case TypeId::uuid:
    case TypeId::timeuuid: {
      bool time = t.id == TypeId::timeuuid;
      if (!v.is_string()) {
        expected(
            time ? "a string representation of a timeuuid" : "a string representation of a uuid",
            v);
      }
      std::string s(v.get_string());
      if (s.empty()) return out;
      protocol::Uuid u{};
      if (s.size() != 36 || !protocol::parse_uuid(s, u)) {
        fail(time ? "Unknown timeuuid representation: " + s
                  : "Unable to make UUID from '" + s + "'");
      }
      if (time && (u[6] >> 4) != 1) fail("TimeUUID supports only version 1 UUIDs");
      protocol::encode_uuid(u, out);
      return out;
    }
    case TypeId::inet: {
      if (!v.is_string()) expected("a string representation of an inet value", v);
      std::string s(v.get_string());
      if (s.empty()) return out;
      protocol::Inet a;
      if (!protocol::parse_inet(s, a) || !protocol::encode_inet(a, out)) {
        fail("Unable to make inet address from '" + s + "'");
      }
      return out;
    }
    case TypeId::duration: {
      if (!v.is_string()) expected("a string representation of a duration", v);
      std::string s(v.get_string());
      if (s.empty()) return out;
      protocol::Duration d;
      if (!protocol::parse_duration(s, d) || !protocol::encode_duration(d, out)) {
        fail("Unable to convert '" + s + "' to a duration");
      }
      return out;
    }
    case TypeId::blob:
    case TypeId::custom:
      return read_blob(v);
    case TypeId::list:
    case TypeId::set:
    case TypeId::map:
      return read_collection(t, v);
    case TypeId::tuple:
    case TypeId::udt:
      return read_components(t, v);
  }
  fail("unknown type " + protocol::to_cql(t));
}

}  // namespace

std::optional<Bytes> from_json_value(const DataType& t, const json::value& v) {
  return read(t, v);
}

}  // namespace nosqlc::sandbox::cql
