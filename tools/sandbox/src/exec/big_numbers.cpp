// Java's BigInteger and BigDecimal arithmetic (see big_numbers.hpp): magnitudes as 32-bit limbs,
// schoolbook multiplication and Knuth's algorithm D, and BigDecimal's scale rules step by step.
#include "exec/big_numbers.hpp"

#include "nosqlc/protocol/values.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace nosqlc::sandbox::detail {

using Limbs = std::vector<std::uint32_t>;

namespace {

constexpr std::uint64_t kBase = std::uint64_t{1} << 32;

void trim(Limbs& a) {
  while (!a.empty() && a.back() == 0)
    a.pop_back();
}

std::size_t bits_of(const Limbs& a) {
  if (a.empty()) return 0;
  return 32 * (a.size() - 1) + static_cast<std::size_t>(32 - std::countl_zero(a.back()));
}

int cmp_mag(const Limbs& a, const Limbs& b) {
  if (a.size() != b.size()) return a.size() < b.size() ? -1 : 1;
  for (std::size_t i = a.size(); i-- > 0;) {
    if (a[i] != b[i]) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

Limbs add_mag(const Limbs& a, const Limbs& b) {
  const Limbs& l = a.size() >= b.size() ? a : b;
  const Limbs& s = a.size() >= b.size() ? b : a;
  Limbs r(l.size() + 1);
  std::uint64_t carry = 0;
  for (std::size_t i = 0; i < l.size(); ++i) {
    carry += std::uint64_t{l[i]} + (i < s.size() ? s[i] : 0);
    r[i] = static_cast<std::uint32_t>(carry);
    carry >>= 32;
  }
  r[l.size()] = static_cast<std::uint32_t>(carry);
  trim(r);
  return r;
}

// a - b, a >= b.
Limbs sub_mag(const Limbs& a, const Limbs& b) {
  Limbs r(a.size());
  std::uint64_t borrow = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::uint64_t d = std::uint64_t{a[i]} - (i < b.size() ? b[i] : 0) - borrow;
    r[i] = static_cast<std::uint32_t>(d);
    borrow = d >> 63;
  }
  trim(r);
  return r;
}

Limbs mul_mag(const Limbs& a, const Limbs& b) {
  if (a.empty() || b.empty()) return {};
  Limbs r(a.size() + b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::uint64_t carry = 0;
    for (std::size_t j = 0; j < b.size(); ++j) {
      std::uint64_t t = std::uint64_t{a[i]} * b[j] + r[i + j] + carry;
      r[i + j] = static_cast<std::uint32_t>(t);
      carry = t >> 32;
    }
    r[i + b.size()] = static_cast<std::uint32_t>(carry);
  }
  trim(r);
  return r;
}

// a = a * m + add.
void mul_small(Limbs& a, std::uint32_t m, std::uint32_t add = 0) {
  std::uint64_t carry = add;
  for (auto& limb : a) {
    std::uint64_t t = std::uint64_t{limb} * m + carry;
    limb = static_cast<std::uint32_t>(t);
    carry = t >> 32;
  }
  if (carry) a.push_back(static_cast<std::uint32_t>(carry));
}

// a /= d, returning the remainder.
std::uint32_t div_small(Limbs& a, std::uint32_t d) {
  std::uint64_t rem = 0;
  for (std::size_t i = a.size(); i-- > 0;) {
    std::uint64_t cur = (rem << 32) | a[i];
    a[i] = static_cast<std::uint32_t>(cur / d);
    rem = cur % d;
  }
  trim(a);
  return static_cast<std::uint32_t>(rem);
}

// Truncating division of magnitudes (Knuth, TAOCP vol. 2, 4.3.1, algorithm D). b nonzero.
void divmod_mag(const Limbs& a, const Limbs& b, Limbs& q, Limbs& r) {
  if (cmp_mag(a, b) < 0) {
    q.clear();
    r = a;
    return;
  }
  if (b.size() == 1) {
    q = a;
    std::uint32_t rem = div_small(q, b[0]);
    r = rem ? Limbs{rem} : Limbs{};
    return;
  }
  const std::size_t n = b.size(), m = a.size() - n;
  const int s = std::countl_zero(b.back());
  auto shifted = [s](const Limbs& x, std::size_t size) {
    Limbs out(size);
    for (std::size_t i = 0; i < x.size(); ++i) {
      std::uint64_t lo = i ? std::uint64_t{x[i - 1]} >> (32 - s) : 0;
      out[i] = static_cast<std::uint32_t>((std::uint64_t{x[i]} << s) | lo);
    }
    if (size > x.size())
      out[x.size()] = static_cast<std::uint32_t>(std::uint64_t{x.back()} >> (32 - s));
    return out;
  };
  const Limbs v = shifted(b, n);
  Limbs u = shifted(a, a.size() + 1);
  q.assign(m + 1, 0);
  for (std::size_t j = m + 1; j-- > 0;) {
    std::uint64_t num = (std::uint64_t{u[j + n]} << 32) | u[j + n - 1];
    std::uint64_t qhat = num / v[n - 1], rhat = num % v[n - 1];
    while (qhat >= kBase || qhat * v[n - 2] > ((rhat << 32) | u[j + n - 2])) {
      --qhat;
      rhat += v[n - 1];
      if (rhat >= kBase) break;
    }
    std::uint64_t borrow = 0, carry = 0;
    for (std::size_t i = 0; i < n; ++i) {
      std::uint64_t p = qhat * v[i] + carry;
      carry = p >> 32;
      std::uint64_t t = std::uint64_t{u[i + j]} - (p & 0xFFFFFFFFu) - borrow;
      u[i + j] = static_cast<std::uint32_t>(t);
      borrow = t >> 63;
    }
    std::uint64_t t = std::uint64_t{u[j + n]} - carry - borrow;
    u[j + n] = static_cast<std::uint32_t>(t);
    if (t >> 63) {  // qhat was one too large: add v back
      --qhat;
      std::uint64_t c = 0;
      for (std::size_t i = 0; i < n; ++i) {
        c += std::uint64_t{u[i + j]} + v[i];
        u[i + j] = static_cast<std::uint32_t>(c);
        c >>= 32;
      }
      u[j + n] = static_cast<std::uint32_t>(u[j + n] + c);
    }
    q[j] = static_cast<std::uint32_t>(qhat);
  }
  trim(q);
  r.assign(n, 0);
  for (std::size_t i = 0; i < n; ++i) {
    std::uint64_t hi = s ? std::uint64_t{u[i + 1]} << (32 - s) : 0;
    r[i] = static_cast<std::uint32_t>((u[i] >> s) | hi);
  }
  trim(r);
}

// Decimal digits of a magnitude ("0" for zero).
std::string digits_of(Limbs a) {
  if (a.empty()) return "0";
  std::vector<std::uint32_t> chunks;
  while (!a.empty())
    chunks.push_back(div_small(a, 1'000'000'000));
  std::string out = std::to_string(chunks.back());
  for (std::size_t i = chunks.size() - 1; i-- > 0;) {
    std::string c = std::to_string(chunks[i]);
    out.append(9 - c.size(), '0');
    out += c;
  }
  return out;
}

// a * 10^k; refuses k > kMaxScaleGap when a is nonzero.
Limbs mul_pow10(Limbs a, std::int64_t k) {
  if (a.empty() || k <= 0) return a;
  if (k > kMaxScaleGap) throw std::length_error("decimal exponents too far apart");
  for (; k >= 9; k -= 9)
    mul_small(a, 1'000'000'000);
  static constexpr std::uint32_t kPow[] = {1,      10,      100,      1000,     10000,
                                           100000, 1000000, 10000000, 100000000};
  mul_small(a, kPow[k]);
  return a;
}

// Java's checkScale for a nonzero value: a scale outside int32 throws.
std::int32_t check_scale(std::int64_t v) {
  if (v < INT32_MIN || v > INT32_MAX) throw std::domain_error(v > 0 ? "Underflow" : "Overflow");
  return static_cast<std::int32_t>(v);
}

// Java's checkScaleNonZero: the int32 truncation must equal the value.
std::int32_t check_scale_nonzero(std::int64_t v) {
  auto as_int = static_cast<std::int32_t>(static_cast<std::uint32_t>(v));
  if (as_int != v) throw std::domain_error(as_int > 0 ? "Underflow" : "Overflow");
  return as_int;
}

std::int32_t saturate(std::int64_t v) {
  return static_cast<std::int32_t>(std::clamp<std::int64_t>(v, INT32_MIN, INT32_MAX));
}

// Two's complement negation of big-endian bytes, in place.
void negate(protocol::Bytes& b) {
  for (auto& x : b)
    x = static_cast<std::uint8_t>(~x);
  for (std::size_t i = b.size(); i-- > 0;) {
    if (++b[i] != 0) break;
  }
}

// Strips trailing decimal zeros while |q| >= 10 and scale > preferred (Java's
// createAndStripZerosToMatchScale); whole nine-digit groups first.
void strip_zeros(Limbs& q, std::int64_t& scale, std::int64_t preferred) {
  while (scale - preferred >= 9 && !q.empty()) {
    Limbs t = q;
    if (div_small(t, 1'000'000'000) != 0) break;
    q = std::move(t);
    scale -= 9;
  }
  while (scale > preferred && cmp_mag(q, Limbs{10}) >= 0) {
    Limbs t = q;
    if (div_small(t, 10) != 0) break;
    q = std::move(t);
    --scale;
  }
}

}  // namespace

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
    if (a.negative_ == bn) return make(a.negative_, add_mag(a.mag_, b.mag_));
    if (cmp_mag(a.mag_, b.mag_) >= 0) return make(a.negative_, sub_mag(a.mag_, b.mag_));
    return make(bn, sub_mag(b.mag_, a.mag_));
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
    divmod_mag(a.mag_, b.mag_, q, r);
    return want_quotient ? make(a.negative_ != b.negative_, std::move(q))
                         : make(a.negative_, std::move(r));
  }
  static std::size_t digits(const BigInt& x) {
    if (x.bit_length() > kMaxConvertBits) throw std::length_error("number too large");
    return digits_of(x.mag_).size();
  }
  static BigDec dec(BigInt unscaled, std::int64_t scale) {
    return BigDec::of(std::move(unscaled), check_scale_nonzero(scale));
  }
  // Java's divideAndRound: |dividend| / |divisor| rounded, with the sign `negative`; an exact
  // quotient is stripped of zeros down to `preferred`.
  static BigDec divide_and_round(const Limbs& dividend, const Limbs& divisor, bool negative,
                                 std::int64_t scale, std::int64_t preferred, Rounding mode) {
    Limbs q, r;
    divmod_mag(dividend, divisor, q, r);
    if (!r.empty()) {
      if (mode != Rounding::down) {
        const int c = cmp_mag(add_mag(r, r), divisor);
        const bool odd = !q.empty() && (q[0] & 1);
        if (c > 0 || (c == 0 && (mode == Rounding::half_up || odd))) q = add_mag(q, Limbs{1});
      }
    } else if (preferred != scale) {
      strip_zeros(q, scale, preferred);
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
    return cmp_mag(mul_pow10(a.unscaled_.mag_, -sdiff), mul_pow10(b.unscaled_.mag_, sdiff));
  }
};

// ---- BigInt ----

BigInt BigInt::of(std::int64_t v) {
  std::uint64_t m = v < 0 ? 0 - static_cast<std::uint64_t>(v) : static_cast<std::uint64_t>(v);
  Limbs mag{static_cast<std::uint32_t>(m), static_cast<std::uint32_t>(m >> 32)};
  trim(mag);
  return BigOps::make(v < 0, std::move(mag));
}

BigInt BigInt::from_varint(protocol::BytesView bytes) {
  if (bytes.empty()) throw std::invalid_argument("empty varint");
  const bool negative = (bytes[0] & 0x80) != 0;
  protocol::Bytes b(bytes.begin(), bytes.end());
  if (negative) negate(b);  // the magnitude
  Limbs mag((b.size() + 3) / 4);
  for (std::size_t i = 0; i < b.size(); ++i) {
    std::size_t pos = b.size() - 1 - i;  // byte i from the least significant end
    mag[i / 4] |= std::uint32_t{b[pos]} << (8 * (i % 4));
  }
  trim(mag);  // a negative value never carries out: its first byte inverts below 0x80
  return BigOps::make(negative, std::move(mag));
}

protocol::Bytes BigInt::to_varint() const {
  protocol::Bytes b;
  for (std::size_t i = mag_.size(); i-- > 0;) {
    for (int shift = 24; shift >= 0; shift -= 8)
      b.push_back(static_cast<std::uint8_t>(mag_[i] >> shift));
  }
  auto first = std::find_if(b.begin(), b.end(), [](std::uint8_t x) { return x != 0; });
  b.erase(b.begin(), first);
  if (b.empty()) return {0x00};
  if (negative_) {
    negate(b);
    if (!(b[0] & 0x80)) b.insert(b.begin(), 0xFF);
    while (b.size() > 1 && b[0] == 0xFF && (b[1] & 0x80))
      b.erase(b.begin());
  } else if (b[0] & 0x80) {
    b.insert(b.begin(), 0x00);
  }
  return b;
}

std::string BigInt::to_string() const {
  std::string out;
  if (auto s = protocol::varint_to_string(to_varint(), out); !s) throw std::length_error(s.message);
  return out;
}

std::size_t BigInt::bit_length() const {
  return bits_of(mag_);
}

BigInt operator+(const BigInt& a, const BigInt& b) {
  return BigOps::add(a, b, false);
}
BigInt operator-(const BigInt& a, const BigInt& b) {
  return BigOps::add(a, b, true);
}
BigInt operator-(const BigInt& a) {
  return BigOps::make(!a.negative_, a.mag_);
}

BigInt operator*(const BigInt& a, const BigInt& b) {
  BigOps::check(a);
  BigOps::check(b);
  return BigOps::make(a.negative_ != b.negative_, mul_mag(a.mag_, b.mag_));
}

BigInt BigInt::divide(const BigInt& a, const BigInt& b) {
  return BigOps::divmod(a, b, true);
}

BigInt BigInt::remainder(const BigInt& a, const BigInt& b) {
  return BigOps::divmod(a, b, false);
}

int BigInt::compare(const BigInt& other) const {
  if (sign() != other.sign()) return sign() < other.sign() ? -1 : 1;
  int c = cmp_mag(mag_, other.mag_);
  return negative_ ? -c : c;
}

std::int64_t BigInt::long_value() const {
  std::uint64_t low = 0;
  if (!mag_.empty()) low = mag_[0];
  if (mag_.size() > 1) low |= std::uint64_t{mag_[1]} << 32;
  return static_cast<std::int64_t>(negative_ ? 0 - low : low);
}

double BigInt::double_value() const {
  const std::size_t n = bits_of(mag_);
  if (n == 0) return 0.0;
  std::uint64_t top = 0;  // the highest 64 bits, the lowest of them sticky for what is below
  bool sticky = false;
  const std::size_t shift = n > 64 ? n - 64 : 0;
  for (std::size_t i = 0; i < mag_.size(); ++i) {
    const std::size_t lo_bit = 32 * i;
    if (lo_bit + 32 <= shift) {
      sticky = sticky || mag_[i] != 0;
    } else if (lo_bit >= shift) {
      top |= std::uint64_t{mag_[i]} << (lo_bit - shift);
    } else {
      const std::size_t cut = shift - lo_bit;
      sticky = sticky || (mag_[i] & ((std::uint32_t{1} << cut) - 1)) != 0;
      top |= std::uint64_t{mag_[i]} >> cut;
    }
  }
  if (sticky) top |= 1;
  if (shift > 2000) return negative_ ? -HUGE_VAL : HUGE_VAL;
  double d = std::ldexp(static_cast<double>(top), static_cast<int>(shift));
  return negative_ ? -d : d;
}

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
