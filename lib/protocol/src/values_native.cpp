// Native CQL types (native_protocol_v4.spec section 6) as C++ values.
#include "values_internal.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace nosqlc::protocol {
namespace detail {

Status value_error(errc code, std::string_view type, std::string_view detail) {
  std::string m;
  switch (code) {
    case errc::invalid_value:
      m = "invalid value for ";
      break;
    case errc::incomplete:
      m = "incomplete ";
      break;
    case errc::extra_bytes:
      m = "extra bytes after ";
      break;
    case errc::invalid_length:
      m = "invalid length in ";
      break;
    case errc::nesting_too_deep:
      m = "nesting too deep in ";
      break;
    default:
      m = make_error_code(code).message() + " in ";
      break;
  }
  m += type;
  if (!detail.empty()) {
    m += ": ";
    m += detail;
  }
  return Status{make_error_code(code), std::move(m)};
}

Status check_size(BytesView in, std::size_t n, std::string_view type) {
  if (in.size() == n) return {};
  std::string detail = "expected " + std::to_string(n) + " bytes, got " + std::to_string(in.size());
  return value_error(in.size() < n ? errc::incomplete : errc::extra_bytes, type, detail);
}

std::string_view as_chars(BytesView b) noexcept {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

BytesView as_bytes(std::string_view s) noexcept {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

BytesView trim_varint(BytesView in) noexcept {
  std::size_t i = 0;
  while (in.size() - i > 1 &&
         ((in[i] == 0x00 && !(in[i + 1] & 0x80)) || (in[i] == 0xFF && (in[i + 1] & 0x80)))) {
    ++i;
  }
  return in.subspan(i);
}

bool is_valid_utf8(std::string_view s) noexcept {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  std::size_t n = s.size(), i = 0;
  auto cont = [&](std::size_t at, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return at < n && p[at] >= lo && p[at] <= hi;
  };
  while (i < n) {
    // ASCII eight bytes at a time.
    while (n - i >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p + i, 8);
      if ((word & 0x8080808080808080ULL) != 0) break;
      i += 8;
    }
    if (i == n) break;
    unsigned char c = p[i];
    if (c < 0x80) {
      ++i;
    } else if (c >= 0xC2 && c <= 0xDF) {
      if (!cont(i + 1)) return false;
      i += 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      unsigned char lo = c == 0xE0 ? 0xA0 : 0x80;  // no overlongs
      unsigned char hi = c == 0xED ? 0x9F : 0xBF;  // no surrogates
      if (!cont(i + 1, lo, hi) || !cont(i + 2)) return false;
      i += 3;
    } else if (c >= 0xF0 && c <= 0xF4) {
      unsigned char lo = c == 0xF0 ? 0x90 : 0x80;  // no overlongs
      unsigned char hi = c == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
      if (!cont(i + 1, lo, hi) || !cont(i + 2) || !cont(i + 3)) return false;
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace detail

using detail::as_bytes;
using detail::as_chars;
using detail::check_size;
using detail::value_error;

namespace {

std::uint64_t load_be(BytesView in) noexcept {
  std::uint64_t v = 0;
  for (std::uint8_t b : in)
    v = (v << 8) | b;
  return v;
}

void store_be(std::uint64_t v, std::size_t n, Bytes& out) {
  for (std::size_t i = n; i-- > 0;)
    out.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
}

template <typename T>
Status decode_fixed(BytesView in, std::string_view type, T& out) {
  if (Status s = check_size(in, sizeof(T), type); !s) return s;
  out = static_cast<T>(load_be(in));
  return {};
}

std::string describe_size(std::size_t n) {
  return std::to_string(n) + " bytes";
}

}  // namespace

// ---- text ----

Status decode_ascii(BytesView in, std::string_view& out) {
  auto it = std::find_if(in.begin(), in.end(), [](std::uint8_t b) { return b > 0x7F; });
  if (it != in.end()) {
    return value_error(errc::invalid_value, "ascii",
                       "non-ASCII byte at offset " + std::to_string(it - in.begin()));
  }
  out = as_chars(in);
  return {};
}

Status decode_text(BytesView in, std::string_view& out) {
  if (!detail::is_valid_utf8(as_chars(in))) {
    return value_error(errc::invalid_value, "text", "not valid UTF-8");
  }
  out = as_chars(in);
  return {};
}

Status encode_ascii(std::string_view v, Bytes& out) {
  std::string_view check;
  if (Status s = decode_ascii(as_bytes(v), check); !s) return s;
  out.insert(out.end(), v.begin(), v.end());
  return {};
}

Status encode_text(std::string_view v, Bytes& out) {
  std::string_view check;
  if (Status s = decode_text(as_bytes(v), check); !s) return s;
  out.insert(out.end(), v.begin(), v.end());
  return {};
}

// ---- fixed-size numbers ----

Status decode_boolean(BytesView in, bool& out) {
  if (Status s = check_size(in, 1, "boolean"); !s) return s;
  out = in[0] != 0;
  return {};
}
void encode_boolean(bool v, Bytes& out) {
  out.push_back(v ? 1 : 0);
}

Status decode_tinyint(BytesView in, std::int8_t& out) {
  return decode_fixed(in, "tinyint", out);
}
Status decode_smallint(BytesView in, std::int16_t& out) {
  return decode_fixed(in, "smallint", out);
}
Status decode_int(BytesView in, std::int32_t& out) {
  return decode_fixed(in, "int", out);
}
Status decode_bigint(BytesView in, std::int64_t& out) {
  return decode_fixed(in, "bigint", out);
}
void encode_tinyint(std::int8_t v, Bytes& out) {
  store_be(static_cast<std::uint8_t>(v), 1, out);
}
void encode_smallint(std::int16_t v, Bytes& out) {
  store_be(static_cast<std::uint16_t>(v), 2, out);
}
void encode_int(std::int32_t v, Bytes& out) {
  store_be(static_cast<std::uint32_t>(v), 4, out);
}
void encode_bigint(std::int64_t v, Bytes& out) {
  store_be(static_cast<std::uint64_t>(v), 8, out);
}

Status decode_float(BytesView in, float& out) {
  std::uint32_t bits = 0;
  if (Status s = decode_fixed(in, "float", bits); !s) return s;
  out = std::bit_cast<float>(bits);
  return {};
}
Status decode_double(BytesView in, double& out) {
  std::uint64_t bits = 0;
  if (Status s = decode_fixed(in, "double", bits); !s) return s;
  out = std::bit_cast<double>(bits);
  return {};
}
void encode_float(float v, Bytes& out) {
  store_be(std::bit_cast<std::uint32_t>(v), 4, out);
}
void encode_double(double v, Bytes& out) {
  store_be(std::bit_cast<std::uint64_t>(v), 8, out);
}

Status decode_timestamp(BytesView in, std::int64_t& out) {
  return decode_fixed(in, "timestamp", out);
}
void encode_timestamp(std::int64_t millis, Bytes& out) {
  store_be(static_cast<std::uint64_t>(millis), 8, out);
}

Status decode_date(BytesView in, std::uint32_t& out) {
  return decode_fixed(in, "date", out);
}
void encode_date(std::uint32_t days, Bytes& out) {
  store_be(days, 4, out);
}

namespace {
Status check_time(std::int64_t nanos) {
  if (nanos < 0 || nanos > kMaxTimeNanos) {
    return value_error(errc::invalid_value, "time",
                       std::to_string(nanos) + " outside 0.." + std::to_string(kMaxTimeNanos));
  }
  return {};
}
}  // namespace

Status decode_time(BytesView in, std::int64_t& out) {
  if (Status s = decode_fixed(in, "time", out); !s) return s;
  return check_time(out);
}
Status encode_time(std::int64_t nanos, Bytes& out) {
  if (Status s = check_time(nanos); !s) return s;
  store_be(static_cast<std::uint64_t>(nanos), 8, out);
  return {};
}

// ---- uuid, inet ----

Status decode_uuid(BytesView in, Uuid& out) {
  if (Status s = check_size(in, 16, "uuid"); !s) return s;
  std::copy(in.begin(), in.end(), out.begin());
  return {};
}

namespace {
Status check_timeuuid(const Uuid& u) {
  if ((u[6] & 0xF0) != 0x10) {
    return value_error(errc::invalid_value, "timeuuid",
                       "version " + std::to_string(u[6] >> 4) + ", expected 1");
  }
  return {};
}
}  // namespace

Status decode_timeuuid(BytesView in, Uuid& out) {
  if (Status s = check_size(in, 16, "timeuuid"); !s) return s;
  std::copy(in.begin(), in.end(), out.begin());
  return check_timeuuid(out);
}
void encode_uuid(const Uuid& v, Bytes& out) {
  out.insert(out.end(), v.begin(), v.end());
}
Status encode_timeuuid(const Uuid& v, Bytes& out) {
  if (Status s = check_timeuuid(v); !s) return s;
  encode_uuid(v, out);
  return {};
}

Status decode_inet(BytesView in, Inet& out) {
  if (in.size() != 4 && in.size() != 16) {
    return value_error(errc::invalid_value, "inet",
                       describe_size(in.size()) + ", expected 4 or 16");
  }
  out.address.assign(in.begin(), in.end());
  out.port = 0;
  return {};
}
Status encode_inet(const Inet& v, Bytes& out) {
  if (v.address.size() != 4 && v.address.size() != 16) {
    return value_error(errc::invalid_value, "inet",
                       describe_size(v.address.size()) + ", expected 4 or 16");
  }
  out.insert(out.end(), v.address.begin(), v.address.end());
  return {};
}

// ---- varint and decimal ----

Status decode_varint(BytesView in, std::int64_t& out) {
  if (in.empty()) return value_error(errc::invalid_value, "varint", "empty value");
  BytesView t = detail::trim_varint(in);
  if (t.size() > 8) return value_error(errc::invalid_value, "varint", "out of int64 range");
  std::uint64_t v = load_be(t);
  if (t[0] & 0x80) v |= ~std::uint64_t{0} << (8 * t.size() - 1);  // sign-extend
  out = static_cast<std::int64_t>(v);
  return {};
}

void encode_varint(std::int64_t v, Bytes& out) {
  Bytes tmp;
  store_be(static_cast<std::uint64_t>(v), 8, tmp);
  BytesView t = detail::trim_varint(tmp);
  out.insert(out.end(), t.begin(), t.end());
}

namespace {

// Little-endian 32-bit limbs of a magnitude; the text conversions of varint and decimal.
using Limbs = std::vector<std::uint32_t>;

void strip(Limbs& l) {
  while (!l.empty() && l.back() == 0)
    l.pop_back();
}

// Magnitude of a two's complement value; sets `negative`.
Limbs magnitude_of(BytesView t, bool& negative) {
  negative = !t.empty() && (t[0] & 0x80);
  Bytes mag(t.begin(), t.end());
  if (negative) {
    for (auto& b : mag)
      b = static_cast<std::uint8_t>(~b);
    for (std::size_t i = mag.size(); i-- > 0;) {
      if (++mag[i] != 0) break;
    }
  }
  Limbs limbs((mag.size() + 3) / 4, 0);
  for (std::size_t i = 0; i < mag.size(); ++i) {
    std::size_t from_end = mag.size() - 1 - i;
    limbs[from_end / 4] |= static_cast<std::uint32_t>(mag[i]) << (8 * (from_end % 4));
  }
  strip(limbs);
  return limbs;
}

constexpr std::uint32_t kChunk = 1'000'000'000;

std::string limbs_to_decimal(Limbs limbs) {
  std::vector<std::uint32_t> chunks;  // base 10^9, least significant first
  while (!limbs.empty()) {
    std::uint64_t rem = 0;
    for (std::size_t i = limbs.size(); i-- > 0;) {
      std::uint64_t cur = (rem << 32) | limbs[i];
      limbs[i] = static_cast<std::uint32_t>(cur / kChunk);
      rem = cur % kChunk;
    }
    strip(limbs);
    chunks.push_back(static_cast<std::uint32_t>(rem));
  }
  if (chunks.empty()) return "0";
  std::string s = std::to_string(chunks.back());
  for (std::size_t i = chunks.size() - 1; i-- > 0;) {
    std::string part = std::to_string(chunks[i]);
    s.append(9 - part.size(), '0');
    s += part;
  }
  return s;
}

// `digits` are all decimal digits.
Limbs decimal_to_limbs(std::string_view digits) {
  Limbs limbs;
  std::size_t pos = 0;
  while (pos < digits.size()) {
    std::size_t len = pos == 0 ? (digits.size() % 9 == 0 ? 9 : digits.size() % 9) : 9;
    std::uint32_t chunk = 0, scale = 1;
    for (std::size_t i = 0; i < len; ++i) {
      chunk = chunk * 10 + static_cast<std::uint32_t>(digits[pos + i] - '0');
      scale *= 10;
    }
    pos += len;
    std::uint64_t carry = chunk;
    for (auto& limb : limbs) {
      std::uint64_t cur = static_cast<std::uint64_t>(limb) * scale + carry;
      limb = static_cast<std::uint32_t>(cur);
      carry = cur >> 32;
    }
    if (carry) limbs.push_back(static_cast<std::uint32_t>(carry));
  }
  strip(limbs);
  return limbs;
}

void limbs_to_varint(const Limbs& limbs, bool negative, Bytes& out) {
  Bytes mag;
  for (std::size_t i = limbs.size(); i-- > 0;)
    store_be(limbs[i], 4, mag);
  auto first = std::find_if(mag.begin(), mag.end(), [](std::uint8_t b) { return b != 0; });
  mag.erase(mag.begin(), first);
  if (mag.empty()) {
    out.push_back(0x00);
    return;
  }
  if (negative) {
    for (auto& b : mag)
      b = static_cast<std::uint8_t>(~b);
    for (std::size_t i = mag.size(); i-- > 0;) {
      if (++mag[i] != 0) break;
    }
    if (!(mag[0] & 0x80)) mag.insert(mag.begin(), 0xFF);
  } else if (mag[0] & 0x80) {
    mag.insert(mag.begin(), 0x00);
  }
  BytesView t = detail::trim_varint(mag);
  out.insert(out.end(), t.begin(), t.end());
}

// Decimal digits of a varint of at most kMaxBigNumberBytes, e.g. "12", "-129".
Status varint_text(BytesView in, std::string_view type, std::string& out) {
  if (in.empty()) return value_error(errc::invalid_value, type, "empty varint");
  BytesView t = detail::trim_varint(in);
  if (t.size() > kMaxBigNumberBytes) {
    return value_error(errc::invalid_value, type,
                       describe_size(t.size()) + " is too long for text conversion");
  }
  bool negative = false;
  Limbs limbs = magnitude_of(t, negative);
  out = negative ? "-" : "";
  out += limbs_to_decimal(std::move(limbs));
  return {};
}

constexpr std::size_t kMaxBigNumberDigits = kMaxBigNumberBytes * 241 / 100;

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

Status varint_to_string(BytesView in, std::string& out) {
  return varint_text(in, "varint", out);
}

Status varint_from_string(std::string_view s, Bytes& out) {
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (!all_digits(digits)) {
    return value_error(errc::invalid_value, "varint",
                       "\"" + std::string(s) + "\" is not an integer");
  }
  if (digits.size() > kMaxBigNumberDigits) {
    return value_error(errc::invalid_value, "varint", "too many digits");
  }
  limbs_to_varint(decimal_to_limbs(digits), negative, out);
  return {};
}

Status decode_decimal(BytesView in, Decimal& out) {
  if (in.size() < 5) {
    return value_error(errc::incomplete, "decimal",
                       "expected at least 5 bytes, got " + std::to_string(in.size()));
  }
  out.scale = static_cast<std::int32_t>(load_be(in.first(4)));
  BytesView t = detail::trim_varint(in.subspan(4));
  out.unscaled.assign(t.begin(), t.end());
  return {};
}

Status encode_decimal(const Decimal& v, Bytes& out) {
  if (v.unscaled.empty())
    return value_error(errc::invalid_value, "decimal", "empty unscaled value");
  store_be(static_cast<std::uint32_t>(v.scale), 4, out);
  BytesView t = detail::trim_varint(v.unscaled);
  out.insert(out.end(), t.begin(), t.end());
  return {};
}

Status decimal_to_string(const Decimal& v, std::string& out) {
  std::string digits;
  if (Status s = varint_text(v.unscaled, "decimal", digits); !s) return s;
  bool negative = digits[0] == '-';
  std::string_view coeff(digits);
  if (negative) coeff.remove_prefix(1);
  const auto len = static_cast<std::int64_t>(coeff.size());
  const std::int64_t scale = v.scale;
  const std::int64_t adjusted = -scale + (len - 1);
  out = negative ? "-" : "";
  if (scale >= 0 && adjusted >= -6) {
    if (scale == 0) {
      out += coeff;
    } else if (len > scale) {
      out += coeff.substr(0, static_cast<std::size_t>(len - scale));
      out += '.';
      out += coeff.substr(static_cast<std::size_t>(len - scale));
    } else {
      out += "0.";
      out.append(static_cast<std::size_t>(scale - len), '0');
      out += coeff;
    }
  } else {
    out += coeff[0];
    if (len > 1) {
      out += '.';
      out += coeff.substr(1);
    }
    out += 'E';
    if (adjusted > 0) out += '+';
    out += std::to_string(adjusted);
  }
  return {};
}

Status parse_decimal(std::string_view s, Decimal& out) {
  auto bad = [&] {
    return value_error(errc::invalid_value, "decimal",
                       "\"" + std::string(s) + "\" is not a number");
  };
  std::string_view rest = s;
  bool negative = false;
  if (!rest.empty() && (rest[0] == '-' || rest[0] == '+')) {
    negative = rest[0] == '-';
    rest.remove_prefix(1);
  }
  std::size_t e = rest.find_first_of("eE");
  std::string_view mantissa = rest.substr(0, e);
  std::int64_t exponent = 0;
  if (e != std::string_view::npos) {
    std::string_view ex = rest.substr(e + 1);
    bool exp_negative = false;
    if (!ex.empty() && (ex[0] == '-' || ex[0] == '+')) {
      exp_negative = ex[0] == '-';
      ex.remove_prefix(1);
    }
    if (!all_digits(ex)) return bad();
    while (ex.size() > 1 && ex[0] == '0')
      ex.remove_prefix(1);
    if (ex.size() > 12) return value_error(errc::invalid_value, "decimal", "exponent out of range");
    for (char c : ex)
      exponent = exponent * 10 + (c - '0');
    if (exp_negative) exponent = -exponent;
  }
  std::size_t dot = mantissa.find('.');
  std::string_view int_part = mantissa.substr(0, dot);
  std::string_view frac_part =
      dot == std::string_view::npos ? std::string_view{} : mantissa.substr(dot + 1);
  if (int_part.empty() && frac_part.empty()) return bad();
  if ((!int_part.empty() && !all_digits(int_part)) ||
      (!frac_part.empty() && !all_digits(frac_part)))
    return bad();
  std::string coeff(int_part);
  coeff += frac_part;
  const std::int64_t scale = static_cast<std::int64_t>(frac_part.size()) - exponent;
  if (scale < INT32_MIN || scale > INT32_MAX) {
    return value_error(errc::invalid_value, "decimal", "scale out of int32 range");
  }
  std::size_t nz = coeff.find_first_not_of('0');
  std::string_view significant =
      nz == std::string::npos ? std::string_view("0") : std::string_view(coeff).substr(nz);
  if (significant.size() > kMaxBigNumberDigits) {
    return value_error(errc::invalid_value, "decimal", "too many digits");
  }
  out.scale = static_cast<std::int32_t>(scale);
  out.unscaled.clear();
  limbs_to_varint(decimal_to_limbs(significant), negative, out.unscaled);
  return {};
}

// ---- duration ----

namespace {

void write_unsigned_vint(std::uint64_t v, Bytes& out) {
  std::size_t n = 1;
  while (n < 9 && (v >> (7 * n)) != 0)
    ++n;
  if (n == 9) {
    out.push_back(0xFF);
    store_be(v, 8, out);
    return;
  }
  std::size_t at = out.size();
  store_be(v, n, out);
  out[at] |= static_cast<std::uint8_t>(~(0xFFu >> (n - 1)));
}

bool read_unsigned_vint(BytesView in, std::size_t& pos, std::uint64_t& v) {
  if (pos >= in.size()) return false;
  std::uint8_t first = in[pos++];
  int extra = std::countl_one(first);
  if (in.size() - pos < static_cast<std::size_t>(extra)) return false;
  v = extra == 8 ? 0 : (first & (0xFFu >> extra));
  for (int i = 0; i < extra; ++i)
    v = (v << 8) | in[pos++];
  return true;
}

std::int64_t unzigzag(std::uint64_t v) noexcept {
  return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
}
std::uint64_t zigzag(std::int64_t v) noexcept {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}

Status check_duration_signs(const Duration& d) {
  bool any_neg = d.months < 0 || d.days < 0 || d.nanoseconds < 0;
  bool any_pos = d.months > 0 || d.days > 0 || d.nanoseconds > 0;
  if (any_neg && any_pos) {
    return value_error(errc::invalid_value, "duration",
                       "months, days and nanoseconds must share a sign");
  }
  return {};
}

}  // namespace

Status decode_duration(BytesView in, Duration& out) {
  std::size_t pos = 0;
  std::int64_t parts[3] = {};
  static constexpr std::string_view kNames[3] = {"months", "days", "nanoseconds"};
  for (int i = 0; i < 3; ++i) {
    std::uint64_t raw = 0;
    if (!read_unsigned_vint(in, pos, raw)) {
      return value_error(errc::incomplete, "duration", "truncated " + std::string(kNames[i]));
    }
    parts[i] = unzigzag(raw);
  }
  if (pos != in.size()) {
    return value_error(errc::extra_bytes, "duration",
                       std::to_string(in.size() - pos) + " bytes after nanoseconds");
  }
  for (int i = 0; i < 2; ++i) {
    if (parts[i] < INT32_MIN || parts[i] > INT32_MAX) {
      return value_error(errc::invalid_value, "duration",
                         std::string(kNames[i]) + " out of int32 range");
    }
  }
  Duration d{static_cast<std::int32_t>(parts[0]), static_cast<std::int32_t>(parts[1]), parts[2]};
  if (Status s = check_duration_signs(d); !s) return s;
  out = d;
  return {};
}

Status encode_duration(const Duration& v, Bytes& out) {
  if (Status s = check_duration_signs(v); !s) return s;
  write_unsigned_vint(zigzag(v.months), out);
  write_unsigned_vint(zigzag(v.days), out);
  write_unsigned_vint(zigzag(v.nanoseconds), out);
  return {};
}

}  // namespace nosqlc::protocol
