// CQL values: the serialization formats of native_protocol_v4.spec section 6 (data types) and
// section 7 (user defined types); duration, listed as option 0x0015 in section 4.2.5.2, follows
// native_protocol_v5.spec section 5.8. Pure functions over bytes, no I/O; thread-safe.
//
// A "value" here is the content of a cell's [bytes]: no length prefix. Null cells (negative
// length) never reach these functions, except through the optional<BytesView> overload of
// decode_to_json (value_forms.hpp). Every decoder takes exactly the value's bytes and reports:
//   incomplete     fewer bytes than the type needs (a fixed-size type, a truncated element),
//   extra_bytes    bytes left over after a complete value,
//   invalid_length a negative element count, or a count the remaining bytes cannot hold,
//   invalid_value  bytes outside the type's domain (bad UTF-8, timeuuid not v1, inet size...),
//   nesting_too_deep a type nested deeper than kMaxTypeDepth,
// with a message naming the CQL type, e.g. "invalid value for int: 3000000000 out of range".
// Encoders append to `out`; on failure `out` may hold a partial value the caller discards.
#pragma once

#include "nosqlc/protocol/error.hpp"
#include "nosqlc/protocol/notations.hpp"
#include "nosqlc/protocol/types.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nosqlc::protocol {

// ---- Native types, section 6 ----
// blob (6.3) and custom types are their bytes as they are: no helper.

// 6.1 ascii: bytes 0..127. 6.15 text / 6.22 varchar: well-formed UTF-8 (RFC 3629: no
// overlongs, no surrogates, nothing past U+10FFFF). `out` views `in`.
[[nodiscard]] Status decode_ascii(BytesView in, std::string_view& out);
[[nodiscard]] Status decode_text(BytesView in, std::string_view& out);
[[nodiscard]] Status encode_ascii(std::string_view v, Bytes& out);
[[nodiscard]] Status encode_text(std::string_view v, Bytes& out);

// 6.4 boolean: one byte, 0 is false, anything else true; encodes true as 1.
[[nodiscard]] Status decode_boolean(BytesView in, bool& out);
void encode_boolean(bool v, Bytes& out);

// 6.19 tinyint, 6.14 smallint, 6.10 int, 6.2 bigint (also counter): two's complement, exactly
// 1, 2, 4, 8 bytes.
[[nodiscard]] Status decode_tinyint(BytesView in, std::int8_t& out);
[[nodiscard]] Status decode_smallint(BytesView in, std::int16_t& out);
[[nodiscard]] Status decode_int(BytesView in, std::int32_t& out);
[[nodiscard]] Status decode_bigint(BytesView in, std::int64_t& out);
void encode_tinyint(std::int8_t v, Bytes& out);
void encode_smallint(std::int16_t v, Bytes& out);
void encode_int(std::int32_t v, Bytes& out);
void encode_bigint(std::int64_t v, Bytes& out);

// 6.8 float, 6.7 double: IEEE 754 binary32 / binary64, NaN payloads kept.
[[nodiscard]] Status decode_float(BytesView in, float& out);
[[nodiscard]] Status decode_double(BytesView in, double& out);
void encode_float(float v, Bytes& out);
void encode_double(double v, Bytes& out);

// 6.17 timestamp: milliseconds since 1970-01-01T00:00:00Z, 8 bytes, any int64.
[[nodiscard]] Status decode_timestamp(BytesView in, std::int64_t& out);
void encode_timestamp(std::int64_t millis, Bytes& out);

// 6.5 date: days as an unsigned 32-bit number with 1970-01-01 at kDateEpoch (2^31).
inline constexpr std::uint32_t kDateEpoch = 0x80000000u;
[[nodiscard]] Status decode_date(BytesView in, std::uint32_t& out);
void encode_date(std::uint32_t days, Bytes& out);

// 6.16 time: nanoseconds since midnight, 8 bytes, 0..kMaxTimeNanos; encode checks the range.
inline constexpr std::int64_t kMaxTimeNanos = 86'399'999'999'999;
[[nodiscard]] Status decode_time(BytesView in, std::int64_t& out);
[[nodiscard]] Status encode_time(std::int64_t nanos, Bytes& out);

// 6.21 uuid: any 16 bytes. 6.18 timeuuid: 16 bytes whose version nibble (high half of byte 6)
// is 1, checked both ways.
[[nodiscard]] Status decode_uuid(BytesView in, Uuid& out);
[[nodiscard]] Status decode_timeuuid(BytesView in, Uuid& out);
void encode_uuid(const Uuid& v, Bytes& out);
[[nodiscard]] Status encode_timeuuid(const Uuid& v, Bytes& out);

// 6.9 inet: the address only, 4 or 16 bytes (port ignored on encode, 0 on decode).
[[nodiscard]] Status decode_inet(BytesView in, Inet& out);
[[nodiscard]] Status encode_inet(const Inet& v, Bytes& out);

// 6.23 varint: big-endian two's complement. Decoding accepts redundant sign bytes (as
// Cassandra does) and fails with invalid_value on an empty value or one outside int64;
// encoding writes the minimal form (0 is 0x00, 128 is 0x0080, -129 is 0xFF7F).
[[nodiscard]] Status decode_varint(BytesView in, std::int64_t& out);
void encode_varint(std::int64_t v, Bytes& out);

// 6.6 decimal: [int] scale then a varint unscaled value, meaning unscaled * 10^-scale.
// `unscaled` holds varint bytes (at least one); decode copies them in minimal form.
struct Decimal {
  std::int32_t scale = 0;
  Bytes unscaled{0x00};
  bool operator==(const Decimal&) const = default;
};
[[nodiscard]] Status decode_decimal(BytesView in, Decimal& out);
[[nodiscard]] Status encode_decimal(const Decimal& v, Bytes& out);

// duration (v5 spec 5.8): three zig-zag [vint]s, months and days within int32, nanoseconds
// int64, all >= 0 or all <= 0 (invalid_value otherwise, both ways).
struct Duration {
  std::int32_t months = 0;
  std::int32_t days = 0;
  std::int64_t nanoseconds = 0;
  bool operator==(const Duration&) const = default;
};
[[nodiscard]] Status decode_duration(BytesView in, Duration& out);
[[nodiscard]] Status encode_duration(const Duration& v, Bytes& out);

// ---- Text forms of varint and decimal (the other types' are in value_forms.hpp) ----
// Parsers fail with invalid_value naming the type.

// Decimal digits of a varint (optional leading '-'), both ways. Values longer than
// kMaxBigNumberBytes are refused with invalid_value (the conversion is quadratic).
inline constexpr std::size_t kMaxBigNumberBytes = 16 * 1024;
[[nodiscard]] Status varint_to_string(BytesView in, std::string& out);
// varint_from_string appends the minimal varint bytes to `out`.
[[nodiscard]] Status varint_from_string(std::string_view s, Bytes& out);

// As Java's BigDecimal.toString: "123.45", "-0.001", "1.2E+5" (negative scale), "1E-10".
// parse_decimal also accepts "1.2e5", a leading '+', and keeps the scale ("1.50" is 150, 2).
[[nodiscard]] Status decimal_to_string(const Decimal& v, std::string& out);
[[nodiscard]] Status parse_decimal(std::string_view s, Decimal& out);

// ---- Collections (6.11 list, 6.12 map, 6.13 set), tuples (6.20) and UDTs (7) ----
// Element views point into `in`. A null element of a list, set or map is invalid_value
// (Cassandra never stores one); tuple components and UDT fields may be null (nullopt).

// list and set: [int] n then n [bytes].
[[nodiscard]] Status decode_collection(BytesView in, std::vector<BytesView>& elements);
[[nodiscard]] Status encode_collection(std::span<const BytesView> elements, Bytes& out);
// map: [int] n then n pairs of [bytes].
[[nodiscard]] Status decode_map(BytesView in,
                                std::vector<std::pair<BytesView, BytesView>>& entries);
[[nodiscard]] Status encode_map(std::span<const std::pair<BytesView, BytesView>> entries,
                                Bytes& out);
// tuple: exactly `arity` [bytes]. UDT: at most `field_count` [bytes]; missing trailing fields
// are null, so `components` always ends up with field_count entries.
[[nodiscard]] Status decode_tuple(BytesView in, std::size_t arity,
                                  std::vector<std::optional<BytesView>>& components);
[[nodiscard]] Status decode_udt(BytesView in, std::size_t field_count,
                                std::vector<std::optional<BytesView>>& fields);
// tuple and UDT alike: each component as [bytes], nullopt as null.
[[nodiscard]] Status encode_tuple(std::span<const std::optional<BytesView>> components, Bytes& out);

}  // namespace nosqlc::protocol
