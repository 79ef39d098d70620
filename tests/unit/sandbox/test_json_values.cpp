// Cassandra 4.0's JSON forms of values (cql/json_values.hpp). Expected texts marked
// "JsonTest" are those of Cassandra's test/unit/org/apache/cassandra/cql3/validation/
// entities/JsonTest.java (testToJsonFct, testFromJsonFct, testCaseSensitivity,
// testInsertJsonSyntaxWithNonNativeMapKeys).
#include "cql/json_values.hpp"

#include "nosqlc/protocol/value_forms.hpp"

#include <boost/json/parse.hpp>
#include <boost/test/unit_test.hpp>

#include <string>

namespace cql = nosqlc::sandbox::cql;
namespace protocol = nosqlc::protocol;
using protocol::Bytes;
using protocol::DataType;
using protocol::TypeId;

namespace {

DataType T(TypeId id) {
  return DataType::of(id);
}

// The serialized value fromJson(json) gives for `t`.
Bytes from(const DataType& t, std::string_view json) {
  auto v = cql::from_json_value(t, boost::json::parse(json));
  BOOST_REQUIRE(v.has_value());
  return *v;
}

// toJson(fromJson(json)).
std::string round(const DataType& t, std::string_view json) {
  return cql::to_json_text(t, from(t, json));
}

// The message fromJson(json) fails with ("" if it does not).
std::string error(const DataType& t, std::string_view json) {
  try {
    (void)cql::from_json_value(t, boost::json::parse(json));
  } catch (const cql::JsonValueError& e) {
    return e.message;
  }
  return "";
}

std::string object_error(std::string_view text) {
  try {
    (void)cql::parse_json_object(text);
  } catch (const cql::JsonValueError& e) {
    return e.message;
  }
  return "";
}

DataType udt(std::vector<std::string> names, std::vector<DataType> types) {
  DataType t = T(TypeId::udt);
  t.udt_keyspace = "ks";
  t.udt_name = "mytype";
  t.field_names = std::move(names);
  t.params = std::move(types);
  return t;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox_json_values)

BOOST_AUTO_TEST_CASE(java_double_and_float_strings) {
  BOOST_TEST(cql::java_double_string(123123.123123) == "123123.123123");  // JsonTest
  BOOST_TEST(cql::java_double_string(123123.0) == "123123.0");            // JsonTest
  BOOST_TEST(cql::java_double_string(1e7) == "1.0E7");
  BOOST_TEST(cql::java_double_string(9999999.0) == "9999999.0");
  BOOST_TEST(cql::java_double_string(1e-3) == "0.001");
  BOOST_TEST(cql::java_double_string(1e-4) == "1.0E-4");
  BOOST_TEST(cql::java_double_string(1.5e10) == "1.5E10");
  BOOST_TEST(cql::java_double_string(-0.0) == "-0.0");
  BOOST_TEST(cql::java_double_string(0.0) == "0.0");
  BOOST_TEST(cql::java_double_string(0.1) == "0.1");
  BOOST_TEST(cql::java_double_string(-2.5e-7) == "-2.5E-7");
  BOOST_TEST(cql::java_double_string(1.7976931348623157e308) == "1.7976931348623157E308");
  BOOST_TEST(cql::java_float_string(0.1f) == "0.1");
  BOOST_TEST(cql::java_float_string(123.123f) == "123.123");    // JsonTest
  BOOST_TEST(cql::java_float_string(123123.0f) == "123123.0");  // JsonTest
  BOOST_TEST(cql::java_float_string(1e10f) == "1.0E10");
}

BOOST_AUTO_TEST_CASE(to_json_of_native_types_as_json_test_expects) {
  Bytes b;
  protocol::encode_bigint(123123123123, b);
  BOOST_TEST(cql::to_json_text(T(TypeId::bigint), b) == "123123123123");
  b.clear();
  protocol::encode_int(-123123, b);
  BOOST_TEST(cql::to_json_text(T(TypeId::int_), b) == "-123123");
  Bytes one{0, 0, 0, 1};
  BOOST_TEST(cql::to_json_text(T(TypeId::blob), one) == "\"0x00000001\"");
  BOOST_TEST(cql::to_json_text(T(TypeId::blob), Bytes{}) == "\"0x\"");
  BOOST_TEST(cql::to_json_text(T(TypeId::boolean), Bytes{1}) == "true");
  BOOST_TEST(round(T(TypeId::date), "\"1987-03-23\"") == "\"1987-03-23\"");
  BOOST_TEST(round(T(TypeId::decimal), "\"123123.123123\"") == "123123.123123");
  BOOST_TEST(round(T(TypeId::decimal), "\"-1.23E-12\"") == "-1.23E-12");
  BOOST_TEST(round(T(TypeId::inet), "\"127.0.0.1\"") == "\"127.0.0.1\"");
  BOOST_TEST(round(T(TypeId::inet), "\"::1\"") == "\"0:0:0:0:0:0:0:1\"");
  BOOST_TEST(round(T(TypeId::inet), "\"::ffff:1.2.3.4\"") == "\"1.2.3.4\"");
  BOOST_TEST(round(T(TypeId::varchar), "\"\\u8422\"") == "\"\xe8\x90\xa2\"");
  BOOST_TEST(round(T(TypeId::varchar), "\"\\u0000\"") == "\"\\u0000\"");
  BOOST_TEST(round(T(TypeId::varchar), "\"a\\\"b\\\\c\\n\\u001f/\"") ==
             "\"a\\\"b\\\\c\\n\\u001F/\"");
  b.clear();
  protocol::encode_time(123, b).code.clear();
  BOOST_TEST(cql::to_json_text(T(TypeId::time), b) == "\"00:00:00.000000123\"");
  BOOST_TEST(round(T(TypeId::timestamp), "\"2014-01-01\"") == "\"2014-01-01 00:00:00.000Z\"");
  BOOST_TEST(round(T(TypeId::uuid), "\"6BDDC89A-5644-11E4-97FC-56847AFE9799\"") ==
             "\"6bddc89a-5644-11e4-97fc-56847afe9799\"");
  BOOST_TEST(round(T(TypeId::varint), "\"123123123123123123123\"") == "123123123123123123123");
  BOOST_TEST(round(T(TypeId::duration), "\"1y2mo3w4d5h6m7s8ms9us10ns\"") ==
             "\"1y2mo25d5h6m7s8ms9us10ns\"");
  // An empty int (Cassandra's legacy empty value) is written as an empty string.
  BOOST_TEST(cql::to_json_text(T(TypeId::int_), Bytes{}) == "\"\"");
}

BOOST_AUTO_TEST_CASE(floats_nan_and_infinity_are_null) {
  Bytes b;
  protocol::encode_double(std::numeric_limits<double>::quiet_NaN(), b);
  BOOST_TEST(cql::to_json_text(T(TypeId::double_), b) == "null");
  b.clear();
  protocol::encode_float(-std::numeric_limits<float>::infinity(), b);
  BOOST_TEST(cql::to_json_text(T(TypeId::float_), b) == "null");
  BOOST_TEST(round(T(TypeId::double_), "\"1e7\"") == "1.0E7");
  BOOST_TEST(round(T(TypeId::float_), "0.1") == "0.1");
  BOOST_TEST(round(T(TypeId::double_), "123123") == "123123.0");  // JsonTest
}

BOOST_AUTO_TEST_CASE(timestamps_in_cassandras_json_format) {
  BOOST_TEST(cql::json_timestamp_string(0) == "1970-01-01 00:00:00.000Z");
  BOOST_TEST(cql::json_timestamp_string(1577934245678) == "2020-01-02 03:04:05.678Z");
  BOOST_TEST(cql::json_timestamp_string(-1) == "1969-12-31 23:59:59.999Z");
  // Before the Gregorian reform SimpleDateFormat counts in the Julian calendar.
  BOOST_TEST(cql::json_timestamp_string(-12219292800000) == "1582-10-15 00:00:00.000Z");
  BOOST_TEST(cql::json_timestamp_string(-12219292800001) == "1582-10-04 23:59:59.999Z");
  BOOST_TEST(round(T(TypeId::timestamp), "123123123123") == "\"1973-11-26 00:52:03.123Z\"");
  BOOST_TEST(round(T(TypeId::timestamp), "\"2020-01-02 03:04:05.678Z\"") ==
             "\"2020-01-02 03:04:05.678Z\"");
  BOOST_TEST(round(T(TypeId::timestamp), "\"2020-01-02T03:04+0100\"") ==
             "\"2020-01-02 02:04:00.000Z\"");
  BOOST_TEST(round(T(TypeId::timestamp), "\"2020-01-02 03:04:05\"") ==
             "\"2020-01-02 03:04:05.000Z\"");
}

BOOST_AUTO_TEST_CASE(collections_tuples_and_udts_to_json) {
  auto list = DataType::list_of(T(TypeId::int_));
  BOOST_TEST(round(list, "[1, 2, 3]") == "[1, 2, 3]");  // JsonTest
  auto set = DataType::set_of(T(TypeId::uuid));
  BOOST_TEST(
      round(set,
            "[\"6bddc89a-5644-11e4-97fc-56847afe9799\", "
            "\"6bddc89a-5644-11e4-97fc-56847afe9798\", "
            "\"6bddc89a-5644-11e4-97fc-56847afe9798\"]") ==
      "[\"6bddc89a-5644-11e4-97fc-56847afe9798\", \"6bddc89a-5644-11e4-97fc-56847afe9799\"]");
  auto map = DataType::map_of(T(TypeId::ascii), T(TypeId::int_));
  BOOST_TEST(round(map, "{\"b\": 2, \"a\": 1}") == "{\"a\": 1, \"b\": 2}");  // JsonTest
  auto tuple = DataType::tuple_of({T(TypeId::int_), T(TypeId::ascii), T(TypeId::uuid)});
  BOOST_TEST(round(tuple, "[1, \"foobar\", null]") == "[1, \"foobar\", null]");  // JsonTest
  auto u = udt({"a", "b", "c"},
               {T(TypeId::int_), T(TypeId::uuid), DataType::set_of(T(TypeId::varchar))});
  BOOST_TEST(round(u,
                   "{\"b\": \"6bddc89a-5644-11e4-97fc-56847afe9799\", \"a\": 1, \"c\": "
                   "[\"foo\", \"bar\"]}") ==
             "{\"a\": 1, \"b\": \"6bddc89a-5644-11e4-97fc-56847afe9799\", \"c\": [\"bar\", "
             "\"foo\"]}");
  BOOST_TEST(round(u, "{\"a\": 1}") == "{\"a\": 1, \"b\": null, \"c\": null}");
  // testCaseSensitivity: a field named Foo is written and read as "\"Foo\"".
  auto cs = udt({"a", "Foo"}, {T(TypeId::int_), T(TypeId::int_)});
  BOOST_TEST(round(cs, R"({"A": 0, "\"Foo\"": 1})") == R"({"a": 0, "\"Foo\"": 1})");
  // Nested collections.
  auto nested =
      DataType::map_of(T(TypeId::varchar), DataType::list_of(DataType::set_of(T(TypeId::int_))));
  BOOST_TEST(round(nested, R"({"x": [[3, 1], []], "a": [[2]]})") ==
             R"({"a": [[2]], "x": [[1, 3], []]})");
}

BOOST_AUTO_TEST_CASE(map_keys_of_non_text_types) {
  // testInsertJsonSyntaxWithNonNativeMapKeys
  auto b = T(TypeId::boolean);
  BOOST_TEST(round(DataType::map_of(T(TypeId::int_), b), R"({"1": false, "0": true})") ==
             R"({"0": true, "1": false})");
  BOOST_TEST(round(DataType::map_of(b, b), R"({"true": true, "false": false})") ==
             R"({"false": false, "true": true})");
  BOOST_TEST(round(DataType::map_of(T(TypeId::double_), b), R"({"1.23": true, "4.56": false})") ==
             R"({"1.23": true, "4.56": false})");
  BOOST_TEST(round(DataType::map_of(T(TypeId::decimal), b), R"({"1.23": true})") ==
             R"({"1.23": true})");
  auto tk = DataType::tuple_of({T(TypeId::int_), T(TypeId::varchar)});
  BOOST_TEST(round(DataType::map_of(tk, b), R"({"[1, \"b\"]": false, "[0, \"a\"]": true})") ==
             R"({"[0, \"a\"]": true, "[1, \"b\"]": false})");
  auto sk = DataType::set_of(T(TypeId::varchar));
  BOOST_TEST(round(DataType::map_of(sk, b), R"({"[\"0\", \"1\"]": true})") ==
             R"({"[\"0\", \"1\"]": true})");
  auto uk = udt({"a"}, {T(TypeId::int_)});
  BOOST_TEST(round(DataType::map_of(uk, b), R"({"{\"a\": 0}": true})") ==
             R"({"{\"a\": 0}": true})");
  // Timestamp keys are JSON strings already: written as they are.
  BOOST_TEST(round(DataType::map_of(T(TypeId::timestamp), b), R"({"0": true})") ==
             R"({"1970-01-01 00:00:00.000Z": true})");
}

BOOST_AUTO_TEST_CASE(from_json_numbers) {
  BOOST_TEST(from(T(TypeId::int_), "\"123123\"") == from(T(TypeId::int_), "123123"));
  BOOST_TEST(from(T(TypeId::int_), "\"\"").empty());
  BOOST_TEST(from(T(TypeId::smallint), "32767") == (Bytes{0x7f, 0xff}));
  BOOST_TEST(from(T(TypeId::tinyint), "\"-128\"") == (Bytes{0x80}));
  BOOST_TEST(round(T(TypeId::varint), "\"+1234567890123456789012345678901234567890\"") ==
             "1234567890123456789012345678901234567890");
  BOOST_TEST(round(T(TypeId::varint), "18446744073709551615") == "18446744073709551615");
  BOOST_TEST(round(T(TypeId::decimal), "123123.123123") == "123123.123123");  // JsonTest
  BOOST_TEST(round(T(TypeId::decimal), "1e20") == "1.0E+20");
  BOOST_TEST(round(T(TypeId::bigint), "\"-9223372036854775808\"") == "-9223372036854775808");
  BOOST_TEST(round(T(TypeId::boolean), "\"FALSE\"") == "false");
  BOOST_TEST(round(T(TypeId::float_), "\" 1.5f \"") == "1.5");
  BOOST_TEST(round(T(TypeId::double_), "\"-Infinity\"") == "null");
  BOOST_TEST(round(T(TypeId::time), "\"07:35:07.000111222\"") == "\"07:35:07.000111222\"");
  BOOST_TEST(round(T(TypeId::time), "\"123\"") == "\"00:00:00.000000123\"");
  BOOST_TEST(round(T(TypeId::date), "\"2147483648\"") == "\"1970-01-01\"");
  BOOST_TEST(round(T(TypeId::duration), "\"-1d\"") == "\"-1d\"");
  BOOST_TEST(!cql::from_json_value(T(TypeId::int_), boost::json::parse("null")).has_value());
}

BOOST_AUTO_TEST_CASE(from_json_errors_as_cassandra_words_them) {
  auto i = T(TypeId::int_);
  BOOST_TEST(error(i, "2147483648") == "Expected an int value, but got a Long: 2147483648");
  BOOST_TEST(error(i, "123.456") == "Expected an int value, but got a Double: 123.456");
  BOOST_TEST(error(i, "true") == "Expected an int value, but got a Boolean: true");
  BOOST_TEST(error(i, "\"xyzz\"") == "Unable to make int from 'xyzz'");
  auto big = T(TypeId::bigint);
  BOOST_TEST(error(big, "9223372036854775808") ==
             "Expected a bigint value, but got a BigInteger: 9223372036854775808");
  BOOST_TEST(error(big, R"(["abc", 1, {"a": [2]}])") ==
             "Expected a bigint value, but got a ArrayList: [abc, 1, {a=[2]}]");
  BOOST_TEST(error(big, "\"abc\"") == "Unable to make long from 'abc'");
  BOOST_TEST(error(T(TypeId::smallint), "32768") == "Unable to make short from '32768'");
  BOOST_TEST(error(T(TypeId::smallint), "true") ==
             "Expected a short value, but got a Boolean: true");
  BOOST_TEST(error(T(TypeId::tinyint), "123.456") == "Unable to make byte from '123.456'");
  BOOST_TEST(error(T(TypeId::ascii), "123") == "Expected an ascii string, but got a Integer: 123");
  BOOST_TEST(error(T(TypeId::ascii), "\"\\u2013\"")
                 .starts_with("Invalid ASCII character in string literal"));
  BOOST_TEST(error(T(TypeId::varchar), "123") == "Expected a UTF-8 string, but got a Integer: 123");
  BOOST_TEST(error(T(TypeId::blob), "\"xyzz\"") ==
             "Value 'xyzz' is not a valid blob representation: String representation of blob is "
             "missing 0x prefix: xyzz");
  BOOST_TEST(error(T(TypeId::blob), "\"0x123\"") ==
             "Value '0x123' is not a valid blob representation: cannot parse '123' as hex bytes");
  BOOST_TEST(
      error(T(TypeId::blob), "123").starts_with("Value '123' is not a valid blob representation"));
  BOOST_TEST(error(T(TypeId::boolean), "\"abc\"") == "Unable to make boolean from 'abc'");
  BOOST_TEST(error(T(TypeId::boolean), "123") ==
             "Expected a boolean value, but got a Integer: 123");
  BOOST_TEST(error(T(TypeId::date), "123") ==
             "Expected a string representation of a date value, but got a Integer: 123");
  BOOST_TEST(error(T(TypeId::date), "\"xyz\"") ==
             "Unable to coerce 'xyz' to a formatted date (long)");
  BOOST_TEST(error(T(TypeId::decimal), "\"xyzz\"") ==
             "Value 'xyzz' is not a valid representation of a decimal value");
  BOOST_TEST(error(T(TypeId::decimal), "true") ==
             "Value 'true' is not a valid representation of a decimal value");
  BOOST_TEST(error(T(TypeId::double_), "\"xyzz\"") == "Unable to make double from 'xyzz'");
  BOOST_TEST(error(T(TypeId::double_), "true") ==
             "Expected a double value, but got a Boolean: true");
  BOOST_TEST(error(T(TypeId::float_), "\"xyzz\"") == "Unable to make float from 'xyzz'");
  BOOST_TEST(error(T(TypeId::inet), "\"xyzz\"") == "Unable to make inet address from 'xyzz'");
  BOOST_TEST(error(T(TypeId::inet), "123") ==
             "Expected a string representation of an inet value, but got a Integer: 123");
  BOOST_TEST(error(T(TypeId::time), "123456") ==
             "Expected a string representation of a time value, but got a Integer: 123456");
  BOOST_TEST(error(T(TypeId::time), "\"xyz\"").find("Unable to coerce 'xyz' to a formatted time") !=
             std::string::npos);
  BOOST_TEST(error(T(TypeId::timestamp), "123.456") ==
             "Expected a long or a datestring representation of a timestamp value, but got a "
             "Double: 123.456");
  // Jackson reads a small number as an Integer, which TimestampType refuses.
  BOOST_TEST(error(T(TypeId::timestamp), "5").ends_with("but got a Integer: 5"));
  BOOST_TEST(error(T(TypeId::timestamp), "\"abcd\"") ==
             "Unable to coerce 'abcd' to a formatted date (long)");
  BOOST_TEST(error(T(TypeId::timeuuid), "\"00000000-0000-0000-0000-000000000000\"") ==
             "TimeUUID supports only version 1 UUIDs");
  BOOST_TEST(error(T(TypeId::timeuuid), "123") ==
             "Expected a string representation of a timeuuid, but got a Integer: 123");
  BOOST_TEST(error(T(TypeId::uuid), "\"00000000-0000-0000-zzzz-000000000000\"") ==
             "Unable to make UUID from '00000000-0000-0000-zzzz-000000000000'");
  BOOST_TEST(error(T(TypeId::uuid), "123") ==
             "Expected a string representation of a uuid, but got a Integer: 123");
  BOOST_TEST(error(T(TypeId::varint), "123123.123") ==
             "Value '123123.123' is not a valid representation of a varint value");
  BOOST_TEST(error(T(TypeId::varint), "\"\"") ==
             "Value '' is not a valid representation of a varint value");
  BOOST_TEST(error(T(TypeId::duration), "\"xyz\"") == "Unable to convert 'xyz' to a duration");
}

BOOST_AUTO_TEST_CASE(collection_errors) {
  auto list = DataType::list_of(T(TypeId::int_));
  BOOST_TEST(error(list, "123") == "Expected a list, but got a Integer: 123");
  BOOST_TEST(error(list, "[\"abc\"]") == "Unable to make int from 'abc'");
  BOOST_TEST(error(list, "[null]") == "Invalid null element in list");
  BOOST_TEST(error(list, "\"[1, \"").starts_with("Error decoding JSON string: "));
  BOOST_TEST(round(list, "\"[1, 2]\"") == "[1, 2]");
  auto set = DataType::set_of(T(TypeId::uuid));
  BOOST_TEST(error(set, "123") == "Expected a list (representing a set), but got a Integer: 123");
  BOOST_TEST(error(set, "[null]") == "Invalid null element in set");
  auto map = DataType::map_of(T(TypeId::ascii), T(TypeId::int_));
  BOOST_TEST(error(map, "123") == "Expected a map, but got a Integer: 123");
  BOOST_TEST(error(map, R"({"a": null})") == "Invalid null value in map");
  auto tuple = DataType::tuple_of({T(TypeId::int_), T(TypeId::ascii), T(TypeId::uuid)});
  BOOST_TEST(error(tuple, "[1, \"foobar\"]") == "Tuple is missing items (expected 3): [1, foobar]");
  BOOST_TEST(error(tuple, "[1, 2, 3, 4]") ==
             "Tuple contains extra items (expected 3): [1, 2, 3, 4]");
  BOOST_TEST(error(tuple, "{}") ==
             "Expected a list representation of a tuple, but got a LinkedHashMap: {}");
  auto u = udt({"a", "b"}, {T(TypeId::int_), T(TypeId::uuid)});
  BOOST_TEST(error(u, R"({"xxx": 1})") ==
             "Unknown field 'xxx' in value of user defined type mytype");
  BOOST_TEST(error(u, R"({"a": "foobar"})") == "Unable to make int from 'foobar'");
  BOOST_TEST(error(u, "[1]") == "Expected a map, but got a ArrayList: [1]");
}

BOOST_AUTO_TEST_CASE(insert_json_objects_fold_keys_as_cassandra) {
  auto m = cql::parse_json_object(R"({"K": 0, "\"Foo\"": 1, "bar": null})");
  // A renamed key is removed and put again, so it moves to the end, as in Cassandra's
  // LinkedHashMap.
  BOOST_REQUIRE_EQUAL(m.size(), 3u);
  BOOST_TEST(m[0].first == "bar");
  BOOST_TEST(m[0].second.is_null());
  BOOST_TEST(m[1].first == "k");
  BOOST_REQUIRE(m[1].second.is_int64());
  BOOST_TEST(m[1].second.get_int64() == 0);
  BOOST_TEST(m[2].first == "Foo");
  // "A" and "a" both name column a; handleCaseSensitivity lets the folded one win.
  auto dup = cql::parse_json_object(R"({"a": 1, "A": 2})");
  BOOST_REQUIRE_EQUAL(dup.size(), 1u);
  BOOST_REQUIRE(dup[0].second.is_int64());
  BOOST_TEST(dup[0].second.get_int64() == 2);
  BOOST_TEST(object_error("null") == "Got null for INSERT JSON values");
  BOOST_TEST(object_error("\"notamap\"").starts_with("Could not decode JSON string as a map: "));
  BOOST_TEST(object_error("12.34").ends_with(". (String was: 12.34)"));
  BOOST_TEST(object_error("{\"k\": ").starts_with("Could not decode JSON string as a map: "));
  BOOST_TEST(object_error("{}").empty());
}

BOOST_AUTO_TEST_CASE(keys_quotes_and_fromjson_text) {
  BOOST_TEST(cql::json_key("k") == "k");
  BOOST_TEST(cql::json_key("ttl(v)") == "ttl(v)");  // testSelectJsonSyntax
  BOOST_TEST(cql::json_key("Foo") == "\"Foo\"");    // testCaseSensitivity
  BOOST_TEST(cql::json_quote(cql::json_key("Bar")) == R"("\"Bar\"")");
  BOOST_TEST(cql::json_quote("\xce\x8e\t") == "\"\xce\x8e\\t\"");
  BOOST_TEST(cql::parse_json_text("[1]").is_array());
  try {
    (void)cql::parse_json_text("\xce\x8e");
    BOOST_FAIL("expected an error");
  } catch (const cql::JsonValueError& e) {
    BOOST_TEST(std::string(e.message).starts_with("Could not decode JSON string '\xce\x8e'"));
  }
  BOOST_TEST(cql::java_object_string(boost::json::parse(R"({"a": [1.0, null, true]})")) ==
             "{a=[1.0, null, true]}");
  BOOST_TEST(cql::java_class_name(boost::json::parse("3000000000")) == "Long");
}

BOOST_AUTO_TEST_SUITE_END()
