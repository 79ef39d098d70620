// Java's BigDecimal arithmetic (see big_numbers.hpp): its scale rules step by step, and
// Cassandra 4.0's DecimalType division.
#include "exec/big_numbers_internal.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace nosqlc::sandbox::detail {

using namespace limbs;

// ---- BigDec ----

BigDec BigDec::of(BigInt unscaled, std::int32_t scale) {
  BigDec d;
  d.unscaled_ = std::move(unscaled);
  d.scale_ = scale;
  return d;
}

BigDec BigDec::from_decimal(protocol::BytesView bytes) {
  protocol::Decimal d;
  if (auto s = protocol::decode_decimal(bytes, d); !s) throw std::invalid_argument(s.message);
  return of(BigInt::from_varint(d.unscaled), d.scale);
}

protocol::Bytes BigDec::to_decimal() const {
  protocol::Bytes out;
  (void)protocol::encode_decimal(protocol::Decimal{scale_, unscaled_.to_varint()}, out);
  return out;
}

BigDec BigDec::from_string(std::string_view s) {
  protocol::Decimal d;
  if (auto st = protocol::parse_decimal(s, d); !st) throw std::invalid_argument(st.message);
  return of(BigInt::from_varint(d.unscaled), d.scale);
}

std::string BigDec::to_string() const {
  std::string out;
  protocol::Decimal d{scale_, unscaled_.to_varint()};
  if (auto s = protocol::decimal_to_string(d, out); !s) throw std::length_error(s.message);
  return out;
}

namespace {

// a + b (or a - b): the operand with the smaller scale is multiplied up to the larger scale
// (bounded by the gap, not the operand bound, which the rescaled value may exceed).
BigDec add_dec(const BigDec& a, const BigDec& b, bool negate_b) {
  if (a.scale() == b.scale())
    return BigDec::of(BigOps::add(a.unscaled(), b.unscaled(), negate_b), a.scale());
  BigOps::check(a.unscaled());
  BigOps::check(b.unscaled());
  const std::int64_t gap = std::int64_t{a.scale()} - b.scale();
  auto up = [](const BigInt& x, std::int64_t k) {
    return k <= 0 ? x : BigOps::make(x.sign() < 0, mul_pow10(BigOps::mag(x), k));
  };
  return BigDec::of(BigOps::add_unchecked(up(a.unscaled(), -gap), up(b.unscaled(), gap), negate_b),
                    std::max(a.scale(), b.scale()));
}

}  // namespace

BigDec operator+(const BigDec& a, const BigDec& b) {
  return add_dec(a, b, false);
}
BigDec operator-(const BigDec& a, const BigDec& b) {
  return add_dec(a, b, true);
}
BigDec operator-(const BigDec& a) {
  return BigDec::of(-a.unscaled_, a.scale_);
}

BigDec operator*(const BigDec& a, const BigDec& b) {
  BigInt product = a.unscaled_ * b.unscaled_;
  const std::int64_t scale = std::int64_t{a.scale_} + b.scale_;
  if (scale < INT32_MIN || scale > INT32_MAX) {
    // Java's checkScale on the multiplier: a zero multiplier saturates, any other throws.
    if (a.sign() != 0) throw std::domain_error(scale > 0 ? "Underflow" : "Overflow");
  }
  return BigDec::of(std::move(product), saturate(scale));
}

BigDec BigDec::divide_decimal128(const BigDec& a, const BigDec& b) {
  constexpr std::int64_t mcp = 34;
  if (b.sign() == 0)
    throw std::domain_error(a.sign() == 0 ? "Division undefined" : "Division by zero");
  const std::int64_t preferred = std::int64_t{a.scale_} - b.scale_;
  if (a.sign() == 0) return of(BigInt{}, saturate(preferred));
  BigOps::check(a.unscaled_);
  BigOps::check(b.unscaled_);
  const Limbs& xs = BigOps::mag(a.unscaled_);
  const Limbs& ys = BigOps::mag(b.unscaled_);
  const auto xd = static_cast<std::int64_t>(BigOps::digits(a.unscaled_));
  auto yd = static_cast<std::int64_t>(BigOps::digits(b.unscaled_));
  // Normalize both to [0.1, 1): if the dividend's digits are the larger, the divisor gains one.
  if (cmp_mag(mul_pow10(xs, yd - xd), mul_pow10(ys, xd - yd)) > 0) --yd;
  const std::int64_t scl = check_scale_nonzero(preferred + yd - xd + mcp);
  const std::int64_t raise = check_scale_nonzero(mcp + yd - xd);
  const bool negative = a.sign() != b.sign();
  const std::int64_t pref = check_scale_nonzero(preferred);
  const BigDec q = raise > 0 ? BigOps::divide_and_round(mul_pow10(xs, raise), ys, negative, scl,
                                                        pref, Rounding::half_even)
                             : BigOps::divide_and_round(xs, mul_pow10(ys, -raise), negative, scl,
                                                        pref, Rounding::half_even);
  return q.round(mcp, Rounding::half_even);  // a quotient rounded up to 10^34 has 35 digits
}

BigDec BigDec::divide_half_even_same_scale(const BigDec& a, const BigDec& b) {
  return divide_to_scale(a, b, a.scale_, Rounding::half_even);
}

BigDec BigDec::divide_to_scale(const BigDec& a, const BigDec& b, std::int32_t scale,
                               Rounding mode) {
  if (b.sign() == 0) throw std::domain_error("Division by zero");
  BigOps::check(a.unscaled_);
  BigOps::check(b.unscaled_);
  const Limbs& xs = BigOps::mag(a.unscaled_);
  const Limbs& ys = BigOps::mag(b.unscaled_);
  const bool negative = a.sign() * b.sign() < 0;
  // a.unscaled * 10^(scale + b.scale - a.scale) / b.unscaled, the power on the side it is whole.
  const std::int64_t raise = std::int64_t{scale} + b.scale_ - a.scale_;
  return BigOps::divide_and_round(mul_pow10(xs, raise), mul_pow10(ys, -raise), negative, scale,
                                  scale, mode);
}

BigDec BigDec::divide_cassandra(const BigDec& a, const BigDec& b) {
  auto wrap = [](std::int64_t v) {  // Java's int arithmetic
    return static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  };
  const std::int32_t position = wrap(std::int64_t{wrap(std::int64_t{a.precision()} - a.scale_)} -
                                     wrap(std::int64_t{b.precision()} - b.scale_));
  std::int32_t scale = wrap(32 - std::int64_t{position});
  scale = std::min(std::max({scale, a.scale_, b.scale_, 32}), 1000);
  return divide_to_scale(a, b, scale, Rounding::half_up).strip_trailing_zeros();
}

namespace {

// BigDecimal.add(augend, MathContext(mcp)), HALF_UP.
BigDec add_with_context(BigDec lhs, BigDec augend, std::int32_t mcp) {
  if (mcp == 0) return lhs + augend;
  if (lhs.sign() == 0 || augend.sign() == 0) {  // the other, rounded, at the scale nearest max
    const std::int32_t preferred = std::max(lhs.scale(), augend.scale());
    if (lhs.sign() == 0 && augend.sign() == 0) return BigDec::of(BigInt{}, preferred);
    const BigDec r = (lhs.sign() == 0 ? augend : lhs).round(mcp, Rounding::half_up);
    Limbs q = BigOps::mag(r.unscaled());
    std::int64_t scale = r.scale();
    if (scale > preferred) {
      strip_zeros(q, scale, preferred);
    } else if (scale < preferred) {
      const std::int64_t room = std::int64_t{mcp} - r.precision();
      const std::int64_t target = std::min<std::int64_t>(preferred, scale + room);
      q = mul_pow10(std::move(q), target - scale);
      scale = target;
    }
    return BigDec::of(BigOps::make(r.sign() < 0, std::move(q)), static_cast<std::int32_t>(scale));
  }
  // preAlign: an operand whose highest digit lies beyond the result's rounding position and
  // the other's last digit counts only as a sticky digit.
  if (const std::int64_t padding = std::int64_t{lhs.scale()} - augend.scale(); padding != 0) {
    BigDec& big = padding < 0 ? lhs : augend;
    BigDec& small = padding < 0 ? augend : lhs;
    const std::int64_t ulp_scale = std::int64_t{big.scale()} - big.precision() + mcp;
    const std::int64_t small_high = std::int64_t{small.scale()} - small.precision() + 1;
    if (small_high > big.scale() + 2 && small_high > ulp_scale + 2) {
      small = BigDec::of(BigInt::of(small.sign()),
                         check_scale(std::max<std::int64_t>(big.scale(), ulp_scale) + 3));
    }
  }
  return (lhs + augend).round(mcp, Rounding::half_up);
}

}  // namespace

BigDec BigDec::add_rounded(const BigDec& a, const BigDec& b, std::int32_t precision) {
  return add_with_context(a, b, precision);
}

BigDec BigDec::subtract_rounded(const BigDec& a, const BigDec& b, std::int32_t precision) {
  return add_with_context(a, -b, precision);
}

BigDec BigDec::multiply_rounded(const BigDec& a, const BigDec& b, std::int32_t precision) {
  return (a * b).round(precision, Rounding::half_up);
}

BigDec BigDec::round(std::int32_t precision, Rounding mode) const {
  BigDec q = *this;
  if (precision <= 0) return q;
  for (;;) {
    const auto digits = static_cast<std::int64_t>(BigOps::digits(q.unscaled_));
    if (digits <= precision) return q;
    const std::int64_t drop = digits - precision;
    const std::int64_t scale = check_scale_nonzero(std::int64_t{q.scale_} - drop);
    q = BigOps::divide_and_round(BigOps::mag(q.unscaled_), mul_pow10(Limbs{1}, drop), q.sign() < 0,
                                 scale, scale, mode);
  }
}

BigDec BigDec::strip_trailing_zeros() const {
  if (sign() == 0) return BigDec{};
  Limbs q = BigOps::mag(unscaled_);
  std::int64_t scale = scale_;
  strip_zeros(q, scale, std::int64_t{INT32_MIN} - 10);
  return of(BigOps::make(sign() < 0, std::move(q)), check_scale(scale));
}

std::int32_t BigDec::precision() const {
  return static_cast<std::int32_t>(BigOps::digits(unscaled_));
}

BigDec BigDec::remainder(const BigDec& a, const BigDec& b) {
  if (b.sign() == 0)
    throw std::domain_error(a.sign() == 0 ? "Division undefined" : "Division by zero");
  const std::int64_t preferred = saturate(std::int64_t{a.scale_} - b.scale_);
  // divideToIntegralValue: zero when |a| < |b|, else trunc(a / b) with trailing zeros stripped
  // toward the preferred scale, or padded up to it.
  if (BigOps::compare_magnitude(a, b) < 0) return a - of(BigInt{}, saturate(preferred)) * b;
  BigOps::check(a.unscaled_);
  BigOps::check(b.unscaled_);
  const std::int64_t gap = std::int64_t{b.scale_} - a.scale_;
  Limbs q, r;
  divmod_mag(mul_pow10(BigOps::mag(a.unscaled_), gap), mul_pow10(BigOps::mag(b.unscaled_), -gap), q,
             r);
  std::int64_t scale = 0;
  if (preferred < 0) strip_zeros(q, scale, preferred);
  if (scale < preferred) {
    q = mul_pow10(std::move(q), preferred - scale);
    scale = preferred;
  }
  BigDec quotient = of(BigOps::make(a.sign() != b.sign(), std::move(q)), saturate(scale));
  return a - quotient * b;
}

int BigDec::compare(const BigDec& other) const {
  if (sign() != other.sign()) return sign() < other.sign() ? -1 : 1;
  const int c = BigOps::compare_magnitude(*this, other);
  return sign() < 0 ? -c : c;
}

std::int64_t BigDec::long_value() const {
  if (sign() == 0 || scale_ <= -64) return 0;  // 10^64 is a multiple of 2^64
  if (unscaled_.bit_length() > kMaxConvertBits) throw std::length_error("decimal too large");
  const Limbs& m = BigOps::mag(unscaled_);
  if (scale_ <= 0)
    return BigOps::make(sign() < 0, mul_pow10(m, -std::int64_t{scale_})).long_value();
  if (static_cast<std::int64_t>(BigOps::digits(unscaled_)) <= scale_) return 0;
  Limbs q, r;
  divmod_mag(m, mul_pow10(Limbs{1}, scale_), q, r);
  return BigOps::make(sign() < 0, std::move(q)).long_value();
}

double BigDec::double_value() const {
  if (sign() == 0) return 0.0;
  if (unscaled_.bit_length() > kMaxConvertBits) throw std::length_error("decimal too large");
  // strtod rounds correctly, as Double.parseDouble(toString()) does.
  std::string text = sign() < 0 ? "-" : "";
  text += digits_of(BigOps::mag(unscaled_));
  text += 'e';
  text += std::to_string(-std::int64_t{scale_});
  return std::strtod(text.c_str(), nullptr);
}

}  // namespace nosqlc::sandbox::detail
