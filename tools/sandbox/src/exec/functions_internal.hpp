// Internal to the native functions' files: the catalog's builders and Java's number
// conversions, which casts, arithmetic and aggregates share.
#pragma once

#include "exec/big_numbers.hpp"
#include "exec/functions.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace nosqlc::sandbox::detail {

using Args = std::span<const std::optional<Bytes>>;

inline constexpr std::int64_t kMillisPerDay = 86'400'000;
// a / b rounded toward negative infinity (b != 0).
inline std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

// SimpleDateSerializer's conversions: a date of the day holding `millis` (floor-divided), and
// the first millisecond of a date.
Bytes date_of_millis(std::int64_t millis);
std::int64_t millis_of_date(BytesView date);

// Adds CastFcts' functions ("castas<type>") to the catalog.
void add_cast_functions(std::vector<ScalarFunction>& fs);

// A value of a numeric type (tinyint .. bigint, counter, float, double, varint, decimal) as
// Java holds it.
struct Number {
  enum class Kind { integral, floating, big } kind = Kind::integral;
  std::int64_t integral = 0;  // tinyint .. bigint, counter
  double floating = 0;        // float (exactly) and double
  BigDec big;                 // varint (scale 0) and decimal
  bool is_float = false;      // a float, not a double
};
// `n` as Java's BigDecimal arithmetic takes it (NumberType.toBigDecimal: BigDecimal.valueOf of
// the long or of the double, a float widened), and as BigInteger (toBigInteger: of the long).
// Invalid for NaN and infinities, which have no BigDecimal.
BigDec big_decimal_of(const Number& n);
BigInt big_integer_of(const Number& n);
// Runs `f`, reporting a number beyond the sandbox's bounds for arbitrary precision
// (big_numbers.hpp) as Invalid instead of computing it.
template <class F>
auto bounded(F&& f) {
  try {
    return f();
  } catch (const std::length_error&) {
    fail_invalid(
        "The nosqlc sandbox does not compute with varint or decimal values of more than about "
        "20,000 digits");
  }
}
bool is_numeric(TypeId id) noexcept;
// Precondition: `v` is a valid value of numeric type `t`.
Number read_number(const DataType& t, BytesView v);
// Java's Number.longValue(), doubleValue() and floatValue() of `n`: integral parts truncated
// and wrapped to 64 bits, floating values saturated (NaN is 0), big ones correctly rounded.
std::int64_t long_value(const Number& n);
double double_value(const Number& n);
float float_value(const Number& n);
// Java's (int) of a double: NaN is 0, out of range saturates.
std::int32_t java_int_of(double d) noexcept;
// `n` as a value of numeric type `to`, as CastFcts converts (byteValue(), ..., BigDecimal.valueOf).
Bytes convert_number(const Number& n, const DataType& to);

}  // namespace nosqlc::sandbox::detail
