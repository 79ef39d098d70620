// Java's BigInteger arithmetic (see big_numbers.hpp) over big_limbs.cpp's magnitudes.
#include "exec/big_numbers_internal.hpp"

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace nosqlc::sandbox::detail {

using namespace limbs;

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

}  // namespace nosqlc::sandbox::detail
