// Cassandra 4.0's JSON forms of CQL values, as SELECT JSON, toJson(), INSERT ... JSON and
// fromJson() use them: AbstractType.toJSONString / fromJSONObject of every type, with
// Cassandra's error messages, and Json.parseJson's reading of an INSERT JSON object.
//
// Parsing goes through Boost.JSON, which stands in for Cassandra's Jackson: a JSON number
// that fits an int32 is Java's Integer, one that fits an int64 a Long, a larger integer a
// BigInteger (only up to 2^64 - 1: Boost.JSON reads bigger ones as doubles), any other
// number a Double. The text written is produced here, byte for byte as Java writes it.
#pragma once

#include "nosqlc/protocol/types.hpp"
#include "nosqlc/protocol/values.hpp"

#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nosqlc::sandbox::cql {

// Cassandra's error for a bad JSON value: `message` is the exact text Cassandra 4.0 puts in
// its InvalidRequest (a MarshalException's message).
struct JsonValueError {
  std::string message;
};

// Cassandra 4.0's JSON text of one non-null value of type `t` (AbstractType.toJSONString,
// protocol v4), as toJson() and SELECT JSON write it: "123", "1.0E10", "\"abc\"",
// "\"2020-01-02 03:04:05.678Z\"", "[1, 2]", "{\"a\": 1}". An empty value of a type where
// empty means no value (int, timestamp, uuid...) gives "\"\"" as Cassandra does. Never
// throws for a value valid for the type (throws JsonValueError for undecodable bytes).
std::string to_json_text(const protocol::DataType& t, protocol::BytesView value);

// The serialized value Cassandra 4.0 reads from JSON `v` for a receiver of type `t`
// (AbstractType.fromJSONObject), as INSERT JSON and fromJson() do; nullopt for JSON null.
// Sets and maps come back sorted and without duplicates, as Cassandra stores them. Throws
// JsonValueError with Cassandra's message for a value it refuses, e.g. "Expected an int
// value, but got a Double: 1.5" or "Unable to make int from 'abc'".
std::optional<protocol::Bytes> from_json_value(const protocol::DataType& t,
                                               const boost::json::value& v);

// INSERT JSON's object (Cassandra's Json.parseJson): parses `text` as a JSON object and
// returns its entries keyed by column name as Cassandra resolves them: a key is folded to
// lower case unless it is written wrapped in double quotes inside the JSON string
// ("\"MyCol\"" names MyCol); when two keys resolve to one name, the one Cassandra's
// handleCaseSensitivity lets win is kept. Order: the object's, as a LinkedHashMap keeps it.
// Throws JsonValueError: "Got null for INSERT JSON values" for `null`, and
// "Could not decode JSON string as a map: <Jackson's exception>. (String was: <text>)" for
// text that is not a JSON object (the Jackson part is an approximation).
std::vector<std::pair<std::string, boost::json::value>> parse_json_object(std::string_view text);

// The key SELECT JSON writes for a column or alias `name`, before JSON quoting: the name
// itself, or wrapped in double quotes when it is not all lower case ("Foo" -> "\"Foo\""),
// as Cassandra 4.0's Selection.rowToJson does. Write it with json_quote(json_key(name)).
std::string json_key(std::string_view name);

// `s` as a JSON string literal with its quotes, escaped as Cassandra's
// Json.quoteAsJsonString (Jackson's JsonStringEncoder) does: \" \\ \b \t \n \f \r, other
// control characters as \u00XX (upper-case hex), everything else (non-ASCII UTF-8 too) as is.
std::string json_quote(std::string_view s);
// The escaping alone, without the surrounding quotes.
std::string json_escape(std::string_view s);

// fromJson()'s parse of its argument (FromJsonFct): the JSON value of `text`. Throws
// JsonValueError("Could not decode JSON string '<text>': <Jackson's exception>") when the
// text is not JSON (the part after the colon is an approximation of Jackson's wording).
boost::json::value parse_json_text(std::string_view text);

// Java's Double.toString / Float.toString: shortest round-trip digits, plain between 1e-3
// and 1e7 ("123.0", "0.001"), scientific outside ("1.0E7", "1.0E-4"), "NaN", "Infinity",
// "-Infinity", "-0.0".
std::string java_double_string(double d);
std::string java_float_string(float f);

// The string Java's toString gives for what Jackson parsed `v` into ("[1, a]", "{a=1}",
// "1.5", "null"), and that object's simple class name ("Integer", "Long", "BigInteger",
// "Double", "Boolean", "String", "ArrayList", "LinkedHashMap"), as Cassandra's messages
// print them.
std::string java_object_string(const boost::json::value& v);
std::string java_class_name(const boost::json::value& v);

// Cassandra's JSON timestamp form (TimestampSerializer's TO_JSON_FORMAT,
// "yyyy-MM-dd HH:mm:ss.SSSX" in UTC): "2014-01-01 00:00:00.000Z". Dates before 1582-10-15
// are in the Julian calendar and years before 1 are years of the BC era, as
// java.text.SimpleDateFormat writes them.
std::string json_timestamp_string(std::int64_t millis);

}  // namespace nosqlc::sandbox::cql
