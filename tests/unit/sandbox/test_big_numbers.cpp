// BigInt and BigDec: varint/decimal bytes, Java's BigInteger and BigDecimal results (values
// and scales), HALF_EVEN ties, correctly rounded doubles, and the bounds on hostile operands.
#include "exec/big_numbers.hpp"

#include "nosqlc/protocol/values.hpp"

#include <boost/test/unit_test.hpp>

#include <cmath>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>

namespace protocol = nosqlc::protocol;
using nosqlc::sandbox::detail::BigDec;
using nosqlc::sandbox::detail::BigInt;

namespace {

__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

BigInt big(std::string_view digits) {
  protocol::Bytes b;
  BOOST_REQUIRE(protocol::varint_from_string(digits, b).ok());
  return BigInt::from_varint(b);
}

BigDec dec(std::string_view s) {
  return BigDec::from_string(s);
}

// BigDecimal.toString() of a op b.
std::string div128(std::string_view a, std::string_view b) {
  return BigDec::divide_decimal128(dec(a), dec(b)).to_string();
}
std::string div_same(std::string_view a, std::string_view b) {
  return BigDec::divide_half_even_same_scale(dec(a), dec(b)).to_string();
}
std::string rem(std::string_view a, std::string_view b) {
  return BigDec::remainder(dec(a), dec(b)).to_string();
}

std::string int128_string(Int128 v) {
  if (v == 0) return "0";
  bool negative = v < 0;
  UInt128 m = negative ? -static_cast<UInt128>(v) : static_cast<UInt128>(v);
  std::string s;
  while (m) {
    s.insert(s.begin(), static_cast<char>('0' + static_cast<int>(m % 10)));
    m /= 10;
  }
  return negative ? "-" + s : s;
}

std::string pow_string(char digit, std::size_t count) {
  return std::string(count, digit);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox_big_numbers)

BOOST_AUTO_TEST_CASE(varint_bytes_round_trip_in_minimal_form) {
  using B = protocol::Bytes;
  BOOST_TEST((BigInt().to_varint() == B{0x00}));
  BOOST_TEST((BigInt::of(127).to_varint() == B{0x7F}));
  BOOST_TEST((BigInt::of(128).to_varint() == B{0x00, 0x80}));
  BOOST_TEST((BigInt::of(-128).to_varint() == B{0x80}));
  BOOST_TEST((BigInt::of(-129).to_varint() == B{0xFF, 0x7F}));
  BOOST_TEST((BigInt::of(-256).to_varint() == B{0xFF, 0x00}));
  BOOST_TEST((BigInt::of(-32768).to_varint() == B{0x80, 0x00}));
  BOOST_TEST((BigInt::of(-1).to_varint() == B{0xFF}));
  BOOST_TEST((BigInt::of(INT64_MIN).to_varint() == B{0x80, 0, 0, 0, 0, 0, 0, 0}));
  // Redundant sign bytes are accepted and dropped.
  BOOST_TEST((BigInt::from_varint(B{0xFF, 0xFF, 0x80}).to_varint() == B{0x80}));
  BOOST_TEST((BigInt::from_varint(B{0x00, 0x00, 0x01}).to_varint() == B{0x01}));
  BOOST_TEST(BigInt::from_varint(B{0xFF, 0xFF, 0x80}).long_value() == -128);
  B two64{0x01, 0, 0, 0, 0, 0, 0, 0, 0};
  BOOST_TEST(BigInt::from_varint(two64).to_string() == "18446744073709551616");
  BOOST_TEST((big("-18446744073709551616").to_varint() == B{0xFF, 0, 0, 0, 0, 0, 0, 0, 0}));
  BOOST_TEST((big("9223372036854775808").to_varint() == B{0x00, 0x80, 0, 0, 0, 0, 0, 0, 0}));
  BOOST_CHECK_THROW(BigInt::from_varint(B{}), std::invalid_argument);
  // Random round trips through bytes and text.
  std::mt19937_64 rng(7);
  for (int i = 0; i < 300; ++i) {
    B bytes(1 + rng() % 40);
    for (auto& x : bytes)
      x = static_cast<std::uint8_t>(rng());
    BigInt v = BigInt::from_varint(bytes);
    BOOST_TEST((BigInt::from_varint(v.to_varint()) == v));
    BOOST_TEST((big(v.to_string()) == v));
    std::string text;
    BOOST_REQUIRE(protocol::varint_to_string(bytes, text).ok());
    BOOST_TEST(v.to_string() == text);
  }
}

BOOST_AUTO_TEST_CASE(integer_arithmetic_matches_128_bit_and_carries_across_limbs) {
  BOOST_TEST((big("18446744073709551615") + BigInt::of(1)).to_string() == "18446744073709551616");
  BOOST_TEST((big("18446744073709551616") - BigInt::of(1)).to_string() == "18446744073709551615");
  BOOST_TEST((BigInt::of(5) - big("18446744073709551616")).to_string() == "-18446744073709551611");
  BOOST_TEST((big("99999999999999999999") * big("99999999999999999999")).to_string() ==
             "9999999999999999999800000000000000000001");
  BOOST_TEST((big("-4294967296") * big("4294967296")).to_string() == "-18446744073709551616");
  BOOST_TEST((-BigInt::of(0)).sign() == 0);
  BOOST_TEST(((BigInt::of(3) - BigInt::of(3)).to_varint() == protocol::Bytes{0x00}));
  std::mt19937_64 rng(11);
  for (int i = 0; i < 2000; ++i) {
    auto x = static_cast<std::int64_t>(rng()) >> (rng() % 64);
    auto y = static_cast<std::int64_t>(rng()) >> (rng() % 64);
    BigInt a = BigInt::of(x), b = BigInt::of(y);
    BOOST_TEST((a + b).to_string() == int128_string(Int128{x} + y));
    BOOST_TEST((a - b).to_string() == int128_string(Int128{x} - y));
    BOOST_TEST((a * b).to_string() == int128_string(Int128{x} * y));
    BOOST_TEST(a.compare(b) == (x < y ? -1 : x > y ? 1 : 0));
    if (y != 0) {
      BOOST_TEST(BigInt::divide(a, b).to_string() == int128_string(Int128{x} / y));
      BOOST_TEST(BigInt::remainder(a, b).to_string() == int128_string(Int128{x} % y));
    }
  }
}

BOOST_AUTO_TEST_CASE(integer_division_truncates_toward_zero) {
  BOOST_TEST(BigInt::divide(BigInt::of(-7), BigInt::of(2)).long_value() == -3);
  BOOST_TEST(BigInt::remainder(BigInt::of(-7), BigInt::of(2)).long_value() == -1);
  BOOST_TEST(BigInt::divide(BigInt::of(7), BigInt::of(-2)).long_value() == -3);
  BOOST_TEST(BigInt::remainder(BigInt::of(7), BigInt::of(-2)).long_value() == 1);
  BigInt ten40 = big("1" + std::string(40, '0'));
  BOOST_TEST(BigInt::divide(ten40, BigInt::of(3)).to_string() == pow_string('3', 40));
  BOOST_TEST(BigInt::remainder(ten40, BigInt::of(3)).to_string() == "1");
  BOOST_TEST(BigInt::divide(ten40 + BigInt::of(7), big("100000000000000000000")).to_string() ==
             "100000000000000000000");
  // Knuth D's rare add-back step: 0x80000000_00000000_00000003 / 0x20000000_00000000_00000001.
  BigInt u = BigInt::from_varint(protocol::Bytes{0x00, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3});
  BigInt v = BigInt::from_varint(protocol::Bytes{0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1});
  BOOST_TEST(BigInt::divide(u, v).to_string() == "3");
  BOOST_TEST((BigInt::remainder(u, v).to_varint() ==
              protocol::Bytes{0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));
  // Multi-limb operands: a == q * b + r with |r| < |b| and r of a's sign.
  std::mt19937_64 rng(3);
  for (int i = 0; i < 300; ++i) {
    protocol::Bytes ab(1 + rng() % 48), bb(1 + rng() % 24);
    for (auto& x : ab)
      x = static_cast<std::uint8_t>(rng());
    for (auto& x : bb)
      x = static_cast<std::uint8_t>(rng() % 4 ? rng() : 0);  // runs of zero limbs too
    BigInt a = BigInt::from_varint(ab), b = BigInt::from_varint(bb);
    if (b.sign() == 0) continue;
    BigInt q = BigInt::divide(a, b), r = BigInt::remainder(a, b);
    BOOST_TEST((q * b + r == a));
    BOOST_TEST(r.bit_length() <= b.bit_length());
    BOOST_TEST((r.sign() == 0 || r.sign() == a.sign()));
    BigInt abs_r = r.sign() < 0 ? -r : r, abs_b = b.sign() < 0 ? -b : b;
    BOOST_TEST(abs_r.compare(abs_b) < 0);
  }
  try {
    BigInt::divide(BigInt::of(1), BigInt());
    BOOST_FAIL("no throw");
  } catch (const std::domain_error& e) {
    BOOST_TEST(std::string(e.what()) == "BigInteger divide by zero");
  }
  BOOST_CHECK_THROW(BigInt::remainder(BigInt::of(1), BigInt()), std::domain_error);
}

BOOST_AUTO_TEST_CASE(integer_long_and_double_values) {
  BOOST_TEST(big("18446744073709551621").long_value() == 5);
  BOOST_TEST(big("-18446744073709551617").long_value() == -1);
  BOOST_TEST(big("9223372036854775808").long_value() == INT64_MIN);
  BOOST_TEST(BigInt::of(INT64_MIN).long_value() == INT64_MIN);
  // 2^53 + 1 is a tie between 2^53 and 2^53 + 2: even wins; 2^53 + 3 goes up.
  BOOST_TEST(big("9007199254740993").double_value() == 9007199254740992.0);
  BOOST_TEST(big("9007199254740995").double_value() == 9007199254740996.0);
  // 2^100 + 2^47 is half an ulp above 2^100 (ties to even); a bit more goes up.
  BigInt two100 = big("1267650600228229401496703205376");
  BigInt two47 = BigInt::of(std::int64_t{1} << 47);
  BOOST_TEST((two100 + two47).double_value() == std::ldexp(1.0, 100));
  BOOST_TEST((two100 + two47 + BigInt::of(1)).double_value() ==
             std::ldexp(1.0, 100) + std::ldexp(1.0, 48));
  BOOST_TEST((-(two100 + two47 + BigInt::of(1))).double_value() ==
             -(std::ldexp(1.0, 100) + std::ldexp(1.0, 48)));
  BOOST_TEST(BigInt::of(-12345).double_value() == -12345.0);
  // 2^1024 - 2^970 is halfway between DBL_MAX and 2^1024: rounds to even, i.e. infinity.
  BigInt two1024 = BigInt::from_varint([] {
    protocol::Bytes b(129, 0);
    b[0] = 0x01;
    return b;
  }());
  BigInt two970 = BigInt::from_varint([] {
    protocol::Bytes b(122, 0);
    b[0] = 0x04;
    return b;
  }());
  BOOST_TEST((two1024 - two970 - two970).double_value() == std::numeric_limits<double>::max());
  BOOST_TEST(std::isinf((two1024 - two970).double_value()));
  BOOST_TEST((-two1024).double_value() == -std::numeric_limits<double>::infinity());
}

BOOST_AUTO_TEST_CASE(decimal_bytes_and_text) {
  using B = protocol::Bytes;
  BOOST_TEST((dec("1.5").to_decimal() == B{0, 0, 0, 1, 0x0F}));
  BOOST_TEST((dec("-2E+3").to_decimal() == B{0xFF, 0xFF, 0xFF, 0xFD, 0xFE}));
  BOOST_TEST(BigDec::from_decimal(B{0, 0, 0, 2, 0x00, 0x96}).to_string() == "1.50");
  BOOST_TEST(BigDec::from_decimal(B{0xFF, 0xFF, 0xFF, 0xFD, 0xFE}).to_string() == "-2E+3");
  BOOST_TEST(dec("1e-7").to_string() == "1E-7");
  BOOST_TEST(dec("0.000001").to_string() == "0.000001");
  BOOST_TEST(dec("0.0000001").to_string() == "1E-7");
  BOOST_TEST(dec("1.50").scale() == 2);
  BOOST_TEST(dec("+.5").to_string() == "0.5");
  BOOST_CHECK_THROW(dec("1.2.3"), std::invalid_argument);
  BOOST_CHECK_THROW(dec("1e"), std::invalid_argument);
  BOOST_CHECK_THROW(dec(""), std::invalid_argument);
  BOOST_CHECK_THROW(BigDec::from_decimal(B{0, 0, 0, 1}), std::invalid_argument);
}

BOOST_AUTO_TEST_CASE(decimal_add_subtract_multiply_keep_java_scales) {
  BOOST_TEST((dec("1.5") + dec("2.25")).to_string() == "3.75");
  BOOST_TEST((dec("1E+2") + dec("1")).to_string() == "101");
  BOOST_TEST((dec("1E+3") + dec("1E+1")).to_string() == "1.01E+3");
  BOOST_TEST((dec("0.1") + dec("-0.10")).to_string() == "0.00");
  BOOST_TEST((dec("1") - dec("0.001")).to_string() == "0.999");
  BOOST_TEST((dec("-0.5") - dec("0.5")).to_string() == "-1.0");
  BOOST_TEST((dec("18446744073709551615") + dec("0.1")).to_string() == "18446744073709551615.1");
  BOOST_TEST((dec("1.5") * dec("2.0")).to_string() == "3.00");
  BOOST_TEST((dec("1E+2") * dec("1E+3")).to_string() == "1E+5");
  BOOST_TEST((dec("-0.1") * dec("0.1")).to_string() == "-0.01");
  BOOST_TEST((-dec("1.50")).to_string() == "-1.50");
  // A product's scale outside int32: Java's checkScale on the multiplier.
  BigDec tiny = BigDec::of(BigInt::of(1), INT32_MAX);
  try {
    (void)(tiny * tiny);
    BOOST_FAIL("no throw");
  } catch (const std::domain_error& e) {
    BOOST_TEST(std::string(e.what()) == "Underflow");
  }
  BOOST_TEST((BigDec::of(BigInt(), INT32_MAX) * tiny).scale() == INT32_MAX);
  BOOST_TEST(dec("1.0").compare(dec("1")) == 0);
  BOOST_TEST(dec("-2").compare(dec("1E-9")) == -1);
  BOOST_TEST(dec("1E+10").compare(dec("999999999")) == 1);
  BOOST_TEST(!(dec("1.0") == dec("1")));
}

BOOST_AUTO_TEST_CASE(decimal128_division_rounds_and_prefers_scales_as_java) {
  const std::string third = "0." + pow_string('3', 34);
  BOOST_TEST(div128("1", "3") == third);
  BOOST_TEST(div128("1.00", "3") == third);
  BOOST_TEST(div128("-1", "3") == "-" + third);
  BOOST_TEST(div128("2", "3") == "0." + pow_string('6', 33) + "7");
  BOOST_TEST(div128("10", "4") == "2.5");
  BOOST_TEST(div128("6", "2") == "3");
  BOOST_TEST(div128("100", "1E+2") == "1.00");
  BOOST_TEST(div128("2.50", "0.5") == "5.0");
  BOOST_TEST(div128("1", "32") == "0.03125");
  BOOST_TEST(div128("19", "100") == "0.19");
  BOOST_TEST(div128("1", "-8") == "-0.125");
  BOOST_TEST(div128("100", "1") == "100");
  BOOST_TEST(div128("1", "1") == "1");
  BOOST_TEST(div128("0", "5") == "0");
  BOOST_TEST(div128("0.00", "5") == "0.00");
  BOOST_TEST(div128("0", "0.5") == "0E+1");
  // More than 34 digits: rounded HALF_EVEN, the scale whatever that gives.
  BOOST_TEST(div128("1" + std::string(40, '0'), "1") == "1." + std::string(33, '0') + "E+40");
  BOOST_TEST(div128("1" + std::string(33, '0') + "5", "1") == "1." + std::string(33, '0') + "E+34");
  BOOST_TEST(div128("1" + std::string(32, '0') + "15", "1") ==
             "1." + std::string(32, '0') + "2E+34");
  BOOST_TEST(div128(pow_string('9', 34) + "5", "1") == "1." + std::string(33, '0') + "E+35");
  BOOST_TEST(div128(pow_string('9', 34) + "4", "1") == "9." + pow_string('9', 33) + "E+34");
  BOOST_TEST(div128("1E+1000000", "3") == "3." + pow_string('3', 33) + "E+999999");
  BOOST_TEST(div128("12345678901234567890123456789012345678901234567890", "0.0000000001") ==
             "1.234567890123456789012345678901235E+59");
  try {
    (void)div128("1", "0");
    BOOST_FAIL("no throw");
  } catch (const std::domain_error& e) {
    BOOST_TEST(std::string(e.what()) == "Division by zero");
  }
  try {
    (void)div128("0.0", "0");
    BOOST_FAIL("no throw");
  } catch (const std::domain_error& e) {
    BOOST_TEST(std::string(e.what()) == "Division undefined");
  }
}

BOOST_AUTO_TEST_CASE(same_scale_division_is_avg) {
  BOOST_TEST(div_same("10", "4") == "2");  // 2.5 ties to even
  BOOST_TEST(div_same("14", "4") == "4");  // 3.5 ties to even
  BOOST_TEST(div_same("-10", "4") == "-2");
  BOOST_TEST(div_same("11", "4") == "3");
  BOOST_TEST(div_same("1.25", "2") == "0.62");
  BOOST_TEST(div_same("1.35", "2") == "0.68");
  BOOST_TEST(div_same("7.0", "3") == "2.3");
  BOOST_TEST(div_same("1", "0.5") == "2");
  BOOST_TEST(div_same("1E+1", "3") == "0E+1");
  BOOST_TEST(div_same("0.000", "7") == "0.000");
  BOOST_CHECK_THROW(div_same("1", "0"), std::domain_error);
}

BOOST_AUTO_TEST_CASE(decimal_remainder_as_java) {
  BOOST_TEST(rem("-7", "3") == "-1");
  BOOST_TEST(rem("7.5", "2") == "1.5");
  BOOST_TEST(rem("-7.5", "2") == "-1.5");
  BOOST_TEST(rem("7.5", "-2") == "1.5");
  BOOST_TEST(rem("7", "2.5") == "2.0");
  BOOST_TEST(rem("1", "3") == "1");
  BOOST_TEST(rem("0.5", "0.3") == "0.2");
  BOOST_TEST(rem("1E+2", "7") == "2");
  BOOST_TEST(rem("1E+3", "1") == "0E+3");
  BOOST_TEST(rem("6", "3") == "0");
  BOOST_TEST(rem("1E-1000000", "7") == "1E-1000000");
  BOOST_TEST(rem("0.00", "7") == "0.00");
  BOOST_CHECK_THROW(rem("1", "0"), std::domain_error);
  try {
    (void)rem("0", "0.0");
    BOOST_FAIL("no throw");
  } catch (const std::domain_error& e) {
    BOOST_TEST(std::string(e.what()) == "Division undefined");
  }
}

BOOST_AUTO_TEST_CASE(decimal_long_and_double_values) {
  BOOST_TEST(dec("12.9").long_value() == 12);
  BOOST_TEST(dec("-12.9").long_value() == -12);
  BOOST_TEST(dec("1E+20").long_value() == 7766279631452241920);
  BOOST_TEST(dec("-1E+20").long_value() == -7766279631452241920);
  BOOST_TEST(dec("1E+64").long_value() == 0);
  BOOST_TEST(dec("1E-5").long_value() == 0);
  BOOST_TEST(dec("123456789012345678901234.5").long_value() == -7269072992350064654);
  BOOST_TEST(dec("0.1").double_value() == 0.1);
  BOOST_TEST(dec("123.456").double_value() == 123.456);
  BOOST_TEST(dec("-2E+3").double_value() == -2000.0);
  BOOST_TEST(std::isinf(dec("1E+400").double_value()));
  double negative_zero = dec("-1E-400").double_value();
  BOOST_TEST((negative_zero == 0.0 && std::signbit(negative_zero)));
  BOOST_TEST(dec("9007199254740993").double_value() == 9007199254740992.0);
}

BOOST_AUTO_TEST_CASE(rounding_scaled_division_and_stripping) {
  using nosqlc::sandbox::detail::Rounding;
  BOOST_TEST(dec("2.5").round(1, Rounding::half_up).to_string() == "3");
  BOOST_TEST(dec("2.5").round(1, Rounding::half_even).to_string() == "2");
  BOOST_TEST(dec("-2.5").round(1, Rounding::half_up).to_string() == "-3");
  BOOST_TEST(dec("1.25").round(2, Rounding::half_even).to_string() == "1.2");
  BOOST_TEST(dec("1.35").round(2, Rounding::half_even).to_string() == "1.4");
  BOOST_TEST(dec("1.29").round(2, Rounding::down).to_string() == "1.2");
  BOOST_TEST(dec("9999800001").round(3, Rounding::half_up).to_string() == "1.00E+10");
  BOOST_TEST(dec("123.45").round(0, Rounding::half_up).to_string() == "123.45");
  BOOST_TEST(dec("1.500").strip_trailing_zeros().to_string() == "1.5");
  BOOST_TEST(dec("100").strip_trailing_zeros().to_string() == "1E+2");
  BOOST_TEST(dec("0.000").strip_trailing_zeros().to_string() == "0");
  BOOST_TEST(dec("0").precision() == 1);
  BOOST_TEST(dec("-123.45").precision() == 5);
  auto div = [](std::string_view a, std::string_view b, std::int32_t scale, Rounding mode) {
    return BigDec::divide_to_scale(dec(a), dec(b), scale, mode).to_string();
  };
  BOOST_TEST(div("1", "3", 5, Rounding::half_up) == "0.33333");
  BOOST_TEST(div("2", "3", 2, Rounding::half_up) == "0.67");
  BOOST_TEST(div("5", "2", 0, Rounding::half_up) == "3");
  BOOST_TEST(div("5", "2", 0, Rounding::half_even) == "2");
  BOOST_TEST(div("-5", "2", 0, Rounding::half_up) == "-3");
  BOOST_TEST(div("1E+3", "7", -1, Rounding::half_up) == "1.4E+2");
  BOOST_TEST(div("7", "0.02", 1, Rounding::down) == "350.0");
}

// Cassandra 4.0's decimal operators (CASSANDRA-15232), with the results Cassandra returns.
BOOST_AUTO_TEST_CASE(cassandra_decimal_operators) {
  auto div = [](std::string_view a, std::string_view b) {
    return BigDec::divide_cassandra(dec(a), dec(b)).to_string();
  };
  BOOST_TEST(div("1", "3") == "0." + pow_string('3', 32));
  BOOST_TEST(div("1", "6") == "0.1" + pow_string('6', 30) + "7");
  BOOST_TEST(div("1", "30") == "0.0" + pow_string('3', 32));
  BOOST_TEST(div("10", "3") == "3." + pow_string('3', 32));
  BOOST_TEST(div("1." + std::string(40, '0'), "3") == "0." + pow_string('3', 40));
  BOOST_TEST(div("1." + std::string(1001, '0'), "3") == "0." + pow_string('3', 1000));
  BOOST_TEST(div("1", "4") == "0.25");
  BOOST_TEST(div("100", "1") == "1E+2");
  BOOST_TEST(div("0", "5") == "0");
  BOOST_TEST(div("-1", "8") == "-0.125");
  constexpr std::int32_t p = nosqlc::sandbox::detail::kCassandraDecimalPrecision;
  const std::string e10000 = "1E+10000";
  // 1E+9999 + 1 has 10,000 digits: exact. 1E+10000 + 1 has 10,001: rounded HALF_UP.
  BigDec exact = BigDec::add_rounded(dec("1E+9999"), dec("1"), p);
  BOOST_TEST(exact.precision() == 10'000);
  BOOST_TEST(exact.scale() == 0);
  BigDec rounded = BigDec::add_rounded(dec(e10000), dec("1"), p);
  BOOST_TEST(rounded.compare(dec(e10000)) == 0);
  BOOST_TEST(rounded.precision() == 10'000);
  BigDec up = BigDec::add_rounded(dec(e10000), dec("5"), p);
  BOOST_TEST((up - dec(e10000)).compare(dec("10")) == 0);
  BigDec down = BigDec::subtract_rounded(dec("-" + e10000), dec("5"), p);
  BOOST_TEST((down + dec(e10000)).compare(dec("-10")) == 0);
  // preAlign: a distant operand is a sticky digit, not a 500,000,000-digit rescale.
  BigDec far = BigDec::add_rounded(dec("1E+500000000"), dec("1"), p);
  BOOST_TEST(far.compare(dec("1E+500000000")) == 0);
  BOOST_TEST(far.precision() == 10'000);
  BOOST_TEST(BigDec::add_rounded(dec("1.5"), dec("2.25"), p).to_string() == "3.75");
  BOOST_TEST(BigDec::add_rounded(dec("0.000"), dec("1"), p).to_string() == "1.000");
  BOOST_TEST(BigDec::add_rounded(dec("0"), dec("0.00"), p).to_string() == "0.00");
  BOOST_TEST(BigDec::subtract_rounded(dec("1"), dec("0.001"), p).to_string() == "0.999");
  BOOST_TEST(BigDec::multiply_rounded(dec("1.5"), dec("2.0"), p).to_string() == "3.00");
  BOOST_TEST(BigDec::multiply_rounded(dec("99999"), dec("99999"), 5).to_string() == "9.9998E+9");
  BOOST_TEST(BigDec::multiply_rounded(dec("99999"), dec("99999"), 3).to_string() == "1.00E+10");
  BOOST_TEST(rem("1E+35", "3") == "1");
  BOOST_TEST(rem("1.7", "0.5") == "0.2");
  BOOST_TEST(rem("7", "-3") == "1");
}

// Rows printed by a JVM (OpenJDK 17 BigDecimal; Cassandra's divide rule in Java): operands and
// results as "unscaled scale"; add12/mul12 use new MathContext(12) (HALF_UP).
BOOST_AUTO_TEST_CASE(results_printed_by_a_jvm) {
  struct Row {
    const char* op;
    const char* a;
    const char* b;
    const char* expected;
  };
  static const Row rows[] = {
      {"div128", "99999999999999999999999999999999999 -22", "3 20",
       "3333333333333333333333333333333333 -43"},
      {"div128", "1000000000000000000000000000000000000000 -19", "1 1",
       "1000000000000000000000000000000000 -26"},
      {"div128", "125 -21", "4 15", "3125 -34"},
      {"div128", "8 -14", "8 14", "1 -28"},
      {"rem", "125 24", "-3 29", "2 29"},
      {"rem", "1000000000000000000000000000000000000000 -3", "7 -20", "400000000000000000 -3"},
      {"rem", "10 -2", "3 1", "1 1"},
      {"rem", "100 -16", "-3 25", "1 25"},
      {"rem", "125 -29", "7 -20", "1 -20"},
      {"rem", "100 -8", "3 -9", "10 -8"},
      {"cass", "-1000 -24", "-1000 -21", "1 -3"},
      {"cass", "7 13", "8 19", "875 -3"},
      {"cass", "-5 11", "4 14", "-125 -1"},
      {"cass", "8 -13", "10 -4", "8 -8"},
      {"add12", "-1000 -14", "5 -7", "-9999999995 -7"},
      {"add12", "1000000000000000000000000000000000000000 18", "100 -30", "100000000001 -21"},
      {"add12", "1000000000000000000000000000000000000000 -18", "35 5", "100000000000 -46"},
      {"add12", "99999999999999999999999999999999999 -19", "8 15", "100000000000 -43"},
      {"mul12", "4 -27", "-1000 1", "-4000 -26"},
      {"mul12", "-5 4", "-1 -11", "5 -7"},
      {"divhe", "3 -27", "25 17", "12000000000000000 -27"},
      {"divhe", "-1000 -3", "125 3", "-8000 -3"},
  };
  auto parse = [](std::string_view text) {
    std::size_t space = text.find(' ');
    return BigDec::of(big(text.substr(0, space)), std::stoi(std::string(text.substr(space + 1))));
  };
  for (const Row& row : rows) {
    BigDec a = parse(row.a), b = parse(row.b), r;
    std::string op = row.op;
    if (op == "div128") r = BigDec::divide_decimal128(a, b);
    if (op == "rem") r = BigDec::remainder(a, b);
    if (op == "cass") r = BigDec::divide_cassandra(a, b);
    if (op == "add12") r = BigDec::add_rounded(a, b, 12);
    if (op == "mul12") r = BigDec::multiply_rounded(a, b, 12);
    if (op == "divhe") r = BigDec::divide_half_even_same_scale(a, b);
    BOOST_TEST(r.unscaled().to_string() + " " + std::to_string(r.scale()) == row.expected,
               row.op << "(" << row.a << ", " << row.b << ")");
  }
}

BOOST_AUTO_TEST_CASE(hostile_operands_are_refused) {
  BigInt huge = big("1" + std::string(25'000, '0'));
  BOOST_CHECK_THROW(huge * BigInt::of(2), std::length_error);
  BOOST_CHECK_THROW(huge + BigInt::of(2), std::length_error);
  BOOST_CHECK_THROW(BigInt::divide(huge, BigInt::of(2)), std::length_error);
  BOOST_TEST(huge.long_value() == 0);  // linear conversions take any size
  BigInt too_long = BigInt::from_varint(protocol::Bytes(20'000, 0x7F));
  BOOST_TEST(too_long.to_varint().size() == 20'000u);
  BOOST_CHECK_THROW(too_long.to_string(), std::length_error);  // the text helpers' bound
  BOOST_CHECK_THROW(BigDec::of(too_long, 0).to_string(), std::length_error);
  BigDec beyond = BigDec::of(BigInt::from_varint(protocol::Bytes(60'000, 0x7F)), 1);
  BOOST_CHECK_THROW(beyond.precision(), std::length_error);  // past kMaxConvertBits
  BOOST_CHECK_THROW(beyond.double_value(), std::length_error);
  BigInt large = big(std::string(15'000, '9'));
  BigInt product = large * large;  // allowed, 30,000 digits
  BOOST_TEST(product.to_string().size() == 30'000u);
  BOOST_CHECK_THROW(product + BigInt::of(1), std::length_error);
  BOOST_CHECK_THROW(dec("1E+200000") + dec("1"), std::length_error);
  BOOST_CHECK_THROW(dec("1") + dec("1E-200000"), std::length_error);
  BOOST_TEST((dec("0E+200000") + dec("1")).to_string() == "1");
  BigDec sum = dec("1E+50000") + dec("1");  // the gap allows 50,001 digits
  BOOST_TEST(sum.scale() == 0);
  BOOST_TEST(sum.unscaled().bit_length() == 166'097u);
  BOOST_CHECK_THROW(rem("1E+1000000", "7"), std::length_error);
  BOOST_CHECK_THROW(BigDec::of(huge, 0) * dec("1"), std::length_error);
  BOOST_CHECK_THROW(BigDec::divide_decimal128(BigDec::of(huge, 0), dec("3")), std::length_error);
}

BOOST_AUTO_TEST_SUITE_END()
