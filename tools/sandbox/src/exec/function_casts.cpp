// CastFcts: cast(x AS type) between numeric types, to text and ascii, and between timeuuid,
// timestamp and date; and Java's number conversions and texts they rest on.
#include "cql/json_values.hpp"
#include "cql/literals.hpp"
#include "cql/uuids.hpp"
#include "exec/functions_internal.hpp"

#include <nosqlc/protocol/value_forms.hpp>

#include <charconv>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace nosqlc::sandbox::detail {
namespace {

std::string low_digits_mod(const std::string& text, bool& negative) {
  negative = !text.empty() && text[0] == '-';
  return negative ? text.substr(1) : text;
}

// The integral part of a decimal or varint text, as digits (sign apart).
std::string integral_digits(const std::string& text, bool& negative) {
  std::string s = low_digits_mod(text, negative);
  std::size_t e = s.find_first_of("eE");
  std::int64_t exponent = 0;
  if (e != std::string::npos) {
    exponent = std::strtoll(s.c_str() + e + 1, nullptr, 10);
    s.resize(e);
  }
  std::size_t point = s.find('.');
  std::string digits = s;
  std::int64_t fraction = 0;
  if (point != std::string::npos) {
    digits = s.substr(0, point) + s.substr(point + 1);
    fraction = static_cast<std::int64_t>(s.size() - point - 1);
  }
  std::int64_t shift = exponent - fraction;  // value = digits * 10^shift
  if (shift >= 0) return digits + std::string(static_cast<std::size_t>(std::min<std::int64_t>(shift, 64)), '0');
  auto drop = static_cast<std::size_t>(-shift);
  return drop >= digits.size() ? "0" : digits.substr(0, digits.size() - drop);
}

Bytes encode_as(TypeId id, const Number& n) {
  Bytes out;
  switch (id) {
    case TypeId::tinyint:
      protocol::encode_tinyint(n.kind == Number::Kind::floating
                                   ? static_cast<std::int8_t>(java_int_of(n.floating))
                                   : static_cast<std::int8_t>(long_value(n)),
                               out);
      break;
    case TypeId::smallint:
      protocol::encode_smallint(n.kind == Number::Kind::floating
                                    ? static_cast<std::int16_t>(java_int_of(n.floating))
                                    : static_cast<std::int16_t>(long_value(n)),
                                out);
      break;
    case TypeId::int_:
      protocol::encode_int(n.kind == Number::Kind::floating
                               ? java_int_of(n.floating)
                               : static_cast<std::int32_t>(long_value(n)),
                           out);
      break;
    case TypeId::bigint:
    case TypeId::counter:
      protocol::encode_bigint(long_value(n), out);
      break;
    case TypeId::float_:
      protocol::encode_float(float_value(n), out);
      break;
    case TypeId::double_:
      protocol::encode_double(double_value(n), out);
      break;
    case TypeId::varint:
      protocol::encode_varint(long_value(n), out);
      break;
    case TypeId::decimal: {
      // getDecimalConversionFunction: floats through Float.toString, doubles through
      // Double.toString (BigDecimal.valueOf), varints exactly, the rest through longValue().
      std::string text;
      if (n.kind == Number::Kind::floating) {
        if (!std::isfinite(n.floating)) {
          fail_invalid("Cannot convert " +
                       (n.is_float ? cql::java_float_string(static_cast<float>(n.floating))
                                   : cql::java_double_string(n.floating)) +
                       " to decimal");
        }
        text = n.is_float ? cql::java_float_string(static_cast<float>(n.floating))
                          : cql::java_double_string(n.floating);
      } else if (n.kind == Number::Kind::big) {
        text = n.big;
      } else {
        text = std::to_string(n.integral);
      }
      protocol::Decimal d;
      (void)protocol::parse_decimal(text, d);
      (void)protocol::encode_decimal(d, out);
      break;
    }
    default:
      break;
  }
  return out;
}

}  // namespace

bool is_numeric(TypeId id) noexcept {
  switch (id) {
    case TypeId::tinyint:
    case TypeId::smallint:
    case TypeId::int_:
    case TypeId::bigint:
    case TypeId::counter:
    case TypeId::float_:
    case TypeId::double_:
    case TypeId::varint:
    case TypeId::decimal:
      return true;
    default:
      return false;
  }
}

Number read_number(const DataType& t, BytesView v) {
  Number n;
  switch (t.id) {
    case TypeId::tinyint: {
      std::int8_t x = 0;
      (void)protocol::decode_tinyint(v, x);
      n.integral = x;
      break;
    }
    case TypeId::smallint: {
      std::int16_t x = 0;
      (void)protocol::decode_smallint(v, x);
      n.integral = x;
      break;
    }
    case TypeId::int_: {
      std::int32_t x = 0;
      (void)protocol::decode_int(v, x);
      n.integral = x;
      break;
    }
    case TypeId::bigint:
    case TypeId::counter:
      (void)protocol::decode_bigint(v, n.integral);
      break;
    case TypeId::float_: {
      float f = 0;
      (void)protocol::decode_float(v, f);
      n.kind = Number::Kind::floating;
      n.floating = f;
      n.is_float = true;
      break;
    }
    case TypeId::double_:
      n.kind = Number::Kind::floating;
      (void)protocol::decode_double(v, n.floating);
      break;
    case TypeId::varint:
      n.kind = Number::Kind::big;
      (void)protocol::varint_to_string(v, n.big);
      break;
    case TypeId::decimal: {
      n.kind = Number::Kind::big;
      protocol::Decimal d;
      (void)protocol::decode_decimal(v, d);
      (void)protocol::decimal_to_string(d, n.big);
      break;
    }
    default:
      break;
  }
  return n;
}

std::int32_t java_int_of(double d) noexcept {
  if (std::isnan(d)) return 0;
  if (d >= 2147483647.0) return std::numeric_limits<std::int32_t>::max();
  if (d <= -2147483648.0) return std::numeric_limits<std::int32_t>::min();
  return static_cast<std::int32_t>(d);
}

std::int64_t long_value(const Number& n) {
  switch (n.kind) {
    case Number::Kind::integral:
      return n.integral;
    case Number::Kind::floating: {
      double d = n.floating;
      if (std::isnan(d)) return 0;
      if (d >= 9223372036854775807.0) return std::numeric_limits<std::int64_t>::max();
      if (d <= -9223372036854775808.0) return std::numeric_limits<std::int64_t>::min();
      return static_cast<std::int64_t>(d);
    }
    case Number::Kind::big: {
      // BigInteger.longValue(): the low 64 bits of the two's complement, i.e. modulo 2^64.
      bool negative = false;
      std::uint64_t acc = 0;
      for (char c : integral_digits(n.big, negative))
        acc = acc * 10 + static_cast<std::uint64_t>(c - '0');
      if (negative) acc = ~acc + 1;
      return static_cast<std::int64_t>(acc);
    }
  }
  return 0;
}

double double_value(const Number& n) {
  if (n.kind == Number::Kind::integral) return static_cast<double>(n.integral);
  if (n.kind == Number::Kind::floating) return n.floating;
  return std::strtod(n.big.c_str(), nullptr);
}

float float_value(const Number& n) {
  if (n.kind == Number::Kind::integral) return static_cast<float>(n.integral);
  if (n.kind == Number::Kind::floating) return static_cast<float>(n.floating);
  return std::strtof(n.big.c_str(), nullptr);
}

Bytes convert_number(const Number& n, const DataType& to) {
  return encode_as(to.id, n);
}

std::string number_text(const DataType& type, BytesView value) {
  Number n = read_number(type, value);
  switch (n.kind) {
    case Number::Kind::integral:
      return std::to_string(n.integral);
    case Number::Kind::floating:
      return n.is_float ? cql::java_float_string(static_cast<float>(n.floating))
                        : cql::java_double_string(n.floating);
    case Number::Kind::big:
      return n.big;
  }
  return {};
}

namespace {

// The text CastAsTextFunction writes: the serializer's CQL literal without quotes.
std::string cast_text(const DataType& t, BytesView v) {
  if (is_numeric(t.id)) return number_text(t, v);
  switch (t.id) {
    case TypeId::ascii:
    case TypeId::varchar:
      return std::string(v.begin(), v.end());
    case TypeId::boolean:
      return !v.empty() && v[0] ? "true" : "false";
    case TypeId::inet: {
      // InetAddress.getHostAddress(): IPv6 in full, without "::" compression.
      if (v.size() == 4) return protocol::format_inet(v);
      std::string out;
      char buf[8];
      for (std::size_t i = 0; i + 1 < v.size(); i += 2) {
        if (i) out += ':';
        auto r = std::to_chars(buf, buf + sizeof buf, (unsigned{v[i]} << 8) | v[i + 1], 16);
        out.append(buf, r.ptr);
      }
      return out;
    }
    case TypeId::timestamp: {
      std::int64_t ms = 0;
      (void)protocol::decode_timestamp(v, ms);
      return protocol::format_timestamp(ms);
    }
    case TypeId::date: {
      std::uint32_t d = 0;
      (void)protocol::decode_date(v, d);
      return protocol::format_date(d);
    }
    case TypeId::time: {
      std::int64_t ns = 0;
      (void)protocol::decode_time(v, ns);
      return protocol::format_time(ns);
    }
    case TypeId::uuid:
    case TypeId::timeuuid: {
      protocol::Uuid u{};
      std::copy(v.begin(), v.end(), u.begin());
      return protocol::format_uuid(u);
    }
    default:
      return {};
  }
}

}  // namespace

// TypeSerializer.toCQLLiteral (and CQL3Type's for collections and tuples).
std::string cql_literal(const DataType& t, std::optional<BytesView> v) {
  if (!v) return "null";
  switch (t.id) {
    case TypeId::ascii:
    case TypeId::varchar: {
      std::string out = "'";
      for (char c : *v) {
        out += c;
        if (c == '\'') out += '\'';
      }
      return out + "'";
    }
    case TypeId::blob:
    case TypeId::custom:
      return protocol::format_blob(*v);
    case TypeId::list:
    case TypeId::set:
    case TypeId::map: {
      if (v->empty() || t.params.empty()) return "null";
      const bool map = t.id == TypeId::map && t.params.size() == 2;
      std::string out = t.id == TypeId::list ? "[" : "{";
      if (map) {
        std::vector<std::pair<BytesView, BytesView>> entries;
        if (!protocol::decode_map(*v, entries)) return "null";
        for (std::size_t i = 0; i < entries.size(); ++i) {
          if (i) out += ", ";
          out += cql_literal(t.params[0], entries[i].first) + ": " +
                 cql_literal(t.params[1], entries[i].second);
        }
      } else {
        std::vector<BytesView> elements;
        if (!protocol::decode_collection(*v, elements)) return "null";
        for (std::size_t i = 0; i < elements.size(); ++i) {
          if (i) out += ", ";
          out += cql_literal(t.params[0], elements[i]);
        }
      }
      return out + (t.id == TypeId::list ? "]" : "}");
    }
    case TypeId::tuple: {
      std::vector<std::optional<BytesView>> parts;
      if (!protocol::decode_tuple(*v, t.params.size(), parts)) return "null";
      std::string out = "(";
      for (std::size_t i = 0; i < parts.size(); ++i) {
        if (i) out += ", ";
        out += cql_literal(t.params[i], parts[i]);
      }
      return out + ")";
    }
    case TypeId::duration: {
      protocol::Duration d;
      if (!protocol::decode_duration(*v, d)) return "null";
      return protocol::format_duration(d);
    }
    default:
      // Empty values of the other types mean no value ("null"), as the serializers say.
      if (v->empty()) return "null";
      return cast_text(t, *v);
  }
}

void add_cast_functions(std::vector<ScalarFunction>& fs) {
  static constexpr TypeId kNumeric[] = {TypeId::tinyint, TypeId::smallint, TypeId::int_,
                                        TypeId::bigint,  TypeId::float_,   TypeId::double_,
                                        TypeId::decimal, TypeId::counter,  TypeId::varint};
  static constexpr TypeId kNumericTargets[] = {TypeId::tinyint, TypeId::smallint, TypeId::int_,
                                               TypeId::bigint,  TypeId::float_,   TypeId::double_,
                                               TypeId::decimal, TypeId::varint};
  auto add = [&](TypeId from_id, TypeId to_id, std::function<std::optional<Bytes>(Args)> f) {
    DataType to = DataType::of(to_id);
    ScalarFunction sf{"castas" + protocol::to_cql(to), {DataType::of(from_id)}, to, std::move(f)};
    sf.naming = ScalarFunction::Naming::cast;
    fs.push_back(std::move(sf));
  };
  auto as_text = [&](TypeId from_id) {
    for (TypeId to : {TypeId::ascii, TypeId::varchar}) {
      add(from_id, to, [from = DataType::of(from_id)](Args a) -> std::optional<Bytes> {
        std::string s = cast_text(from, *a[0]);
        return Bytes(s.begin(), s.end());
      });
    }
  };
  for (TypeId from : kNumeric) {
    for (TypeId to : kNumericTargets) {
      if (from == to) continue;
      add(from, to, [type = DataType::of(from), target = DataType::of(to)](Args a) {
        return std::optional<Bytes>(convert_number(read_number(type, *a[0]), target));
      });
    }
    as_text(from);
  }
  add(TypeId::ascii, TypeId::varchar, [](Args a) -> std::optional<Bytes> { return *a[0]; });
  as_text(TypeId::inet);
  as_text(TypeId::boolean);
  auto uuid_millis = [](Args a) { return time_uuid_millis(*a[0]); };
  add(TypeId::timeuuid, TypeId::date,
      [=](Args a) -> std::optional<Bytes> { return date_of_millis(uuid_millis(a)); });
  add(TypeId::timeuuid, TypeId::timestamp, [=](Args a) -> std::optional<Bytes> {
    Bytes out;
    protocol::encode_timestamp(uuid_millis(a), out);
    return out;
  });
  as_text(TypeId::timeuuid);
  add(TypeId::timestamp, TypeId::date, [=](Args a) -> std::optional<Bytes> {
    std::int64_t ms = 0;
    (void)protocol::decode_timestamp(*a[0], ms);
    return date_of_millis(ms);
  });
  as_text(TypeId::timestamp);
  add(TypeId::date, TypeId::timestamp, [](Args a) -> std::optional<Bytes> {
    Bytes out;
    protocol::encode_timestamp(millis_of_date(*a[0]), out);
    return out;
  });
  as_text(TypeId::date);
  as_text(TypeId::time);
  as_text(TypeId::uuid);
}

}  // namespace nosqlc::sandbox::detail
