// The writing half of json_values.hpp: AbstractType.toJSONString of every type, Java's
// number formatting and Jackson's string quoting.
#include "cql/json_values.hpp"

#include "nosqlc/protocol/value_forms.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <string>
#include <system_error>

namespace nosqlc::sandbox::cql {

using protocol::BytesView;
using protocol::DataType;
using protocol::TypeId;

namespace {

[[noreturn]] void fail(const protocol::Status& s) {
  throw JsonValueError{s.message};
}
void check(const protocol::Status& s) {
  if (!s) fail(s);
}

// Java's FloatingDecimal layout over the shortest round-trip digits of `sci`, a
// std::to_chars scientific form ("1.2345e+07").
std::string java_layout(std::string_view sci) {
  std::string out;
  if (!sci.empty() && sci[0] == '-') {
    out += '-';
    sci.remove_prefix(1);
  }
  auto e = sci.find('e');
  std::string digits;
  for (char c : sci.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exp = 0;
  std::from_chars(sci.data() + e + (sci[e + 1] == '+' ? 2 : 1), sci.data() + sci.size(), exp);
  while (digits.size() > 1 && digits.back() == '0')
    digits.pop_back();
  if (digits == "0") return out + "0.0";
  if (exp >= -3 && exp < 7) {
    if (exp >= 0) {
      auto int_len = static_cast<std::size_t>(exp) + 1;
      if (digits.size() <= int_len) {
        out += digits + std::string(int_len - digits.size(), '0') + ".0";
      } else {
        out += digits.substr(0, int_len) + "." + digits.substr(int_len);
      }
    } else {
      out += "0." + std::string(static_cast<std::size_t>(-exp - 1), '0') + digits;
    }
    return out;
  }
  out += digits.substr(0, 1);
  out += '.';
  out += digits.size() > 1 ? digits.substr(1) : "0";
  out += 'E';
  out += std::to_string(exp);
  return out;
}

template <typename F>
std::string java_fp(F v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v < 0 ? "-Infinity" : "Infinity";
  std::array<char, 64> buf{};
  auto r = std::to_chars(buf.data(), buf.data() + buf.size(), v, std::chars_format::scientific);
  return java_layout(std::string_view(buf.data(), static_cast<std::size_t>(r.ptr - buf.data())));
}

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}

// java.net.InetAddress.getHostAddress of the address Cassandra rebuilds from `b`: an
// IPv4-mapped IPv6 address becomes the IPv4 address; IPv6 is eight groups, no "::".
std::string java_inet(BytesView b) {
  bool mapped = b.size() == 16;
  for (std::size_t i = 0; mapped && i < 10; ++i)
    mapped = b[i] == 0;
  if (mapped) mapped = b[10] == 0xff && b[11] == 0xff;
  if (b.size() == 4 || mapped) return protocol::format_inet(b.subspan(b.size() - 4));
  std::string out;
  char buf[8];
  for (std::size_t i = 0; i < 16; i += 2) {
    if (i > 0) out += ':';
    std::snprintf(buf, sizeof buf, "%x", static_cast<unsigned>((b[i] << 8) | b[i + 1]));
    out += buf;
  }
  return out;
}

// Cassandra's Duration.toString: no weeks, and nothing at all for the zero duration.
std::string duration_string(const protocol::Duration& d) {
  if (d.months == 0 && d.days == 0 && d.nanoseconds == 0) return "";
  return protocol::format_duration(d);
}

bool empty_means_null(TypeId id) {
  switch (id) {
    case TypeId::ascii:
    case TypeId::varchar:
    case TypeId::blob:
    case TypeId::custom:
    case TypeId::list:
    case TypeId::set:
    case TypeId::map:
    case TypeId::tuple:
    case TypeId::udt:
      return false;
    default:
      return true;
  }
}

std::string quoted(std::string_view s) {
  return json_quote(s);
}

void write(const DataType& t, BytesView in, std::string& out);

void write_components(const DataType& t, BytesView in, std::string& out) {
  std::vector<std::optional<BytesView>> parts;
  check(protocol::decode_udt(in, t.params.size(), parts));
  bool udt = t.id == TypeId::udt;
  out += udt ? '{' : '[';
  for (std::size_t i = 0; i < t.params.size(); ++i) {
    if (i > 0) out += ", ";
    if (udt) {
      out += json_quote(json_key(t.field_names[i]));
      out += ": ";
    }
    if (!parts[i]) {
      out += "null";
    } else {
      write(t.params[i], *parts[i], out);
    }
  }
  out += udt ? '}' : ']';
}

void write(const DataType& t, BytesView in, std::string& out) {
  if (in.empty() && empty_means_null(t.id)) {
    out += "\"\"";
    return;
  }
  switch (t.id) {
    case TypeId::ascii: {
      std::string_view s;
      check(protocol::decode_ascii(in, s));
      out += quoted(s);
      return;
    }
    case TypeId::varchar: {
      std::string_view s;
      check(protocol::decode_text(in, s));
      out += quoted(s);
      return;
    }
    case TypeId::boolean: {
      bool b = false;
      check(protocol::decode_boolean(in, b));
      out += b ? "true" : "false";
      return;
    }
    case TypeId::tinyint: {
      std::int8_t v = 0;
      check(protocol::decode_tinyint(in, v));
      out += std::to_string(v);
      return;
    }
    case TypeId::smallint: {
      std::int16_t v = 0;
      check(protocol::decode_smallint(in, v));
      out += std::to_string(v);
      return;
    }
    case TypeId::int_: {
      std::int32_t v = 0;
      check(protocol::decode_int(in, v));
      out += std::to_string(v);
      return;
    }
    case TypeId::bigint:
    case TypeId::counter: {
      std::int64_t v = 0;
      check(protocol::decode_bigint(in, v));
      out += std::to_string(v);
      return;
    }
    case TypeId::varint: {
      std::string s;
      check(protocol::varint_to_string(in, s));
      out += s;
      return;
    }
    case TypeId::decimal: {
      protocol::Decimal d;
      check(protocol::decode_decimal(in, d));
      std::string s;
      check(protocol::decimal_to_string(d, s));
      out += s;
      return;
    }
    case TypeId::float_: {
      float f = 0;
      check(protocol::decode_float(in, f));
      // JSON has no NaN or Infinity: Cassandra writes null for them.
      out += std::isfinite(f) ? java_float_string(f) : "null";
      return;
    }
    case TypeId::double_: {
      double d = 0;
      check(protocol::decode_double(in, d));
      out += std::isfinite(d) ? java_double_string(d) : "null";
      return;
    }
    case TypeId::timestamp: {
      std::int64_t ms = 0;
      check(protocol::decode_timestamp(in, ms));
      out += '"' + json_timestamp_string(ms) + '"';
      return;
    }
    case TypeId::date: {
      std::uint32_t days = 0;
      check(protocol::decode_date(in, days));
      out += '"' + protocol::format_date(days) + '"';
      return;
    }
    case TypeId::time: {
      std::int64_t ns = 0;
      check(protocol::decode_time(in, ns));
      out += '"' + protocol::format_time(ns) + '"';
      return;
    }
    case TypeId::uuid:
    case TypeId::timeuuid: {
      protocol::Uuid u{};
      check(protocol::decode_uuid(in, u));
      out += '"' + protocol::format_uuid(u) + '"';
      return;
    }
    case TypeId::inet: {
      protocol::Inet a;
      check(protocol::decode_inet(in, a));
      out += '"' + java_inet(a.address) + '"';
      return;
    }
    case TypeId::duration: {
      protocol::Duration d;
      check(protocol::decode_duration(in, d));
      out += '"' + duration_string(d) + '"';
      return;
    }
    case TypeId::blob:
    case TypeId::custom:
      out += '"' + protocol::format_blob(in) + '"';
      return;
    case TypeId::list:
    case TypeId::set: {
      std::vector<BytesView> elems;
      check(protocol::decode_collection(in, elems));
      out += '[';
      for (std::size_t i = 0; i < elems.size(); ++i) {
        if (i > 0) out += ", ";
        write(t.params.at(0), elems[i], out);
      }
      out += ']';
      return;
    }
    case TypeId::map: {
      std::vector<std::pair<BytesView, BytesView>> entries;
      check(protocol::decode_map(in, entries));
      out += '{';
      for (std::size_t i = 0; i < entries.size(); ++i) {
        if (i > 0) out += ", ";
        // JSON keys are strings: a key whose JSON is not a string is quoted as one.
        std::string key;
        write(t.params.at(0), entries[i].first, key);
        out += key.starts_with('"') ? key : json_quote(key);
        out += ": ";
        write(t.params.at(1), entries[i].second, out);
      }
      out += '}';
      return;
    }
    case TypeId::tuple:
    case TypeId::udt:
      write_components(t, in, out);
      return;
  }
  throw JsonValueError{"unknown type " + protocol::to_cql(t)};
}

}  // namespace

std::string java_double_string(double d) {
  return java_fp(d);
}
std::string java_float_string(float f) {
  return java_fp(f);
}

std::string json_escape(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (u < 0x20) {
          out += "\\u00";
          out += kHex[u >> 4];
          out += kHex[u & 0xF];
        } else {
          out += c;
        }
    }
  }
  return out;
}

std::string json_quote(std::string_view s) {
  return '"' + json_escape(s) + '"';
}

std::string json_key(std::string_view name) {
  for (char c : name) {
    if (c >= 'A' && c <= 'Z') return '"' + std::string(name) + '"';
  }
  return std::string(name);
}

std::string json_timestamp_string(std::int64_t millis) {
  std::int64_t days = floor_div(millis, 86'400'000);
  std::int64_t ms_of_day = millis - days * 86'400'000;
  std::int64_t year = 0;
  unsigned month = 0, day = 0;
  // java.util.GregorianCalendar switches to the Julian calendar before 1582-10-15.
  constexpr std::int64_t kGregorianStart = -141'427;
  if (days >= kGregorianStart) {
    auto c = protocol::civil_from_days(days);
    year = c.year;
    month = c.month;
    day = c.day;
  } else {
    std::int64_t c = days + 2'440'588 + 32'082;  // Julian day number, shifted
    std::int64_t d = floor_div(4 * c + 3, 1461);
    std::int64_t e = c - floor_div(1461 * d, 4);
    std::int64_t m = floor_div(5 * e + 2, 153);
    day = static_cast<unsigned>(e - floor_div(153 * m + 2, 5) + 1);
    month = static_cast<unsigned>(m + 3 - 12 * floor_div(m, 10));
    year = d - 4800 + floor_div(m, 10);
  }
  std::int64_t year_of_era = year >= 1 ? year : 1 - year;
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u %02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(year_of_era), month, day,
                static_cast<long long>(ms_of_day / 3'600'000),
                static_cast<long long>(ms_of_day / 60'000 % 60),
                static_cast<long long>(ms_of_day / 1000 % 60),
                static_cast<long long>(ms_of_day % 1000));
  return buf;
}

std::string to_json_text(const DataType& t, BytesView value) {
  std::string out;
  write(t, value, out);
  return out;
}

}  // namespace nosqlc::sandbox::cql
