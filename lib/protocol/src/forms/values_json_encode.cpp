// CQL values from JSON (the mapping is documented in value_forms.hpp).
#include "values_json.hpp"

#include <cctype>
#include <cfloat>
#include <charconv>
#include <climits>
#include <cmath>
#include <unordered_set>

namespace nosqlc::protocol {
namespace {

using namespace json_form;

bool parse_int64(std::string_view s, std::int64_t& v, bool& overflow) {
  if (!s.empty() && s[0] == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  overflow = ec == std::errc::result_out_of_range && p == s.data() + s.size();
  return ec == std::errc() && p == s.data() + s.size() && !s.empty();
}

// An integer in [lo, hi] from a JSON integer, an integral double or a decimal string.
Status json_integer(const json::value& v, std::string_view type, std::int64_t lo, std::int64_t hi,
                    std::int64_t& out) {
  std::int64_t x = 0;
  switch (v.kind()) {
    case json::kind::int64:
      x = v.get_int64();
      break;
    case json::kind::uint64:
      if (v.get_uint64() > static_cast<std::uint64_t>(hi)) return out_of_range(type, v);
      x = static_cast<std::int64_t>(v.get_uint64());
      break;
    case json::kind::double_: {
      double d = v.get_double();
      if (!std::isfinite(d) || std::trunc(d) != d) {
        return value_error(errc::invalid_value, type, json::serialize(v) + " is not an integer");
      }
      if (d < -9223372036854775808.0 || d >= 9223372036854775808.0) return out_of_range(type, v);
      x = static_cast<std::int64_t>(d);
      break;
    }
    case json::kind::string: {
      bool overflow = false;
      if (!parse_int64(sv(v.get_string()), x, overflow)) {
        if (overflow) return out_of_range(type, v);
        return value_error(
            errc::invalid_value, type,
            "\"" + std::string(sv(v.get_string()).substr(0, 64)) + "\" is not an integer");
      }
      break;
    }
    default:
      return mismatch(type, v, "an integer");
  }
  if (x < lo || x > hi) return out_of_range(type, v);
  out = x;
  return {};
}

// A double from a JSON number or a string ("NaN", "Infinity", "-Infinity", or numeric).
Status json_double(const json::value& v, std::string_view type, double& out) {
  switch (v.kind()) {
    case json::kind::int64:
      out = static_cast<double>(v.get_int64());
      return {};
    case json::kind::uint64:
      out = static_cast<double>(v.get_uint64());
      return {};
    case json::kind::double_:
      out = v.get_double();
      return {};
    case json::kind::string: {
      std::string_view s = sv(v.get_string());
      if (s == "NaN") {
        out = std::nan("");
      } else if (s == "Infinity" || s == "+Infinity") {
        out = INFINITY;
      } else if (s == "-Infinity") {
        out = -INFINITY;
      } else {
        auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
        if (ec == std::errc::result_out_of_range) return out_of_range(type, v);
        if (ec != std::errc() || p != s.data() + s.size() || s.empty() || !std::isfinite(out)) {
          return value_error(errc::invalid_value, type,
                             "\"" + std::string(s.substr(0, 64)) + "\" is not a number");
        }
      }
      return {};
    }
    default:
      return mismatch(type, v, "a number");
  }
}

// Shortest round-trip text of a finite double, plain digits when `fixed`.
std::string double_text(double d, bool fixed) {
  char buf[400];
  auto r = fixed ? std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed)
                 : std::to_chars(buf, buf + sizeof buf, d);
  return std::string(buf, r.ptr);
}

Status from_json(const DataType& t, const json::value& v, Bytes& out, int depth);

// Appends `v` as an element: [int] length then the value, or length -1 for null when allowed.
Status write_element(const DataType& t, const json::value& v, Bytes& out, int depth) {
  if (v.is_null()) {
    encode_int(-1, out);
    return {};
  }
  const std::size_t at = out.size();
  out.resize(at + 4);
  if (Status s = from_json(t, v, out, depth); !s) return s;
  const std::size_t n = out.size() - at - 4;
  if (n > INT32_MAX) return value_error(errc::invalid_length, to_cql(t), "element too large");
  for (int i = 0; i < 4; ++i)
    out[at + i] = static_cast<std::uint8_t>(n >> (24 - 8 * i));
  return {};
}

Status from_json_native(const DataType& t, const json::value& v, Bytes& out) {
  switch (t.id) {
    case TypeId::ascii:
    case TypeId::varchar:
      if (!v.is_string()) return mismatch(t.id == TypeId::ascii ? "ascii" : "text", v, "a string");
      return t.id == TypeId::ascii ? encode_ascii(sv(v.get_string()), out)
                                   : encode_text(sv(v.get_string()), out);
    case TypeId::blob:
    case TypeId::custom: {
      std::string type = t.id == TypeId::blob ? "blob" : to_cql(t);
      if (!v.is_string()) return mismatch(type, v, "a 0x... string");
      return parse_blob(sv(v.get_string()), out);
    }
    case TypeId::boolean:
      if (v.is_bool()) {
        encode_boolean(v.get_bool(), out);
        return {};
      }
      if (v.is_string()) {
        std::string s(sv(v.get_string()));
        for (auto& c : s)
          c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
        if (s == "true" || s == "false") {
          encode_boolean(s == "true", out);
          return {};
        }
      }
      return mismatch("boolean", v, "true or false");
    case TypeId::tinyint:
    case TypeId::smallint:
    case TypeId::int_:
    case TypeId::bigint:
    case TypeId::counter: {
      struct Range {
        TypeId id;
        std::string_view name;
        std::int64_t lo, hi;
      };
      static constexpr Range kRanges[] = {
          {TypeId::tinyint, "tinyint", INT8_MIN, INT8_MAX},
          {TypeId::smallint, "smallint", INT16_MIN, INT16_MAX},
          {TypeId::int_, "int", INT32_MIN, INT32_MAX},
          {TypeId::bigint, "bigint", INT64_MIN, INT64_MAX},
          {TypeId::counter, "counter", INT64_MIN, INT64_MAX},
      };
      const Range* r = kRanges;
      while (r->id != t.id)
        ++r;
      std::int64_t x = 0;
      if (Status s = json_integer(v, r->name, r->lo, r->hi, x); !s) return s;
      switch (t.id) {
        case TypeId::tinyint:
          encode_tinyint(static_cast<std::int8_t>(x), out);
          break;
        case TypeId::smallint:
          encode_smallint(static_cast<std::int16_t>(x), out);
          break;
        case TypeId::int_:
          encode_int(static_cast<std::int32_t>(x), out);
          break;
        default:
          encode_bigint(x, out);
          break;
      }
      return {};
    }
    case TypeId::varint:
      switch (v.kind()) {
        case json::kind::int64:
          encode_varint(v.get_int64(), out);
          return {};
        case json::kind::uint64:
          return varint_from_string(std::to_string(v.get_uint64()), out);
        case json::kind::double_: {
          double d = v.get_double();
          if (!std::isfinite(d) || std::trunc(d) != d) {
            return value_error(errc::invalid_value, "varint",
                               json::serialize(v) + " is not an integer");
          }
          return varint_from_string(double_text(d, true), out);
        }
        case json::kind::string:
          return varint_from_string(sv(v.get_string()), out);
        default:
          return mismatch("varint", v, "an integer");
      }
    case TypeId::decimal: {
      Decimal d;
      Status s;
      switch (v.kind()) {
        case json::kind::int64:
          d.unscaled.clear();
          encode_varint(v.get_int64(), d.unscaled);
          break;
        case json::kind::uint64:
          s = parse_decimal(std::to_string(v.get_uint64()), d);
          break;
        case json::kind::double_:
          if (!std::isfinite(v.get_double())) return out_of_range("decimal", v);
          s = parse_decimal(double_text(v.get_double(), false), d);
          break;
        case json::kind::string:
          s = parse_decimal(sv(v.get_string()), d);
          break;
        default:
          return mismatch("decimal", v, "a number or a decimal string");
      }
      if (!s) return s;
      return encode_decimal(d, out);
    }
    case TypeId::float_: {
      double d = 0;
      if (Status s = json_double(v, "float", d); !s) return s;
      if (std::isfinite(d) && std::fabs(d) > FLT_MAX) return out_of_range("float", v);
      encode_float(static_cast<float>(d), out);
      return {};
    }
    case TypeId::double_: {
      double d = 0;
      if (Status s = json_double(v, "double", d); !s) return s;
      encode_double(d, out);
      return {};
    }
    case TypeId::timestamp: {
      std::int64_t ms = 0;
      Status s = v.is_string() ? parse_timestamp(sv(v.get_string()), ms)
                 : v.is_number()
                     ? json_integer(v, "timestamp", INT64_MIN, INT64_MAX, ms)
                     : mismatch("timestamp", v, "a timestamp string or integer milliseconds");
      if (s) encode_timestamp(ms, out);
      return s;
    }
    case TypeId::date: {
      std::uint32_t raw = 0;
      Status s;
      if (v.is_string()) {
        s = parse_date(sv(v.get_string()), raw);
      } else if (v.is_number()) {
        std::int64_t days = 0;
        s = json_integer(v, "date", INT32_MIN, INT32_MAX, days);
        raw = static_cast<std::uint32_t>(days + kDateEpoch);
      } else {
        s = mismatch("date", v, "a YYYY-MM-DD string or integer days");
      }
      if (s) encode_date(raw, out);
      return s;
    }
    case TypeId::time: {
      std::int64_t ns = 0;
      Status s = v.is_string()   ? parse_time(sv(v.get_string()), ns)
                 : v.is_number() ? json_integer(v, "time", 0, kMaxTimeNanos, ns)
                                 : mismatch("time", v, "a HH:MM:SS string or integer nanoseconds");
      if (!s) return s;
      return encode_time(ns, out);
    }
    case TypeId::uuid:
    case TypeId::timeuuid: {
      std::string_view type = t.id == TypeId::uuid ? "uuid" : "timeuuid";
      if (!v.is_string()) return mismatch(type, v, "a uuid string");
      Uuid u{};
      if (Status s = parse_uuid(sv(v.get_string()), u); !s) return s;
      if (t.id == TypeId::timeuuid) return encode_timeuuid(u, out);
      encode_uuid(u, out);
      return {};
    }
    case TypeId::inet: {
      if (!v.is_string()) return mismatch("inet", v, "an address string");
      Inet a;
      if (Status s = parse_inet(sv(v.get_string()), a); !s) return s;
      return encode_inet(a, out);
    }
    case TypeId::duration: {
      if (!v.is_string()) return mismatch("duration", v, "a duration string");
      Duration d;
      if (Status s = parse_duration(sv(v.get_string()), d); !s) return s;
      return encode_duration(d, out);
    }
    default:
      return value_error(errc::unknown_type, "value",
                         "type id " + std::to_string(static_cast<unsigned>(t.id)));
  }
}

Status from_json(const DataType& t, const json::value& v, Bytes& out, int depth) {
  if (depth > kMaxTypeDepth) {
    return value_error(errc::nesting_too_deep, to_cql(t),
                       "more than " + std::to_string(kMaxTypeDepth) + " levels");
  }
  if (Status s = check_shape(t); !s) return s;
  if (v.is_null()) {
    return value_error(errc::invalid_value, to_cql(t),
                       "null here; a null cell is written as a null [bytes] by the caller");
  }
  switch (t.id) {
    case TypeId::list:
    case TypeId::set: {
      if (!v.is_array()) return mismatch(to_cql(t), v, "an array");
      const json::array& arr = v.get_array();
      if (arr.size() > INT32_MAX) return value_error(errc::invalid_length, to_cql(t), "too long");
      encode_int(static_cast<std::int32_t>(arr.size()), out);
      for (std::size_t i = 0; i < arr.size(); ++i) {
        Status s = arr[i].is_null() ? value_error(errc::invalid_value, to_cql(t), "null element")
                                    : write_element(t.params[0], arr[i], out, depth + 1);
        if (!s) return with_context(std::move(s), "element " + std::to_string(i), t);
      }
      return {};
    }
    case TypeId::map: {
      auto entry = [&](const json::value& k, const json::value& val, std::size_t i) {
        Status s = k.is_null() || val.is_null()
                       ? value_error(errc::invalid_value, to_cql(t), "null key or value")
                       : write_element(t.params[0], k, out, depth + 1);
        if (s) s = write_element(t.params[1], val, out, depth + 1);
        if (!s) s = with_context(std::move(s), "entry " + std::to_string(i), t);
        return s;
      };
      if (v.is_object()) {
        const json::object& obj = v.get_object();
        if (obj.size() > INT32_MAX) return value_error(errc::invalid_length, to_cql(t), "too long");
        encode_int(static_cast<std::int32_t>(obj.size()), out);
        std::size_t i = 0;
        for (const auto& kv : obj) {
          if (Status s = entry(json::value(json::string(kv.key())), kv.value(), i++); !s) return s;
        }
        return {};
      }
      if (!v.is_array()) return mismatch(to_cql(t), v, "an object or an array of [key, value]");
      const json::array& arr = v.get_array();
      if (arr.size() > INT32_MAX) return value_error(errc::invalid_length, to_cql(t), "too long");
      encode_int(static_cast<std::int32_t>(arr.size()), out);
      for (std::size_t i = 0; i < arr.size(); ++i) {
        const json::array* pair = arr[i].if_array();
        if (!pair || pair->size() != 2) {
          return with_context(mismatch(to_cql(t), arr[i], "a [key, value] array"),
                              "entry " + std::to_string(i), t);
        }
        if (Status s = entry((*pair)[0], (*pair)[1], i); !s) return s;
      }
      return {};
    }
    case TypeId::tuple: {
      if (!v.is_array()) return mismatch(to_cql(t), v, "an array");
      const json::array& arr = v.get_array();
      if (arr.size() != t.params.size()) {
        return value_error(errc::invalid_value, to_cql(t),
                           "expected " + std::to_string(t.params.size()) + " components, got " +
                               std::to_string(arr.size()));
      }
      for (std::size_t i = 0; i < arr.size(); ++i) {
        if (Status s = write_element(t.params[i], arr[i], out, depth + 1); !s) {
          return with_context(std::move(s), "component " + std::to_string(i), t);
        }
      }
      return {};
    }
    case TypeId::udt: {
      if (!v.is_object()) return mismatch(to_cql(t), v, "an object");
      const json::object& obj = v.get_object();
      std::unordered_set<std::string_view> names;
      names.reserve(t.field_names.size());
      for (const auto& n : t.field_names) {
        if (!names.insert(n).second) {
          return value_error(errc::invalid_value, to_cql(t),
                             "duplicate field name \"" + n.substr(0, 64) + "\"");
        }
      }
      for (const auto& kv : obj) {
        if (!names.contains(std::string_view(kv.key()))) {
          return value_error(errc::invalid_value, to_cql(t),
                             "unknown field \"" + std::string(kv.key().substr(0, 64)) + "\"");
        }
      }
      static const json::value kNull;
      for (std::size_t i = 0; i < t.params.size(); ++i) {
        const json::value* f = obj.if_contains(t.field_names[i]);
        if (Status s = write_element(t.params[i], f ? *f : kNull, out, depth + 1); !s) {
          return with_context(std::move(s), "field " + t.field_names[i], t);
        }
      }
      return {};
    }
    default:
      return from_json_native(t, v, out);
  }
}

}  // namespace

Status encode_from_json(const DataType& t, const json::value& v, Bytes& out) {
  return from_json(t, v, out, 0);
}

}  // namespace nosqlc::protocol
