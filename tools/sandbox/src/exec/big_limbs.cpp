// Magnitude arithmetic on 32-bit limbs for BigInt and BigDec: schoolbook multiplication and
// Knuth's algorithm D, decimal digits, and the scale checks BigDecimal makes.
#include "exec/big_numbers_internal.hpp"

#include <algorithm>
#include <bit>

namespace nosqlc::sandbox::detail::limbs {

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
void mul_small(Limbs& a, std::uint32_t m, std::uint32_t add) {
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

}  // namespace nosqlc::sandbox::detail::limbs
