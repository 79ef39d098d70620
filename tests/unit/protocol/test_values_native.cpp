// Native CQL value types, byte-exact against native_protocol_v4.spec section 6 (duration:
// native_protocol_v5.spec section 5.8 and its [vint] notation in section 3).
#include "values_fixtures.hpp"

#include <boost/test/unit_test.hpp>

#include <bit>
#include <cmath>
#include <limits>
#include <random>
#include <string>
#include <vector>

using namespace nosqlc::protocol;
using namespace values_fixtures;

namespace {

// Runs `decode` on `bytes` one byte short and one byte long (both from exact-size heap
// buffers) and expects incomplete and extra_bytes.
template <typename T, typename Decode>
void check_fixed_size(const Bytes& bytes, Decode decode) {
  T v{};
  Bytes shorter(bytes.begin(), bytes.end() - 1);
  Status s = decode(Heap(shorter).view(), v);
  BOOST_TEST(s.code == ec(errc::incomplete));
  Bytes longer = bytes;
  longer.push_back(0);
  s = decode(Heap(longer).view(), v);
  BOOST_TEST(s.code == ec(errc::extra_bytes));
}

template <typename T, typename Decode, typename Encode>
void check_integer(std::string_view hex_bytes, T value, Decode decode, Encode encode) {
  Bytes bytes = hex(hex_bytes);
  T got{};
  Status s = decode(Heap(bytes).view(), got);
  BOOST_TEST(s.ok(), s.message);
  BOOST_TEST(static_cast<std::int64_t>(got) == static_cast<std::int64_t>(value));
  Bytes out;
  encode(value, out);
  BOOST_TEST(to_hex(out) == to_hex(bytes));
  check_fixed_size<T>(bytes, decode);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(values_native)

BOOST_AUTO_TEST_CASE(integers_byte_exact) {
  struct Case {
    std::string_view name, hex;
    std::int64_t value;
  };
  // 6.19 tinyint: one byte two's complement.
  for (const Case& c : {Case{"tinyint 0", "00", 0}, Case{"tinyint -1", "ff", -1},
                        Case{"tinyint min", "80", INT8_MIN}, Case{"tinyint max", "7f", INT8_MAX},
                        Case{"tinyint 1", "01", 1}}) {
    BOOST_TEST_CONTEXT(c.name) {
      check_integer<std::int8_t>(c.hex, static_cast<std::int8_t>(c.value), decode_tinyint,
                                 encode_tinyint);
    }
  }
  // 6.14 smallint: two bytes.
  for (const Case& c :
       {Case{"smallint 0", "0000", 0}, Case{"smallint -1", "ffff", -1},
        Case{"smallint min", "8000", INT16_MIN}, Case{"smallint max", "7fff", INT16_MAX},
        Case{"smallint 258", "0102", 258}}) {
    BOOST_TEST_CONTEXT(c.name) {
      check_integer<std::int16_t>(c.hex, static_cast<std::int16_t>(c.value), decode_smallint,
                                  encode_smallint);
    }
  }
  // 6.10 int: four bytes.
  for (const Case& c :
       {Case{"int 0", "00000000", 0}, Case{"int -1", "ffffffff", -1},
        Case{"int min", "80000000", INT32_MIN}, Case{"int max", "7fffffff", INT32_MAX},
        Case{"int 1", "00000001", 1}, Case{"int 0x01020304", "01020304", 0x01020304}}) {
    BOOST_TEST_CONTEXT(c.name) {
      check_integer<std::int32_t>(c.hex, static_cast<std::int32_t>(c.value), decode_int,
                                  encode_int);
    }
  }
  // 6.2 bigint (also counter, 6.17 timestamp): eight bytes.
  for (const Case& c :
       {Case{"bigint 0", "0000000000000000", 0}, Case{"bigint -1", "ffffffffffffffff", -1},
        Case{"bigint min", "8000000000000000", INT64_MIN},
        Case{"bigint max", "7fffffffffffffff", INT64_MAX},
        Case{"bigint 1", "0000000000000001", 1}}) {
    BOOST_TEST_CONTEXT(c.name) {
      check_integer<std::int64_t>(c.hex, c.value, decode_bigint, encode_bigint);
      check_integer<std::int64_t>(c.hex, c.value, decode_timestamp, encode_timestamp);
    }
  }
}

BOOST_AUTO_TEST_CASE(integers_round_trip_min_to_max) {
  auto round_trip = [](auto decode, auto encode, auto... values) {
    for (auto v : {values...}) {
      BOOST_TEST_CONTEXT("value " << static_cast<std::int64_t>(v)) {
        Bytes out;
        encode(v, out);
        decltype(v) back{};
        BOOST_TEST(decode(Heap(out).view(), back).ok());
        BOOST_TEST(static_cast<std::int64_t>(back) == static_cast<std::int64_t>(v));
      }
    }
  };
  using L8 = std::numeric_limits<std::int8_t>;
  using L16 = std::numeric_limits<std::int16_t>;
  using L32 = std::numeric_limits<std::int32_t>;
  using L64 = std::numeric_limits<std::int64_t>;
  round_trip(decode_tinyint, encode_tinyint, L8::min(), std::int8_t{-1}, std::int8_t{0},
             std::int8_t{1}, L8::max());
  round_trip(decode_smallint, encode_smallint, L16::min(), std::int16_t{-1}, std::int16_t{0},
             std::int16_t{1}, L16::max());
  round_trip(decode_int, encode_int, L32::min(), -1, 0, 1, L32::max());
  round_trip(decode_bigint, encode_bigint, L64::min(), std::int64_t{-1}, std::int64_t{0},
             std::int64_t{1}, L64::max());
  round_trip(decode_varint, encode_varint, L64::min(), std::int64_t{-1}, std::int64_t{0},
             std::int64_t{1}, L64::max());
  round_trip(decode_timestamp, encode_timestamp, L64::min(), std::int64_t{-1}, std::int64_t{0},
             std::int64_t{1}, L64::max());
  round_trip(decode_date, encode_date, std::uint32_t{0}, std::uint32_t{1}, kDateEpoch - 1,
             kDateEpoch, std::numeric_limits<std::uint32_t>::max());
}

BOOST_AUTO_TEST_CASE(boolean) {
  // 6.4 boolean: 0 is false, any other byte true, true encoded as 1.
  struct Case {
    std::string_view hex;
    bool value;
  };
  for (const Case& c : {Case{"00", false}, Case{"01", true}, Case{"02", true}, Case{"ff", true}}) {
    BOOST_TEST_CONTEXT("boolean " << c.hex) {
      bool v = !c.value;
      BOOST_TEST(decode_boolean(Heap(hex(c.hex)).view(), v).ok());
      BOOST_TEST(v == c.value);
    }
  }
  Bytes out;
  encode_boolean(true, out);
  encode_boolean(false, out);
  BOOST_TEST(to_hex(out) == "0100");
  check_fixed_size<bool>(hex("01"), decode_boolean);
}

BOOST_AUTO_TEST_CASE(floating_point) {
  // 6.8 float: IEEE 754 binary32; 6.7 double: binary64.
  float f = 0;
  BOOST_TEST(decode_float(Heap(hex("3f800000")).view(), f).ok());
  BOOST_TEST(f == 1.0f);
  BOOST_TEST(decode_float(Heap(hex("c0200000")).view(), f).ok());
  BOOST_TEST(f == -2.5f);
  double d = 0;
  BOOST_TEST(decode_double(Heap(hex("c004000000000000")).view(), d).ok());
  BOOST_TEST(d == -2.5);
  BOOST_TEST(decode_double(Heap(hex("7ff0000000000000")).view(), d).ok());
  BOOST_TEST(std::isinf(d));
  Bytes out;
  encode_float(1.0f, out);
  encode_double(0.1, out);
  BOOST_TEST(to_hex(out) == "3f8000003fb999999999999a");
  // A NaN payload survives.
  BOOST_TEST(decode_double(Heap(hex("7ff8000000000123")).view(), d).ok());
  out.clear();
  encode_double(d, out);
  BOOST_TEST(to_hex(out) == "7ff8000000000123");
  check_fixed_size<float>(hex("3f800000"), decode_float);
  check_fixed_size<double>(hex("c004000000000000"), decode_double);
}

BOOST_AUTO_TEST_CASE(text_and_ascii) {
  struct Case {
    std::string_view name, hex;
    bool utf8_ok;
  };
  // 6.15 text: UTF-8 (RFC 3629).
  const Case cases[] = {
      {"empty", "", true},
      {"ascii", "616263", true},
      {"2-byte e acute", "c3a9", true},
      {"3-byte euro", "e282ac", true},
      {"4-byte emoji", "f09f9880", true},
      {"U+10FFFF", "f48fbfbf", true},
      {"lone continuation", "80", false},
      {"overlong 2-byte NUL", "c080", false},
      {"overlong 3-byte", "e08080", false},
      {"overlong 4-byte", "f0808080", false},
      {"surrogate D800", "eda080", false},
      {"past U+10FFFF", "f4908080", false},
      {"truncated 3-byte", "e282", false},
      {"byte ff", "ff", false},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      Bytes b = hex(c.hex);
      Heap heap(b);
      std::string_view v;
      Status s = decode_text(heap, v);
      BOOST_TEST(s.ok() == c.utf8_ok);
      if (c.utf8_ok) {
        BOOST_TEST(v.size() == b.size());
      } else {
        BOOST_TEST(s.code == ec(errc::invalid_value));
        BOOST_TEST(s.message.find("text") != std::string::npos);
      }
      Bytes out;
      std::string_view text(reinterpret_cast<const char*>(b.data()), b.size());
      BOOST_TEST(encode_text(text, out).ok() == c.utf8_ok);
      BOOST_TEST(out.size() == (c.utf8_ok ? b.size() : 0u));
    }
  }
  // 6.1 ascii: bytes 0..127 only.
  std::string_view v;
  Heap ascii(hex("00417f"));
  BOOST_TEST(decode_ascii(ascii, v).ok());
  BOOST_TEST(v == std::string_view("\0A\x7f", 3));
  Status s = decode_ascii(Heap(hex("4180")).view(), v);
  BOOST_TEST(s.code == ec(errc::invalid_value));
  BOOST_TEST(s.message.find("ascii") != std::string::npos);
  Bytes out;
  BOOST_TEST(encode_ascii("\xc3\xa9", out).code == ec(errc::invalid_value));
  BOOST_TEST(encode_ascii("Ab", out).ok());
  BOOST_TEST(to_hex(out) == "4162");
}

BOOST_AUTO_TEST_CASE(varint_fixtures) {
  // 6.23 varint: the spec's own table, then the int64 boundaries.
  struct Case {
    std::string_view name, hex, text;
  };
  const Case cases[] = {
      {"0", "00", "0"},
      {"1", "01", "1"},
      {"127", "7f", "127"},
      {"128", "0080", "128"},
      {"129", "0081", "129"},
      {"-1", "ff", "-1"},
      {"-128", "80", "-128"},
      {"-129", "ff7f", "-129"},
      {"255", "00ff", "255"},
      {"256", "0100", "256"},
      {"-256", "ff00", "-256"},
      {"int64 max", "7fffffffffffffff", "9223372036854775807"},
      {"int64 min", "8000000000000000", "-9223372036854775808"},
      {"2^63", "008000000000000000", "9223372036854775808"},
      {"-2^63-1", "ff7fffffffffffffff", "-9223372036854775809"},
      {"2^64", "010000000000000000", "18446744073709551616"},
      {"-2^64", "ff0000000000000000", "-18446744073709551616"},
      {"10^30", "0c9f2c9cd04674edea40000000", "1000000000000000000000000000000"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("varint " << c.name) {
      Bytes b = hex(c.hex);
      std::string text;
      BOOST_TEST(varint_to_string(Heap(b).view(), text).ok());
      BOOST_TEST(text == c.text);
      Bytes out;
      BOOST_TEST(varint_from_string(c.text, out).ok());
      BOOST_TEST(to_hex(out) == to_hex(b));
      std::int64_t v = 0;
      Status s = decode_varint(Heap(b).view(), v);
      if (b.size() <= 8) {
        BOOST_TEST(s.ok());
        BOOST_TEST(std::to_string(v) == c.text);
        out.clear();
        encode_varint(v, out);
        BOOST_TEST(to_hex(out) == to_hex(b));
      } else {
        BOOST_TEST(s.code == ec(errc::invalid_value));
      }
    }
  }
  // Redundant sign bytes are accepted on decode, as Cassandra's BigInteger does.
  std::int64_t v = 0;
  BOOST_TEST(decode_varint(Heap(hex("000001")).view(), v).ok());
  BOOST_TEST(v == 1);
  BOOST_TEST(decode_varint(Heap(hex("ffffff80")).view(), v).ok());
  BOOST_TEST(v == -128);
  BOOST_TEST(decode_varint(Heap(hex("00000000000000000001")).view(), v).ok());
  BOOST_TEST(v == 1);
  BOOST_TEST(decode_varint(Heap(Bytes{}).view(), v).code == ec(errc::invalid_value));
  std::string text;
  BOOST_TEST(varint_to_string(Heap(hex("ffff7f")).view(), text).ok());
  BOOST_TEST(text == "-129");
  Bytes out;
  for (std::string_view bad : {"", "-", "+", "1.5", "12a", " 1", "0x10"}) {
    BOOST_TEST_CONTEXT("bad varint text \"" << bad << "\"") {
      BOOST_TEST(varint_from_string(bad, out).code == ec(errc::invalid_value));
    }
  }
  BOOST_TEST(varint_from_string("+42", out).ok());
  BOOST_TEST(varint_from_string("-0", out).ok());
  BOOST_TEST(to_hex(out) == "2a00");
  // Too long for a text conversion: refused rather than quadratic.
  Bytes huge(kMaxBigNumberBytes + 1, 0x11);
  BOOST_TEST(varint_to_string(Heap(huge).view(), text).code == ec(errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(varint_text_matches_int64) {
  std::uint64_t x = 0x9E3779B97F4A7C15ull;
  for (int i = 0; i < 2000; ++i) {
    x = x * 6364136223846793005ull + 1442695040888963407ull;
    auto v = static_cast<std::int64_t>(x >> (i % 64));
    if (i % 2) v = -v;
    Bytes b;
    encode_varint(v, b);
    std::string text;
    BOOST_TEST_REQUIRE(varint_to_string(b, text).ok());
    BOOST_TEST_REQUIRE(text == std::to_string(v));
    Bytes back;
    BOOST_TEST_REQUIRE(varint_from_string(text, back).ok());
    BOOST_TEST_REQUIRE(to_hex(back) == to_hex(b));
  }
}

BOOST_AUTO_TEST_CASE(decimal_fixtures) {
  // 6.6 decimal: [int] scale then the varint unscaled value; value = unscaled * 10^-scale.
  struct Case {
    std::string_view name, hex, text;
  };
  const Case cases[] = {
      {"123.45", "00000002 3039", "123.45"},
      {"-0.001", "00000003 ff", "-0.001"},
      {"0", "00000000 00", "0"},
      {"0.00", "00000002 00", "0.00"},
      {"0E+2", "fffffffe 00", "0E+2"},
      {"5E+3", "fffffffd 05", "5E+3"},
      {"1.23E+5", "fffffffd 7b", "1.23E+5"},
      {"0.000001", "00000006 01", "0.000001"},
      {"1E-7", "00000007 01", "1E-7"},
      {"12.3E-7 form", "00000008 7b", "0.00000123"},
      {"-128", "00000000 80", "-128"},
      {"big", "00000001 0c9f2c9cd04674edea40000000", "100000000000000000000000000000.0"},
      {"scale int32 max", "7fffffff 01", "1E-2147483647"},
      {"scale int32 min", "80000000 01", "1E+2147483648"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("decimal " << c.name) {
      Bytes b = hex(c.hex);
      Decimal d;
      BOOST_TEST_REQUIRE(decode_decimal(Heap(b).view(), d).ok());
      std::string text;
      BOOST_TEST(decimal_to_string(d, text).ok());
      BOOST_TEST(text == c.text);
      Decimal parsed;
      BOOST_TEST_REQUIRE(parse_decimal(c.text, parsed).ok());
      BOOST_TEST(parsed.scale == d.scale);
      BOOST_TEST(to_hex(parsed.unscaled) == to_hex(d.unscaled));
      Bytes out;
      BOOST_TEST(encode_decimal(parsed, out).ok());
      BOOST_TEST(to_hex(out) == to_hex(b));
    }
  }
  Decimal d;
  BOOST_TEST(parse_decimal("1.2e5", d).ok());
  BOOST_TEST(d.scale == -4);
  BOOST_TEST(to_hex(d.unscaled) == "0c");
  BOOST_TEST(parse_decimal("+.5", d).ok());
  BOOST_TEST(d.scale == 1);
  BOOST_TEST(parse_decimal("-00012.50", d).ok());
  BOOST_TEST(d.scale == 2);
  BOOST_TEST(to_hex(d.unscaled) == "fb1e");  // -1250
  for (std::string_view bad : {"", "-", ".", "e5", "1e", "1.2.3", "abc", "1e+", "1 ", "0x1",
                               "1e-2147483648", "1e2147483649", "NaN"}) {
    BOOST_TEST_CONTEXT("bad decimal \"" << bad << "\"") {
      BOOST_TEST(parse_decimal(bad, d).code == ec(errc::invalid_value));
    }
  }
  // Four bytes of scale and no unscaled value.
  BOOST_TEST(decode_decimal(Heap(hex("00000001")).view(), d).code == ec(errc::incomplete));
  BOOST_TEST(decode_decimal(Heap(hex("000000")).view(), d).code == ec(errc::incomplete));
}

BOOST_AUTO_TEST_CASE(date_time_timestamp_fixtures) {
  // 6.5 date: unsigned days, 2^31 is 1970-01-01; the spec's examples.
  struct DateCase {
    std::string_view hex, text;
  };
  const DateCase dates[] = {
      {"80000000", "1970-01-01"},  {"00000000", "-5877641-06-23"}, {"ffffffff", "+5881580-07-11"},
      {"7fffffff", "1969-12-31"},  {"80002b08", "2000-02-29"},  // 11016 days
      {"7ffa984d", "1000-02-28"},                               // 1000 is not a leap year
      {"7ff50594", "0000-03-01"},                               // year 0 is 1 BC, a leap year
      {"7ff50557", "-0001-12-31"}, {"802cc0a1", "+10000-01-01"},
  };
  for (const DateCase& c : dates) {
    BOOST_TEST_CONTEXT("date " << c.text) {
      std::uint32_t raw = 0;
      BOOST_TEST_REQUIRE(decode_date(Heap(hex(c.hex)).view(), raw).ok());
      BOOST_TEST(format_date(raw) == c.text);
      std::uint32_t parsed = 0;
      BOOST_TEST(parse_date(c.text, parsed).ok());
      BOOST_TEST(parsed == raw);
    }
  }
  check_fixed_size<std::uint32_t>(hex("80000000"), decode_date);
  std::uint32_t raw = 0;
  for (std::string_view bad :
       {"1970-02-30", "1970-13-01", "1970-00-10", "1970-1-1", "2001-02-29", "1900-02-29",
        "1000-02-29", "-5877641-06-22", "+5881580-07-12", "1970-01-01x", "", "1970/01/01"}) {
    BOOST_TEST_CONTEXT("bad date " << bad) {
      BOOST_TEST(parse_date(bad, raw).code == ec(errc::invalid_value));
    }
  }
  BOOST_TEST(parse_date("2000-02-29", raw).ok());
  BOOST_TEST(parse_date("10000-01-01", raw).ok());  // '+' optional on parse
  BOOST_TEST(format_date(raw) == "+10000-01-01");

  // 6.16 time: nanoseconds since midnight, 0..86399999999999.
  std::int64_t ns = -1;
  BOOST_TEST(decode_time(Heap(hex("0000000000000000")).view(), ns).ok());
  BOOST_TEST(format_time(ns) == "00:00:00.000000000");
  BOOST_TEST(decode_time(Heap(hex("00004e94914effff")).view(), ns).ok());
  BOOST_TEST(ns == kMaxTimeNanos);
  BOOST_TEST(format_time(ns) == "23:59:59.999999999");
  BOOST_TEST(decode_time(Heap(hex("00004e94914f0000")).view(), ns).code == ec(errc::invalid_value));
  BOOST_TEST(decode_time(Heap(hex("ffffffffffffffff")).view(), ns).code == ec(errc::invalid_value));
  Bytes out;
  BOOST_TEST(encode_time(kMaxTimeNanos + 1, out).code == ec(errc::invalid_value));
  BOOST_TEST(encode_time(-1, out).code == ec(errc::invalid_value));
  BOOST_TEST(encode_time(kMaxTimeNanos, out).ok());
  BOOST_TEST(to_hex(out) == "00004e94914effff");
  check_fixed_size<std::int64_t>(hex("0000000000000000"), decode_time);
  BOOST_TEST(parse_time("12:34:56.789", ns).ok());
  BOOST_TEST(ns == 45296789000000);
  BOOST_TEST(parse_time("1:02:03", ns).ok());
  BOOST_TEST(ns == 3723000000000);
  for (std::string_view bad : {"24:00:00", "12:60:00", "12:00:60", "12:00", "12:00:00.",
                               "12:00:00.1234567890", "-1:00:00", ""}) {
    BOOST_TEST_CONTEXT("bad time " << bad) {
      BOOST_TEST(parse_time(bad, ns).code == ec(errc::invalid_value));
    }
  }

  // 6.17 timestamp: milliseconds since the epoch, negative before it.
  struct TsCase {
    std::int64_t ms;
    std::string_view text;
  };
  const TsCase stamps[] = {
      {0, "1970-01-01T00:00:00.000Z"},
      {-1, "1969-12-31T23:59:59.999Z"},
      {1, "1970-01-01T00:00:00.001Z"},
      {951782400000, "2000-02-29T00:00:00.000Z"},
      {-62167219200000, "0000-01-01T00:00:00.000Z"},
      {-62167219200001, "-0001-12-31T23:59:59.999Z"},
      {253402300800000, "+10000-01-01T00:00:00.000Z"},
      {INT64_MAX, "+292278994-08-17T07:12:55.807Z"},
      {INT64_MIN, "-292275055-05-16T16:47:04.192Z"},
  };
  for (const TsCase& c : stamps) {
    BOOST_TEST_CONTEXT("timestamp " << c.text) {
      BOOST_TEST(format_timestamp(c.ms) == c.text);
      std::int64_t back = 0;
      BOOST_TEST(parse_timestamp(c.text, back).ok());
      BOOST_TEST(back == c.ms);
    }
  }
  std::int64_t ms = 0;
  BOOST_TEST(parse_timestamp("2021-03-04 05:06:07Z", ms).ok());
  BOOST_TEST(format_timestamp(ms) == "2021-03-04T05:06:07.000Z");
  BOOST_TEST(parse_timestamp("2021-03-04T05:06:07.5Z", ms).ok());
  BOOST_TEST(format_timestamp(ms) == "2021-03-04T05:06:07.500Z");
  for (std::string_view bad :
       {"+292278994-08-17T07:12:55.808Z", "-292275055-05-16T16:47:04.191Z", "2021-03-04T05:06:07",
        "2021-03-04T05:06:07.1234Z", "2021-03-04", "2021-02-29T00:00:00Z"}) {
    BOOST_TEST_CONTEXT("bad timestamp " << bad) {
      BOOST_TEST(parse_timestamp(bad, ms).code == ec(errc::invalid_value));
    }
  }
}

BOOST_AUTO_TEST_CASE(civil_calendar_is_consistent) {
  // Every day of 1600..2400 and a sample of far days map back and forth, month by month.
  std::int64_t first = days_from_civil({1600, 1, 1});
  std::int64_t last = days_from_civil({2400, 12, 31});
  CivilDate prev = civil_from_days(first - 1);
  for (std::int64_t d = first; d <= last; ++d) {
    CivilDate c = civil_from_days(d);
    BOOST_TEST_REQUIRE(days_from_civil(c) == d);
    bool next_day = c.year == prev.year && c.month == prev.month && c.day == prev.day + 1;
    bool next_month = c.day == 1 && ((c.year == prev.year && c.month == prev.month + 1) ||
                                     (c.year == prev.year + 1 && c.month == 1 && prev.month == 12));
    BOOST_TEST_REQUIRE((next_day || next_month));
    prev = c;
  }
  for (std::int64_t d :
       {std::int64_t{-1'000'000'000'000}, std::int64_t{-106'751'991'168}, std::int64_t{-719'529},
        std::int64_t{106'751'991'167}, std::int64_t{999'999'999'999}}) {
    BOOST_TEST(days_from_civil(civil_from_days(d)) == d);
  }
}

BOOST_AUTO_TEST_CASE(uuid_and_timeuuid) {
  // 6.21 uuid: 16 bytes; 6.18 timeuuid: a version 1 uuid.
  const Bytes v1 = hex("6ba7b8109dad11d180b400c04fd430c8");  // RFC 4122 name space id (v1)
  const Bytes v4 = hex("f47ac10b58cc4372a5670e02b2c3d479");
  Uuid u{};
  BOOST_TEST(decode_uuid(Heap(v4).view(), u).ok());
  BOOST_TEST(format_uuid(u) == "f47ac10b-58cc-4372-a567-0e02b2c3d479");
  BOOST_TEST(decode_timeuuid(Heap(v1).view(), u).ok());
  BOOST_TEST(format_uuid(u) == "6ba7b810-9dad-11d1-80b4-00c04fd430c8");
  Status s = decode_timeuuid(Heap(v4).view(), u);
  BOOST_TEST(s.code == ec(errc::invalid_value));
  BOOST_TEST(s.message.find("timeuuid") != std::string::npos);
  Uuid v4u{};
  std::copy(v4.begin(), v4.end(), v4u.begin());
  Bytes out;
  BOOST_TEST(encode_timeuuid(v4u, out).code == ec(errc::invalid_value));
  encode_uuid(v4u, out);
  BOOST_TEST(to_hex(out) == to_hex(v4));
  check_fixed_size<Uuid>(v4, decode_uuid);
  check_fixed_size<Uuid>(v1, decode_timeuuid);
  BOOST_TEST(parse_uuid("F47AC10B-58CC-4372-A567-0E02B2C3D479", u).ok());
  BOOST_TEST(format_uuid(u) == "f47ac10b-58cc-4372-a567-0e02b2c3d479");
  for (std::string_view bad :
       {"f47ac10b58cc4372a5670e02b2c3d479", "f47ac10b-58cc-4372-a567-0e02b2c3d47",
        "f47ac10b-58cc-4372-a567-0e02b2c3d47g", "{f47ac10b-58cc-4372-a567-0e02b2c3d4}"}) {
    BOOST_TEST_CONTEXT("bad uuid " << bad) {
      BOOST_TEST(parse_uuid(bad, u).code == ec(errc::invalid_value));
    }
  }
}

BOOST_AUTO_TEST_CASE(inet) {
  // 6.9 inet: 4 or 16 bytes.
  struct Case {
    std::string_view hex, text;
  };
  const Case cases[] = {
      {"7f000001", "127.0.0.1"},
      {"00000000", "0.0.0.0"},
      {"ffffffff", "255.255.255.255"},
      {"00000000000000000000000000000001", "::1"},
      {"00000000000000000000000000000000", "::"},
      {"20010db8000000000000000000000001", "2001:db8::1"},
      {"20010db8000000000001000000000001", "2001:db8::1:0:0:1"},     // RFC 5952 4.2.3: first run
      {"20010db8000000010001000100010001", "2001:db8:0:1:1:1:1:1"},  // 4.2.2: no "::" for one
      {"00010000000000000000000000000000", "1::"},
      {"fe800000000000000202b3fffe1e8329", "fe80::202:b3ff:fe1e:8329"},
      {"00000000000000000000ffffc0000201", "::ffff:192.0.2.1"},  // RFC 5952 section 5
      {"20010db8aaaabbbbccccddddeeeeffff", "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("inet " << c.text) {
      Bytes b = hex(c.hex);
      Inet a;
      BOOST_TEST_REQUIRE(decode_inet(Heap(b).view(), a).ok());
      BOOST_TEST(format_inet(a.address) == c.text);
      Inet parsed;
      BOOST_TEST(parse_inet(c.text, parsed).ok());
      BOOST_TEST(to_hex(parsed.address) == c.hex);
      Bytes out;
      BOOST_TEST(encode_inet(parsed, out).ok());
      BOOST_TEST(to_hex(out) == c.hex);
    }
  }
  Inet a;
  for (std::string_view h : {"", "7f", "7f000001ff", "000000000000000000000000000001"}) {
    BOOST_TEST_CONTEXT("inet of " << h.size() / 2 << " bytes") {
      Status s = decode_inet(Heap(hex(h)).view(), a);
      BOOST_TEST(s.code == ec(errc::invalid_value));
      BOOST_TEST(s.message.find("inet") != std::string::npos);
    }
  }
  BOOST_TEST(parse_inet("2001:DB8:0:0:0:0:0:1", a).ok());
  BOOST_TEST(format_inet(a.address) == "2001:db8::1");
  BOOST_TEST(parse_inet("0:0:0:0:0:ffff:1.2.3.4", a).ok());
  BOOST_TEST(format_inet(a.address) == "::ffff:1.2.3.4");
  for (std::string_view bad :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", "1:2:3:4:5:6:7:8:9",
        "1::2::3", ":1::", "1:::2", "::g", "12345::", "1:2:3:4:5:6:7", "1.2.3.4::", "::1.2.3.4.5",
        "fe80::1%eth0", "1:2:3:4:5:6:7::8"}) {
    BOOST_TEST_CONTEXT("bad inet " << bad) {
      BOOST_TEST(parse_inet(bad, a).code == ec(errc::invalid_value));
    }
  }
  Bytes out;
  Inet five;
  five.address = {1, 2, 3, 4, 5};
  BOOST_TEST(encode_inet(five, out).code == ec(errc::invalid_value));
}

BOOST_AUTO_TEST_CASE(duration_fixtures) {
  // v5 spec 5.8 duration: three zig-zag [vint]s (v5 spec section 3): months, days, nanos.
  struct Case {
    std::string_view name, hex;
    Duration value;
    std::string_view text;
  };
  const Case cases[] = {
      {"zero", "000000", {0, 0, 0}, "0s"},
      {"1mo 2d 3ns", "020406", {1, 2, 3}, "1mo2d3ns"},
      {"negative", "010305", {-1, -2, -3}, "-1mo2d3ns"},
      {"64 days (zig-zag 128, two bytes)", "00 8080 00", {0, 64, 0}, "64d"},
      {"one hour", "0000 fc068c61714000", {0, 0, 3'600'000'000'000}, "1h"},
      {"months int32 min", "f0ffffffff 00 00", {INT32_MIN, 0, 0}, "-178956970y8mo"},
      {"months int32 max", "f0fffffffe 00 00", {INT32_MAX, 0, 0}, "178956970y7mo"},
      {"nanos int64 min",
       "0000 ffffffffffffffffff",
       {0, 0, INT64_MIN},
       "-2562047h47m16s854ms775us808ns"},
      {"nanos int64 max",
       "0000 fffffffffffffffffe",
       {0, 0, INT64_MAX},
       "2562047h47m16s854ms775us807ns"},
      {"all units", "1c06 fc1ac004a5c612", {14, 3, 14'706'007'008'009}, "1y2mo3d4h5m6s7ms8us9ns"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT("duration " << c.name) {
      Bytes b = hex(c.hex);
      Duration d;
      BOOST_TEST_REQUIRE(decode_duration(Heap(b).view(), d).ok());
      BOOST_TEST(d.months == c.value.months);
      BOOST_TEST(d.days == c.value.days);
      BOOST_TEST(d.nanoseconds == c.value.nanoseconds);
      Bytes out;
      BOOST_TEST(encode_duration(c.value, out).ok());
      BOOST_TEST(to_hex(out) == to_hex(b));
      BOOST_TEST(format_duration(d) == c.text);
      Duration parsed;
      BOOST_TEST(parse_duration(c.text, parsed).ok());
      BOOST_TEST((parsed == c.value));
      for (std::size_t cut = 0; cut < b.size(); ++cut) {
        BOOST_TEST_CONTEXT("cut at " << cut) {
          BOOST_TEST(decode_duration(Heap(BytesView(b).first(cut)).view(), d).code ==
                     ec(errc::incomplete));
        }
      }
      Bytes longer = b;
      longer.push_back(0);
      BOOST_TEST(decode_duration(Heap(longer).view(), d).code == ec(errc::extra_bytes));
    }
  }
  Duration d;
  // Mixed signs: months +1, days -1.
  Status s = decode_duration(Heap(hex("020100")).view(), d);
  BOOST_TEST(s.code == ec(errc::invalid_value));
  BOOST_TEST(s.message.find("duration") != std::string::npos);
  Bytes out;
  BOOST_TEST(encode_duration({1, 0, -1}, out).code == ec(errc::invalid_value));
  // Months beyond int32: zig-zag 2^32 in a 5-byte vint.
  BOOST_TEST(decode_duration(Heap(hex("f100000000 00 00")).view(), d).code ==
             ec(errc::invalid_value));
  // Text forms.
  BOOST_TEST(parse_duration("1w", d).ok());
  BOOST_TEST((d == Duration{0, 7, 0}));
  BOOST_TEST(parse_duration("2H30M", d).ok());
  BOOST_TEST(d.nanoseconds == 9'000'000'000'000);
  BOOST_TEST(parse_duration("5\xc2\xb5s", d).ok());
  BOOST_TEST(d.nanoseconds == 5000);
  BOOST_TEST(parse_duration("-0s", d).ok());
  BOOST_TEST((d == Duration{}));
  for (std::string_view bad : {"", "-", "1", "h", "1h2d", "1h1h", "1x", "1d-2h", "1.5h", " 1d",
                               "2147483648mo", "9223372036854775808ns", "18446744073709551616ns"}) {
    BOOST_TEST_CONTEXT("bad duration " << bad) {
      BOOST_TEST(parse_duration(bad, d).code == ec(errc::invalid_value));
    }
  }
  BOOST_TEST(parse_duration("-2147483648mo", d).ok());
  BOOST_TEST(d.months == INT32_MIN);
  BOOST_TEST(parse_duration("-9223372036854775808ns", d).ok());
  BOOST_TEST(d.nanoseconds == INT64_MIN);
}

BOOST_AUTO_TEST_CASE(blob_text) {
  // 6.3 blob: any bytes.
  BOOST_TEST(format_blob(hex("")) == "0x");
  BOOST_TEST(format_blob(hex("00ff10ab")) == "0x00ff10ab");
  Bytes out;
  BOOST_TEST(parse_blob("0X00FF10aB", out).ok());
  BOOST_TEST(to_hex(out) == "00ff10ab");
  for (std::string_view bad : {"", "0", "00ff", "0x0", "0xgg", "x00"}) {
    BOOST_TEST_CONTEXT("bad blob " << bad) {
      BOOST_TEST(parse_blob(bad, out).code == ec(errc::invalid_value));
    }
  }
}

// The validator reads ASCII eight bytes at a time: random strings, with multi-byte and broken
// sequences at every offset around those words, agree with a byte-by-byte reference.
BOOST_AUTO_TEST_CASE(text_utf8_check_agrees_with_a_byte_by_byte_reference) {
  auto reference = [](const std::string& s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    std::size_t i = 0, n = s.size();
    while (i < n) {
      unsigned c = p[i], len = 0;
      unsigned lo = 0x80, hi = 0xBF;
      if (c < 0x80) {
        len = 1;
      } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2;
      } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3;
        if (c == 0xE0) lo = 0xA0;
        if (c == 0xED) hi = 0x9F;
      } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4;
        if (c == 0xF0) lo = 0x90;
        if (c == 0xF4) hi = 0x8F;
      } else {
        return false;
      }
      if (n - i < len) return false;
      for (unsigned k = 1; k < len; ++k) {
        unsigned b = p[i + k];
        unsigned l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (b < l || b > h) return false;
      }
      i += len;
    }
    return true;
  };
  const std::vector<std::string> pieces = {
      "a",      "abcdefgh", "\x7f",         "\xc3\xa9",         "\xe2\x82\xac", "\xf0\x9f\x98\x80",
      "\xc3",   "\x80",     "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",     "\xff",
      "0123456"};
  std::mt19937 rng(12345);
  for (int round = 0; round < 20000; ++round) {
    std::string s;
    const int parts = static_cast<int>(rng() % 8);
    for (int k = 0; k < parts; ++k)
      s += pieces[rng() % pieces.size()];
    std::string_view out;
    const BytesView in(reinterpret_cast<const std::uint8_t*>(s.data()), s.size());
    BOOST_TEST_CONTEXT("round " << round) {
      BOOST_TEST(decode_text(in, out).ok() == reference(s));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
