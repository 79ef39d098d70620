// Internal to big_numbers: the magnitudes' arithmetic (32-bit limbs, little-endian, no high
// zero limb) that BigInt and BigDec build on, and BigOps, the helpers that reach into both.
#pragma once

#include "exec/big_numbers.hpp"

#include "nosqlc/protocol/values.hpp"

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace nosqlc::sandbox::detail {

using Limbs = std::vector<std::uint32_t>;

namespace limbs {

inline constexpr std::uint64_t kBase = std::uint64_t{1} << 32;

// Magnitudes only, signs are the callers'; each one's contract is at its definition in
// big_limbs.cpp. check_scale* throw std::domain_error ("Overflow", "Underflow") for a scale
// outside int32, as BigDecimal.checkScale does.
void trim(Limbs& a);
std::size_t bits_of(const Limbs& a);
int cmp_mag(const Limbs& a, const Limbs& b);
Limbs add_mag(const Limbs& a, const Limbs& b);
Limbs sub_mag(const Limbs& a, const Limbs& b);
Limbs mul_mag(const Limbs& a, const Limbs& b);
void mul_small(Limbs& a, std::uint32_t m, std::uint32_t add = 0);
std::uint32_t div_small(Limbs& a, std::uint32_t d);
void divmod_mag(const Limbs& a, const Limbs& b, Limbs& q, Limbs& r);
std::string digits_of(Limbs a);
Limbs mul_pow10(Limbs a, std::int64_t k);
std::int32_t check_scale(std::int64_t v);
std::int32_t check_scale_nonzero(std::int64_t v);
std::int32_t saturate(std::int64_t v);
void negate(protocol::Bytes& b);
void strip_zeros(Limbs& q, std::int64_t& scale, std::int64_t preferred);

}  // namespace limbs

struct BigOps {
  static BigInt make(bool negative, Limbs limbs) {
    BigInt r;
    r.mag_ = std::move(limbs);
    r.negative_ = negative && !r.mag_.empty();
    return r;
  }
  static const Limbs& mag(const BigInt& x) { return x.mag_; }
  static void check(const BigInt& x) {
    if (x.bit_length() > kMaxOperandBits)
      throw std::length_error("number too large for arithmetic (over 20,000 digits)");
  }
  // a + b, or a - b, without the operand bound.
  static BigInt add_unchecked(const BigInt& a, const BigInt& b, bool negate_b) {
    const bool bn = b.negative_ != negate_b;
    if (a.negative_ == bn) return make(a.negative_, limbs::add_mag(a.mag_, b.mag_));
    if (limbs::cmp_mag(a.mag_, b.mag_) >= 0)
      return make(a.negative_, limbs::sub_mag(a.mag_, b.mag_));
    return make(bn, limbs::sub_mag(b.mag_, a.mag_));
  }
  static BigInt add(const BigInt& a, const BigInt& b, bool negate_b) {
    check(a);
    check(b);
    return add_unchecked(a, b, negate_b);
  }
  static BigInt divmod(const BigInt& a, const BigInt& b, bool want_quotient) {
    if (b.sign() == 0) throw std::domain_error("BigInteger divide by zero");
    check(a);
    check(b);
    Limbs q, r;
    limbs::divmod_mag(a.mag_, b.mag_, q, r);
    return want_quotient ? make(a.negative_ != b.negative_, std::move(q))
                         : make(a.negative_, std::move(r));
  }
  static std::size_t digits(const BigInt& x) {
    if (x.bit_length() > kMaxConvertBits) throw std::length_error("number too large");
    return limbs::digits_of(x.mag_).size();
  }
  static BigDec dec(BigInt unscaled, std::int64_t scale) {
    return BigDec::of(std::move(unscaled), limbs::check_scale_nonzero(scale));
  }
  // Java's divideAndRound: |dividend| / |divisor| rounded, with the sign `negative`; an exact
  // quotient is stripped of zeros down to `preferred`.
  static BigDec divide_and_round(const Limbs& dividend, const Limbs& divisor, bool negative,
                                 std::int64_t scale, std::int64_t preferred, Rounding mode) {
    Limbs q, r;
    limbs::divmod_mag(dividend, divisor, q, r);
    if (!r.empty()) {
      if (mode != Rounding::down) {
        const int c = limbs::cmp_mag(limbs::add_mag(r, r), divisor);
        const bool odd = !q.empty() && (q[0] & 1);
        if (c > 0 || (c == 0 && (mode == Rounding::half_up || odd)))
          q = limbs::add_mag(q, Limbs{1});
      }
    } else if (preferred != scale) {
      limbs::strip_zeros(q, scale, preferred);
    }
    return dec(make(negative, std::move(q)), scale);
  }
  // Java's compareMagnitude: adjusted exponents first, so distant scales are never aligned.
  static int compare_magnitude(const BigDec& a, const BigDec& b) {
    if (a.sign() == 0) return b.sign() == 0 ? 0 : -1;
    if (b.sign() == 0) return 1;
    check(a.unscaled_);
    check(b.unscaled_);
    const auto xd = static_cast<std::int64_t>(digits(a.unscaled_));
    const auto yd = static_cast<std::int64_t>(digits(b.unscaled_));
    const std::int64_t xae = xd - a.scale_, yae = yd - b.scale_;
    if (xae != yae) return xae < yae ? -1 : 1;
    const std::int64_t sdiff = std::int64_t{a.scale_} - b.scale_;
    return limbs::cmp_mag(limbs::mul_pow10(a.unscaled_.mag_, -sdiff),
                          limbs::mul_pow10(b.unscaled_.mag_, sdiff));
  }
};

}  // namespace nosqlc::sandbox::detail
