// Internal: arbitrary-precision arithmetic on CQL varint and decimal values, computed as Java's
// BigInteger and BigDecimal compute it (the JDK 8/11 algorithms Cassandra 4.0 runs on), for the
// arithmetic operators and the sum()/avg() aggregates.
//
// Which Java operation each CQL one is, is the caller's choice. Cassandra 4.0 (DecimalType after
// CASSANDRA-15232, AggregateFcts) uses: varint + - * / % and sum: BigInt's operators, divide and
// remainder; decimal + - *: add/subtract/multiply_rounded(kCassandraDecimalPrecision); decimal /:
// divide_cassandra; decimal %: remainder; decimal sum: exact operator+; decimal avg: a running
// avg + (x - avg).divide(count, HALF_EVEN), i.e. divide_half_even_same_scale.
// divide_decimal128 is DecimalType's division before CASSANDRA-15232.
//
// Errors are exceptions:
//   std::domain_error     what Java throws as ArithmeticException, with Java's message
//                         ("BigInteger divide by zero", "Division by zero", "Division undefined",
//                         "Overflow"/"Underflow" for a scale outside int32);
//   std::invalid_argument malformed input (an empty varint, a decimal shorter than 5 bytes, text
//                         new BigDecimal(String) refuses);
//   std::length_error     input beyond the bounds below, so that hostile values cannot hang the
//                         server or exhaust its memory (Java would compute these, slowly).
// Bounds:
//   - every operand of an arithmetic operation (+ - * / %, unary - excepted) has a magnitude of
//     at most kMaxOperandBits bits (about 20,000 decimal digits); results may be larger (a
//     product has up to twice the digits) and are refused only when used as operands again;
//   - a decimal operation never multiplies a nonzero value by more than 10^kMaxScaleGap to align
//     scales (1E+200000 + 1 is refused; 0E-200000 + 1 is not, nothing is multiplied);
//   - add_rounded and subtract_rounded align distant operands as Java does (a sticky digit), so
//     only their exact sum is bounded;
//   - BigDec::long_value, double_value, precision, round and compare count digits (quadratic)
//     and refuse unscaled values beyond kMaxConvertBits (every result of one operation on bounded
//     operands stays within it); compare also takes only operands within kMaxOperandBits;
//   - to_string refuses values beyond protocol::kMaxBigNumberBytes (the text helpers' bound).
// Conversions to and from bytes are linear and take any length.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox::detail {

inline constexpr std::size_t kMaxOperandBits = 66'439;  // ceil(20,000 * log2(10))
inline constexpr std::int64_t kMaxScaleGap = 100'000;
inline constexpr std::size_t kMaxConvertBits = 400'000;  // about 120,000 digits

struct BigOps;  // the .cpp's helpers

// Arbitrary-precision integers as Java's BigInteger.
class BigInt {
 public:
  BigInt() = default;  // 0
  static BigInt of(std::int64_t v);
  // From a CQL varint value (big-endian two's complement, at least one byte; redundant sign
  // bytes accepted) and back (minimal form, as BigInteger.toByteArray()).
  static BigInt from_varint(protocol::BytesView bytes);
  protocol::Bytes to_varint() const;
  std::string to_string() const;  // BigInteger.toString()
  int sign() const { return mag_.empty() ? 0 : (negative_ ? -1 : 1); }
  std::size_t bit_length() const;  // of the magnitude (BigInteger.abs().bitLength())

  friend BigInt operator+(const BigInt& a, const BigInt& b);
  friend BigInt operator-(const BigInt& a, const BigInt& b);
  friend BigInt operator*(const BigInt& a, const BigInt& b);
  friend BigInt operator-(const BigInt& a);
  // BigInteger.divide / remainder: truncating toward zero; the remainder has the dividend's
  // sign. A zero divisor throws std::domain_error("BigInteger divide by zero").
  static BigInt divide(const BigInt& a, const BigInt& b);
  static BigInt remainder(const BigInt& a, const BigInt& b);
  int compare(const BigInt& other) const;  // BigInteger.compareTo: -1, 0, 1
  friend bool operator==(const BigInt& a, const BigInt& b) { return a.compare(b) == 0; }

  std::int64_t long_value() const;  // low 64 bits, two's complement (BigInteger.longValue())
  double double_value() const;      // correctly rounded, +-infinity beyond double's range

 private:
  friend struct BigOps;
  bool negative_ = false;
  std::vector<std::uint32_t> mag_;  // little-endian limbs, no high zero limb; empty is 0
};

// The java.math.RoundingMode values these operations use.
enum class Rounding { half_up, half_even, down };

// Cassandra 4.0's DecimalType operators (since CASSANDRA-15232): + - * round to
// MathContext(10000) (HALF_UP), / is divide_cassandra, % is the exact remainder.
inline constexpr std::int32_t kCassandraDecimalPrecision = 10'000;

// unscaled * 10^-scale, as Java's BigDecimal (scale is an int32).
class BigDec {
 public:
  BigDec() = default;  // 0 (scale 0)
  static BigDec of(BigInt unscaled, std::int32_t scale);
  const BigInt& unscaled() const { return unscaled_; }
  std::int32_t scale() const { return scale_; }
  // CQL decimal: [int scale][varint unscaled] (at least 5 bytes), and back.
  static BigDec from_decimal(protocol::BytesView bytes);
  protocol::Bytes to_decimal() const;
  // new BigDecimal(String): "1.5", "-2E+3", "1e-7", "+.5"; std::invalid_argument on bad text.
  static BigDec from_string(std::string_view s);
  std::string to_string() const;  // BigDecimal.toString() (scientific when Java's rules say)

  friend BigDec operator+(const BigDec& a, const BigDec& b);  // BigDecimal.add: scale = max
  friend BigDec operator-(const BigDec& a, const BigDec& b);  // subtract: scale = max
  friend BigDec operator*(const BigDec& a, const BigDec& b);  // multiply: scale = sum
  friend BigDec operator-(const BigDec& a);                   // negate: same scale
  // BigDecimal.divide(divisor, MathContext.DECIMAL128): 34 significant digits, HALF_EVEN, with
  // Java's preferred scale a.scale - b.scale (an exact quotient keeps the scale closest to it).
  // A zero divisor throws std::domain_error: "Division by zero", or for 0/0 "Division undefined".
  static BigDec divide_decimal128(const BigDec& a, const BigDec& b);
  // BigDecimal.divide(divisor, RoundingMode.HALF_EVEN): the result has a's scale (avg's
  // sum.divide(BigDecimal.valueOf(count), HALF_EVEN)). Zero divisor: "Division by zero".
  static BigDec divide_half_even_same_scale(const BigDec& a, const BigDec& b);
  // BigDecimal.divide(divisor, scale, mode). Zero divisor: "Division by zero".
  static BigDec divide_to_scale(const BigDec& a, const BigDec& b, std::int32_t scale,
                                Rounding mode);
  // Cassandra 4.0's DecimalType.divide: scale 32 minus the quotient's estimated first digit
  // position ((a.precision - a.scale) - (b.precision - b.scale)), at least a's, b's and 32, at
  // most 1000; divide_to_scale HALF_UP, then strip_trailing_zeros.
  static BigDec divide_cassandra(const BigDec& a, const BigDec& b);
  // BigDecimal.add/subtract/multiply(x, new MathContext(precision)) (HALF_UP; 0 is exact).
  // add and subtract first align as Java's preAlign does: an operand wholly below the rounding
  // position becomes a sticky digit, so 1E+500000000 + 1 is computed, not refused.
  static BigDec add_rounded(const BigDec& a, const BigDec& b, std::int32_t precision);
  static BigDec subtract_rounded(const BigDec& a, const BigDec& b, std::int32_t precision);
  static BigDec multiply_rounded(const BigDec& a, const BigDec& b, std::int32_t precision);
  // BigDecimal.round(new MathContext(precision, mode)) (doRound; precision 0 is unlimited).
  BigDec round(std::int32_t precision, Rounding mode) const;
  BigDec strip_trailing_zeros() const;  // as JDK 8+: zero becomes 0 with scale 0
  std::int32_t precision() const;       // digits of the unscaled value; 0 has 1
  // BigDecimal.remainder(divisor): a - a.divideToIntegralValue(b) * b, with Java's scale.
  static BigDec remainder(const BigDec& a, const BigDec& b);

  int sign() const { return unscaled_.sign(); }
  int compare(const BigDec& other) const;  // BigDecimal.compareTo: by value, scale ignored
  // Same value and scale (BigDecimal.equals).
  friend bool operator==(const BigDec& a, const BigDec& b) {
    return a.scale_ == b.scale_ && a.unscaled_ == b.unscaled_;
  }
  std::int64_t long_value() const;  // BigDecimal.longValue(): truncate, then low 64 bits
  double double_value() const;      // BigDecimal.doubleValue(), correctly rounded

 private:
  friend struct BigOps;
  BigInt unscaled_;
  std::int32_t scale_ = 0;
};

}  // namespace nosqlc::sandbox::detail
