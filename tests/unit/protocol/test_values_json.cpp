// decode_to_json / encode_from_json for every native type (native_protocol_v4.spec section 6;
// duration per v5 spec 5.8), with the JSON mapping documented in values.hpp.
#include "values_fixtures.hpp"

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

using namespace nosqlc::protocol;
using namespace values_fixtures;
namespace json = boost::json;

namespace {

DataType T(TypeId id) {
  return DataType::of(id);
}

struct Case {
  std::string_view name;
  DataType type;
  std::string_view hex;
  std::string_view json;  // exactly what decode_to_json gives, and encode_from_json takes back
};

std::vector<Case> native_cases() {
  return {
      {"6.1 ascii", T(TypeId::ascii), "616263", R"("abc")"},
      {"6.1 ascii empty", T(TypeId::ascii), "", R"("")"},
      {"6.2 bigint min", T(TypeId::bigint), "8000000000000000", "-9223372036854775808"},
      {"6.2 bigint max", T(TypeId::bigint), "7fffffffffffffff", "9223372036854775807"},
      {"6.2 counter", T(TypeId::counter), "000000000000002a", "42"},
      {"6.3 blob", T(TypeId::blob), "00ff10", R"("0x00ff10")"},
      {"6.3 blob empty", T(TypeId::blob), "", R"("0x")"},
      {"6.4 boolean false", T(TypeId::boolean), "00", "false"},
      {"6.4 boolean true", T(TypeId::boolean), "01", "true"},
      {"6.5 date epoch", T(TypeId::date), "80000000", R"("1970-01-01")"},
      {"6.5 date min", T(TypeId::date), "00000000", R"("-5877641-06-23")"},
      {"6.5 date max", T(TypeId::date), "ffffffff", R"("+5881580-07-11")"},
      {"6.5 date 1969-07-20", T(TypeId::date), "7fffff5b", R"("1969-07-20")"},
      {"6.6 decimal 123.45", T(TypeId::decimal), "00000002 3039", R"("123.45")"},
      {"6.6 decimal -1E+3", T(TypeId::decimal), "fffffffd ff", R"("-1E+3")"},
      {"6.7 double", T(TypeId::double_), "3ff8000000000000", "1.5E0"},
      {"6.7 double NaN", T(TypeId::double_), "7ff8000000000000", R"("NaN")"},
      {"6.7 double -Infinity", T(TypeId::double_), "fff0000000000000", R"("-Infinity")"},
      {"6.8 float", T(TypeId::float_), "c0200000", "-2.5E0"},
      {"6.8 float Infinity", T(TypeId::float_), "7f800000", R"("Infinity")"},
      {"6.9 inet v4", T(TypeId::inet), "0a000001", R"("10.0.0.1")"},
      {"6.9 inet v6", T(TypeId::inet), "20010db8000000000000000000000001", R"("2001:db8::1")"},
      {"6.10 int", T(TypeId::int_), "ffffff85", "-123"},
      {"6.14 smallint", T(TypeId::smallint), "8000", "-32768"},
      {"6.15 text", T(TypeId::varchar), "c3a9e282ac", R"("é€")"},
      {"6.16 time min", T(TypeId::time), "0000000000000000", R"("00:00:00.000000000")"},
      {"6.16 time max", T(TypeId::time), "00004e94914effff", R"("23:59:59.999999999")"},
      {"6.17 timestamp", T(TypeId::timestamp), "0000000000000000", R"("1970-01-01T00:00:00.000Z")"},
      {"6.17 timestamp before 1970", T(TypeId::timestamp), "fffffdfdae01dc00",
       R"("1900-01-01T00:00:00.000Z")"},
      {"6.17 timestamp far future", T(TypeId::timestamp), "7fffffffffffffff",
       R"("+292278994-08-17T07:12:55.807Z")"},
      {"6.18 timeuuid", T(TypeId::timeuuid), "6ba7b8109dad11d180b400c04fd430c8",
       R"("6ba7b810-9dad-11d1-80b4-00c04fd430c8")"},
      {"6.19 tinyint", T(TypeId::tinyint), "80", "-128"},
      {"6.21 uuid", T(TypeId::uuid), "f47ac10b58cc4372a5670e02b2c3d479",
       R"("f47ac10b-58cc-4372-a567-0e02b2c3d479")"},
      {"6.23 varint small", T(TypeId::varint), "ff7f", "-129"},
      {"6.23 varint beyond int64", T(TypeId::varint), "008000000000000000",
       R"("9223372036854775808")"},
      {"4.2.5.2 custom: its bytes as they are",
       [] {
         DataType t = T(TypeId::custom);
         t.custom_class = "org.example.MyType";
         return t;
       }(),
       "0a1b", R"("0x0a1b")"},
      {"v5 5.8 duration", T(TypeId::duration), "020406", R"("1mo2d3ns")"},
      {"v5 5.8 duration negative", T(TypeId::duration), "0001 fc068c61713fff", R"("-1d1h")"},
  };
}

Status encode(const DataType& t, std::string_view json_text, Bytes& out) {
  return encode_from_json(t, json::parse(json_text), out);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(values_json)

BOOST_AUTO_TEST_CASE(native_fixtures_both_ways) {
  for (const Case& c : native_cases()) {
    BOOST_TEST_CONTEXT(c.name) {
      Bytes b = hex(c.hex);
      json::value v;
      Status s = decode_to_json(c.type, Heap(b).view(), v);
      BOOST_TEST_REQUIRE(s.ok(), s.message);
      BOOST_TEST(json::serialize(v) == c.json);
      Bytes out;
      s = encode(c.type, c.json, out);
      BOOST_TEST(s.ok(), s.message);
      BOOST_TEST(to_hex(out) == to_hex(b));
      write_value_seed(c.name, c.type, b);
    }
  }
}

BOOST_AUTO_TEST_CASE(native_fixtures_truncated_at_every_offset) {
  // Fixed-size types (section 6) fail on every cut but the empty one, Cassandra's legacy empty
  // value (null); the others may hold a shorter valid value, but must never misread.
  auto fixed_size = [](TypeId id) {
    switch (id) {
      case TypeId::bigint:
      case TypeId::counter:
      case TypeId::boolean:
      case TypeId::date:
      case TypeId::double_:
      case TypeId::float_:
      case TypeId::int_:
      case TypeId::smallint:
      case TypeId::time:
      case TypeId::timestamp:
      case TypeId::timeuuid:
      case TypeId::tinyint:
      case TypeId::uuid:
        return true;
      default:
        return false;
    }
  };
  for (const Case& c : native_cases()) {
    const Bytes b = hex(c.hex);
    for (std::size_t cut = 1; cut < b.size(); ++cut) {
      BOOST_TEST_CONTEXT(c.name << " cut at " << cut) {
        json::value v;
        Status s = decode_to_json(c.type, Heap(BytesView(b).first(cut)).view(), v);
        if (fixed_size(c.type.id)) {
          BOOST_TEST(s.code == ec(errc::incomplete), s.message);
        } else if (c.type.id == TypeId::decimal && cut < 5) {
          BOOST_TEST(s.code == ec(errc::incomplete), s.message);  // 6.6: [int] scale + varint
        } else if (c.type.id == TypeId::duration) {
          BOOST_TEST(s.code == ec(errc::incomplete), s.message);  // the last [vint] is cut
        } else if (c.type.id == TypeId::inet && cut != 4) {
          BOOST_TEST(s.code == ec(errc::invalid_value), s.message);  // 6.9: 4 or 16 bytes
        } else if (!s.ok()) {
          BOOST_TEST(!s.message.empty());
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(accepted_alternatives) {
  struct Alt {
    std::string_view name;
    DataType type;
    std::string_view json, hex;
  };
  const Alt alts[] = {
      {"int from integral double", T(TypeId::int_), "5.0", "00000005"},
      {"int from numeric string", T(TypeId::int_), R"("-7")", "fffffff9"},
      {"bigint from string", T(TypeId::bigint), R"("9223372036854775807")", "7fffffffffffffff"},
      {"varint from uint64", T(TypeId::varint), "18446744073709551615", "00ffffffffffffffff"},
      {"varint from double", T(TypeId::varint), "1e20", "056bc75e2d63100000"},
      {"varint from string", T(TypeId::varint), R"("-129")", "ff7f"},
      {"decimal from integer", T(TypeId::decimal), "-1", "00000000ff"},
      {"decimal from double", T(TypeId::decimal), "0.1", "00000001 01"},
      {"decimal from exponent", T(TypeId::decimal), R"("1.5e-3")", "00000004 0f"},
      {"double from integer", T(TypeId::double_), "2", "4000000000000000"},
      {"double from string", T(TypeId::double_), R"("0.5")", "3fe0000000000000"},
      {"float from double", T(TypeId::float_), "0.1", "3dcccccd"},
      {"boolean from string", T(TypeId::boolean), R"("TRUE")", "01"},
      {"blob upper case", T(TypeId::blob), R"("0XABcd")", "abcd"},
      {"uuid upper case", T(TypeId::uuid), R"("F47AC10B-58CC-4372-A567-0E02B2C3D479")",
       "f47ac10b58cc4372a5670e02b2c3d479"},
      {"date from days", T(TypeId::date), "-1", "7fffffff"},
      {"date from days min", T(TypeId::date), "-2147483648", "00000000"},
      {"time from nanos", T(TypeId::time), "86399999999999", "00004e94914effff"},
      {"time short form", T(TypeId::time), R"("01:02:03")", "00000362d417ae00"},
      {"timestamp from millis", T(TypeId::timestamp), "-1", "ffffffffffffffff"},
      {"timestamp without fraction", T(TypeId::timestamp), R"("1970-01-01T00:00:01Z")",
       "00000000000003e8"},
      {"duration units", T(TypeId::duration), R"("1W")", "000e00"},
      {"map<int, text> from object", DataType::map_of(T(TypeId::int_), T(TypeId::varchar)),
       R"({"7":"x"})", "00000001 00000004 00000007 00000001 78"},
      {"map<text, int> from pairs", DataType::map_of(T(TypeId::varchar), T(TypeId::int_)),
       R"([["a",1]])", "00000001 00000001 61 00000004 00000001"},
      {"udt with a missing field", udt("t", {{"a", T(TypeId::int_)}, {"b", T(TypeId::int_)}}),
       R"({"b":2})", "ffffffff 00000004 00000002"},
      {"inet v4-mapped text", T(TypeId::inet), R"("::FFFF:1.2.3.4")",
       "00000000000000000000ffff01020304"},
  };
  for (const Alt& a : alts) {
    BOOST_TEST_CONTEXT(a.name) {
      Bytes out;
      Status s = encode(a.type, a.json, out);
      BOOST_TEST(s.ok(), s.message);
      BOOST_TEST(to_hex(out) == to_hex(hex(a.hex)));
    }
  }
}

BOOST_AUTO_TEST_CASE(rejected_json) {
  struct Bad {
    std::string_view name;
    DataType type;
    std::string_view json, message_part;
  };
  const DataType list_int = DataType::list_of(T(TypeId::int_));
  const Bad bads[] = {
      {"int out of range", T(TypeId::int_), "3000000000",
       "invalid value for int: 3000000000 out of range"},
      {"int below range", T(TypeId::int_), "-2147483649", "int: -2147483649 out of range"},
      {"tinyint out of range", T(TypeId::tinyint), "128", "tinyint: 128 out of range"},
      {"smallint out of range", T(TypeId::smallint), "-32769", "smallint"},
      {"bigint from uint64", T(TypeId::bigint), "9223372036854775808", "bigint"},
      {"bigint string beyond int64", T(TypeId::bigint), R"("9223372036854775808")", "out of range"},
      {"int from fraction", T(TypeId::int_), "1.5", "not an integer"},
      {"int from bool", T(TypeId::int_), "true", "expected an integer, got bool"},
      {"int from text", T(TypeId::int_), R"("abc")", "not an integer"},
      {"text from number", T(TypeId::varchar), "1", "text: expected a string, got integer"},
      {"ascii non-ASCII", T(TypeId::ascii), R"("é")", "ascii"},
      {"boolean from integer", T(TypeId::boolean), "1", "boolean"},
      {"blob without 0x", T(TypeId::blob), R"("abcd")", "blob"},
      {"blob odd digits", T(TypeId::blob), R"("0xabc")", "blob"},
      {"uuid bad", T(TypeId::uuid), R"("not-a-uuid")", "uuid"},
      {"timeuuid version 4", T(TypeId::timeuuid), R"("f47ac10b-58cc-4372-a567-0e02b2c3d479")",
       "timeuuid"},
      {"inet bad", T(TypeId::inet), R"("1.2.3.256")", "inet"},
      {"date out of range", T(TypeId::date), "2147483648", "date"},
      {"date bad text", T(TypeId::date), R"("2021-02-30")", "date"},
      {"time out of range", T(TypeId::time), "86400000000000", "time"},
      {"time negative", T(TypeId::time), "-1", "time"},
      {"timestamp bad text", T(TypeId::timestamp), R"("yesterday")", "timestamp"},
      {"timestamp from bool", T(TypeId::timestamp), "false", "timestamp"},
      {"duration mixed", T(TypeId::duration), R"("1d-1h")", "duration"},
      {"duration number", T(TypeId::duration), "5", "duration"},
      {"float out of range", T(TypeId::float_), "1e300", "float: 1E300 out of range"},
      {"double from array", T(TypeId::double_), "[]", "double"},
      {"double bad text", T(TypeId::double_), R"("fast")", "double"},
      {"decimal bad text", T(TypeId::decimal), R"("1,5")", "decimal"},
      {"varint fraction", T(TypeId::varint), "1.5", "varint"},
      {"varint bad text", T(TypeId::varint), R"("12x")", "varint"},
      {"list from object", list_int, "{}", "list<int>: expected an array, got object"},
      {"list with null", list_int, "[1,null]", "null element"},
      {"list with bad element", list_int, R"([1,"x"])", "(element 1 of list<int>)"},
      {"set from string", DataType::set_of(T(TypeId::int_)), R"("x")", "set<int>"},
      {"map null value", DataType::map_of(T(TypeId::varchar), T(TypeId::int_)), R"({"a":null})",
       "null"},
      {"map bad pair", DataType::map_of(T(TypeId::int_), T(TypeId::int_)), "[[1]]", "[key, value]"},
      {"map non-numeric key", DataType::map_of(T(TypeId::int_), T(TypeId::int_)), R"({"x":1})",
       "int"},
      {"tuple arity", DataType::tuple_of({T(TypeId::int_)}), "[1,2]",
       "expected 1 components, got 2"},
      {"udt unknown field", udt("t", {{"a", T(TypeId::int_)}}), R"({"z":1})",
       "unknown field \"z\""},
      {"udt from array", udt("t", {{"a", T(TypeId::int_)}}), "[1]", "ks.t"},
      {"top-level null", T(TypeId::int_), "null", "null"},
  };
  for (const Bad& b : bads) {
    BOOST_TEST_CONTEXT(b.name) {
      Bytes out;
      Status s = encode(b.type, b.json, out);
      BOOST_TEST(s.code == ec(errc::invalid_value), s.message);
      BOOST_TEST(s.message.find(b.message_part) != std::string::npos, s.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(nulls_and_empty_values) {
  json::value v = 1;
  BOOST_TEST(decode_to_json(T(TypeId::int_), std::optional<BytesView>{}, v).ok());
  BOOST_TEST(v.is_null());
  BOOST_TEST(decode_to_json(T(TypeId::int_), std::optional<BytesView>(hex("00000001")), v).ok());
  BOOST_TEST(v == json::value(1));
  // Cassandra's legacy empty value of a non-string type is null; of a string type, "".
  for (TypeId id : {TypeId::int_, TypeId::bigint, TypeId::boolean, TypeId::uuid, TypeId::varint,
                    TypeId::decimal, TypeId::timestamp, TypeId::duration, TypeId::inet,
                    TypeId::list, TypeId::map, TypeId::tuple}) {
    DataType t = T(id);
    if (id == TypeId::list) t = DataType::list_of(T(TypeId::int_));
    if (id == TypeId::map) t = DataType::map_of(T(TypeId::int_), T(TypeId::int_));
    if (id == TypeId::tuple) t = DataType::tuple_of({T(TypeId::int_)});
    BOOST_TEST_CONTEXT(to_cql(t)) {
      v = 1;
      BOOST_TEST(decode_to_json(t, Heap(Bytes{}).view(), v).ok());
      BOOST_TEST(v.is_null());
    }
  }
  BOOST_TEST(decode_to_json(T(TypeId::varchar), Heap(Bytes{}).view(), v).ok());
  BOOST_TEST(v == json::value(""));
  // A null UDT field and a tuple component map to null both ways.
  DataType u = udt("t", {{"a", T(TypeId::int_)}, {"b", T(TypeId::varchar)}});
  BOOST_TEST(decode_to_json(u, Heap(hex("ffffffff")).view(), v).ok());
  BOOST_TEST(json::serialize(v) == R"({"a":null,"b":null})");
  Bytes out;
  BOOST_TEST(encode_from_json(u, v, out).ok());
  BOOST_TEST(to_hex(out) == "ffffffffffffffff");
  // An empty int inside a list is null; inside a tuple too.
  BOOST_TEST(
      decode_to_json(DataType::list_of(T(TypeId::int_)), Heap(hex("00000001 00000000")).view(), v)
          .ok());
  BOOST_TEST(json::serialize(v) == "[null]");
}

BOOST_AUTO_TEST_CASE(map_with_text_keys_is_an_object) {
  DataType t = DataType::map_of(T(TypeId::ascii), DataType::list_of(T(TypeId::boolean)));
  Bytes b =
      hex("00000002 00000001 6b 00000009 00000001 00000001 01"  // k: [true]
          "00000001 6c 00000004 00000000");                     // l: []
  json::value v;
  Status s = decode_to_json(t, Heap(b).view(), v);
  BOOST_TEST_REQUIRE(s.ok(), s.message);
  BOOST_TEST(json::serialize(v) == R"({"k":[true],"l":[]})");
  Bytes out;
  BOOST_TEST(encode_from_json(t, v, out).ok());
  json::value back;
  BOOST_TEST(decode_to_json(t, Heap(out).view(), back).ok());
  BOOST_TEST(back == v);
}

BOOST_AUTO_TEST_CASE(round_trips_through_json) {
  // Boundary values of each type survive value -> JSON -> value unchanged.
  struct RT {
    std::string_view name;
    DataType type;
    std::string_view hex;
  };
  const RT cases[] = {
      {"int min", T(TypeId::int_), "80000000"},
      {"int -1", T(TypeId::int_), "ffffffff"},
      {"int 0", T(TypeId::int_), "00000000"},
      {"int 1", T(TypeId::int_), "00000001"},
      {"int max", T(TypeId::int_), "7fffffff"},
      {"tinyint min", T(TypeId::tinyint), "80"},
      {"tinyint max", T(TypeId::tinyint), "7f"},
      {"smallint -1", T(TypeId::smallint), "ffff"},
      {"varint 2^63", T(TypeId::varint), "008000000000000000"},
      {"varint -2^63-1", T(TypeId::varint), "ff7fffffffffffffff"},
      {"varint -2^63", T(TypeId::varint), "8000000000000000"},
      {"varint 128", T(TypeId::varint), "0080"},
      {"decimal tiny", T(TypeId::decimal), "7fffffff ff"},
      {"decimal huge", T(TypeId::decimal), "80000000 0c9f2c9cd04674edea40000000"},
      {"float smallest subnormal", T(TypeId::float_), "00000001"},
      {"float max", T(TypeId::float_), "7f7fffff"},
      {"double min normal", T(TypeId::double_), "0010000000000000"},
      {"double -0", T(TypeId::double_), "8000000000000000"},
      {"date before 1970", T(TypeId::date), "7ff50557"},
      {"date max", T(TypeId::date), "ffffffff"},
      {"timestamp min", T(TypeId::timestamp), "8000000000000000"},
      {"timestamp -1", T(TypeId::timestamp), "ffffffffffffffff"},
      {"time max", T(TypeId::time), "00004e94914effff"},
      {"duration int64 min nanos", T(TypeId::duration), "0000 ffffffffffffffffff"},
      {"duration int32 min months", T(TypeId::duration), "f0ffffffff 0000"},
      {"duration positive", T(TypeId::duration), "1c06 fc1ac004a5c612"},
      {"inet v4-mapped", T(TypeId::inet), "00000000000000000000ffff01020304"},
      {"inet ::1:0:0:0", T(TypeId::inet), "00000000000000000001000000000000"},
  };
  for (const RT& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      Bytes b = hex(c.hex);
      json::value v;
      Status s = decode_to_json(c.type, Heap(b).view(), v);
      BOOST_TEST_REQUIRE(s.ok(), s.message);
      Bytes out;
      s = encode_from_json(c.type, v, out);
      BOOST_TEST_REQUIRE(s.ok(), s.message);
      BOOST_TEST(to_hex(out) == to_hex(b), json::serialize(v));
      write_value_seed(std::string("round trip ") + std::string(c.name), c.type, b);
    }
  }
}

BOOST_AUTO_TEST_CASE(decode_errors_name_the_type) {
  struct Bad {
    std::string_view name;
    DataType type;
    std::string_view hex;
    errc expected;
  };
  const Bad bads[] = {
      {"6.10 int of 3 bytes", T(TypeId::int_), "000001", errc::incomplete},
      {"6.10 int of 5 bytes", T(TypeId::int_), "0000000100", errc::extra_bytes},
      {"6.2 counter of 4 bytes", T(TypeId::counter), "00000001", errc::incomplete},
      {"6.4 boolean of 2 bytes", T(TypeId::boolean), "0001", errc::extra_bytes},
      {"6.9 inet of 5 bytes", T(TypeId::inet), "0102030405", errc::invalid_value},
      {"6.18 timeuuid v4", T(TypeId::timeuuid), "f47ac10b58cc4372a5670e02b2c3d479",
       errc::invalid_value},
      {"6.16 time negative", T(TypeId::time), "ffffffffffffffff", errc::invalid_value},
      {"6.15 text invalid UTF-8", T(TypeId::varchar), "c0af", errc::invalid_value},
      {"6.1 ascii high byte", T(TypeId::ascii), "80", errc::invalid_value},
      {"6.6 decimal without unscaled", T(TypeId::decimal), "00000001", errc::incomplete},
      {"v5 5.8 duration mixed signs", T(TypeId::duration), "020100", errc::invalid_value},
      {"v5 5.8 duration truncated vint", T(TypeId::duration), "0000c0", errc::incomplete},
      {"unknown type id", T(static_cast<TypeId>(0x000A)), "00", errc::unknown_type},
  };
  for (const Bad& b : bads) {
    BOOST_TEST_CONTEXT(b.name) {
      json::value v;
      Status s = decode_to_json(b.type, Heap(hex(b.hex)).view(), v);
      BOOST_TEST(s.code == ec(b.expected), s.message);
      write_value_seed(b.name, b.type, hex(b.hex));
      if (b.type.id != static_cast<TypeId>(0x000A)) {
        BOOST_TEST(s.message.find(to_cql(b.type)) != std::string::npos, s.message);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
