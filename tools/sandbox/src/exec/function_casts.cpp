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
      if (n.kind == Number::Kind::floating) {
        const std::string text = n.is_float ? cql::java_float_string(static_cast<float>(n.floating))
                                            : cql::java_double_string(n.floating);
        if (!std::isfinite(n.floating)) fail_invalid("Cannot convert " + text + " to decimal");
        return BigDec::from_string(text).to_decimal();
      }
      if (n.kind == Number::Kind::big) return n.big.to_decimal();
      return BigDec::of(BigInt::of(n.integral), 0).to_decimal();
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
      n.big = BigDec::of(BigInt::from_varint(v), 0);
      break;
    case TypeId::decimal:
      n.kind = Number::Kind::big;
      n.big = BigDec::from_decimal(v);
      break;
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
    case Number::Kind::big:
      return bounded([&] { return n.big.long_value(); });
  }
  return 0;
}

double double_value(const Number& n) {
  if (n.kind == Number::Kind::integral) return static_cast<double>(n.integral);
  if (n.kind == Number::Kind::floating) return n.floating;
  return bounded([&] { return n.big.double_value(); });
}

float float_value(const Number& n) {
  if (n.kind == Number::Kind::integral) return static_cast<float>(n.integral);
  if (n.kind == Number::Kind::floating) return static_cast<float>(n.floating);
  // BigDecimal.floatValue() and BigInteger.floatValue(): correctly rounded from the value, not
  // through a double.
  return bounded([&] { return std::strtof(n.big.to_string().c_str(), nullptr); });
}

BigDec big_decimal_of(const Number& n) {
  switch (n.kind) {
    case Number::Kind::integral:
      return BigDec::of(BigInt::of(n.integral), 0);
    case Number::Kind::floating:
      if (!std::isfinite(n.floating)) {
        fail_invalid(
            "A " + std::string(n.is_float ? "float" : "double") +
            " value cannot be converted into a BigDecimal: " + cql::java_double_string(n.floating));
      }
      return BigDec::from_string(cql::java_double_string(n.floating));
    case Number::Kind::big:
      break;
  }
  return n.big;
}

BigInt big_integer_of(const Number& n) {
  if (n.kind == Number::Kind::big && n.big.scale() == 0) return n.big.unscaled();
  return BigInt::of(long_value(n));
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
      return bounded([&] { return n.big.to_string(); });
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
