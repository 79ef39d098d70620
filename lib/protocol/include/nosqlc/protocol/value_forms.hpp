// The text and JSON forms of CQL values: CQL literals' spellings of dates, times, durations,
// uuids, addresses and blobs, and a JSON mapping of every type, both ways. The target
// nosqlc::cql_forms, apart from the client's core: the sandbox speaks them, and users may
// print rows with them. Pure functions, thread-safe.
#pragma once

#include "nosqlc/protocol/values.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace nosqlc::protocol {

// ---- Text forms ----
// format_* never fail for a value their decoder accepted; parse_* accept what format_* write
// (plus the leniencies noted) and fail with invalid_value naming the type.

// Proleptic Gregorian calendar over int64 days since 1970-01-01 (no time_t), exact for
// |days| < 10^15. Years are astronomical: year 0 is 1 BC.
struct CivilDate {
  std::int64_t year = 1970;
  unsigned month = 1;  // 1..12
  unsigned day = 1;    // 1..31
  bool operator==(const CivilDate&) const = default;
};
CivilDate civil_from_days(std::int64_t days) noexcept;
// Precondition: month and day valid and |year| < 10^12.
std::int64_t days_from_civil(const CivilDate& d) noexcept;

// "YYYY-MM-DD"; a year outside 0..9999 gets a sign ("-0001-01-01", "+10000-01-01"), as
// java.time does. parse_date checks the day exists and the date is within the type's range.
std::string format_date(std::uint32_t days);
[[nodiscard]] Status parse_date(std::string_view s, std::uint32_t& out);
// "HH:MM:SS.nnnnnnnnn"; parse_time accepts 0 to 9 fraction digits. Precondition of format_time:
// 0 <= nanos <= kMaxTimeNanos.
std::string format_time(std::int64_t nanos);
[[nodiscard]] Status parse_time(std::string_view s, std::int64_t& out);
// "YYYY-MM-DDTHH:MM:SS.mmmZ" (years as format_date); parse accepts 0 to 3 fraction digits and
// requires the "Z".
std::string format_timestamp(std::int64_t millis);
[[nodiscard]] Status parse_timestamp(std::string_view s, std::int64_t& out);
// Cassandra's duration literal: optional '-', then <digits><unit> with units in decreasing
// order among y mo w d h m s ms us (or µs) ns, case-insensitive on parse; "1y2mo3d4h5m6s7ms8us9ns".
// The zero duration formats as "0s".
std::string format_duration(const Duration& v);
[[nodiscard]] Status parse_duration(std::string_view s, Duration& out);
// Lowercase 8-4-4-4-12; parse accepts either case.
std::string format_uuid(const Uuid& v);
[[nodiscard]] Status parse_uuid(std::string_view s, Uuid& out);
// Dotted quad, or RFC 5952 IPv6 text (lowercase, longest zero run as "::", IPv4-mapped
// addresses as "::ffff:1.2.3.4"). Precondition of format_inet: 4 or 16 bytes.
std::string format_inet(BytesView address);
[[nodiscard]] Status parse_inet(std::string_view s, Inet& out);
// "0x" and lowercase hex; parse_blob accepts either case and "0X", and appends to `out`.
std::string format_blob(BytesView b);
[[nodiscard]] Status parse_blob(std::string_view s, Bytes& out);

// ---- JSON ----
// CQL type            JSON from decode_to_json          also accepted by encode_from_json
// ascii, text         string
// tinyint..bigint,    integer                           integral double, decimal string
//   counter
// varint              integer, or decimal string        uint64, integral double
//                       beyond int64
// decimal             string, e.g. "123.45", "1E+5"     number
// float, double       number; "NaN", "Infinity",        numeric string
//                       "-Infinity"
// boolean             bool                              "true" / "false"
// blob, custom        "0x0a1b..."
// uuid, timeuuid      "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"
// inet                "10.0.0.1", "2001:db8::1"
// date                "YYYY-MM-DD"                      integer days since 1970-01-01
// time                "HH:MM:SS.nnnnnnnnn"              integer nanoseconds
// timestamp           "YYYY-MM-DDTHH:MM:SS.mmmZ"        integer milliseconds
// duration            "1mo2d3h4m5s6ms7us8ns", "-1d"
// list, set, tuple    array (a tuple's of its arity)
// map                 object if the key type is ascii   the other form: an object for any
//                       or text, else [[k, v], ...]       key type (keys parsed as strings)
// udt                 object by field name, null for    missing fields as null; an unknown
//                       null or missing fields            name is invalid_value
//                       (a type repeating a field name is invalid_value both ways)
// A null tuple component or UDT field is JSON null, both ways. An empty value of a type
// other than ascii, text, blob and custom (Cassandra's legacy "empty") decodes to null.
// JSON null cannot be encoded as a list/set/map element or as the top-level value (invalid_value:
// the caller writes a null [bytes] itself). A JSON kind the type does not accept, or a number
// outside the type's range, is invalid_value naming the CQL type.

// Decodes one non-null value of type `t` into `out` (replaced; unspecified on failure).
[[nodiscard]] Status decode_to_json(const DataType& t, BytesView in, boost::json::value& out);
// As above; nullopt (a null cell) gives JSON null.
[[nodiscard]] Status decode_to_json(const DataType& t, std::optional<BytesView> in,
                                    boost::json::value& out);
// As the BytesView form (a Bytes argument would otherwise match both overloads).
[[nodiscard]] inline Status decode_to_json(const DataType& t, const Bytes& in,
                                           boost::json::value& out) {
  return decode_to_json(t, BytesView(in), out);
}
// Appends the serialized value of `v` as type `t` to `out`, without a length prefix.
[[nodiscard]] Status encode_from_json(const DataType& t, const boost::json::value& v, Bytes& out);

}  // namespace nosqlc::protocol
