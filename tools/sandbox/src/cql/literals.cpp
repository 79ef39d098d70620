// CQL constants as typed values, the checks on bound values, and Cassandra's value order.
#include "cql/literals.hpp"

#include <nosqlc/protocol/value_forms.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace nosqlc::sandbox {
namespace {

using protocol::Status;
using protocol::TypeId;
using K = cql::Constant::Kind;

ServerError invalid(std::string message) {
  return ServerError{protocol::ServerErrorCode::invalid, std::move(message), {}};
}

std::string_view kind_name(K k) {
  switch (k) {
    case K::string:
      return "STRING";
    case K::integer:
      return "INTEGER";
    case K::float_:
    case K::nan:
    case K::infinity:
      return "FLOAT";
    case K::boolean:
      return "BOOLEAN";
    case K::uuid:
      return "UUID";
    case K::blob:
      return "HEX";
    case K::duration:
      return "DURATION";
    case K::null:
      return "NULL";
  }
  return "UNKNOWN";
}

template <class Int>
bool parse_int(std::string_view s, Int& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool parse_double(std::string_view s, double& out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (p != s.data() + s.size()) return false;
  if (ec == std::errc::result_out_of_range) {
    // As Java's Double.parseDouble: too large is infinite, too small is zero.
    bool negative = !s.empty() && s.front() == '-';
    bool tiny =
        s.find_first_of("eE") != std::string_view::npos && s[s.find_first_of("eE") + 1] == '-';
    out = tiny ? (negative ? -0.0 : 0.0) : (negative ? -HUGE_VAL : HUGE_VAL);
    return true;
  }
  return ec == std::errc();
}

// Digits of a valid varint: "-123" -> (true, "123"). Zero is (false, "0").
std::pair<bool, std::string> varint_digits(BytesView v) {
  std::string s;
  if (!protocol::varint_to_string(v, s).ok()) s = "0";  // only for values past the bound
  bool negative = !s.empty() && s.front() == '-';
  if (negative) s.erase(0, 1);
  return {negative, s};
}

// Compares |a| * 10^-scale_a with |b| * 10^-scale_b, both given as decimal digit strings.
std::strong_ordering compare_magnitudes(std::string a, std::int64_t scale_a, std::string b,
                                        std::int64_t scale_b) {
  auto strip = [](std::string& d) {
    std::size_t nz = d.find_first_not_of('0');
    d = nz == std::string::npos ? std::string() : d.substr(nz);
  };
  strip(a);
  strip(b);
  if (a.empty() || b.empty()) return !a.empty() <=> !b.empty();
  // Digits before the decimal point; the larger count is the larger magnitude.
  std::int64_t int_a = static_cast<std::int64_t>(a.size()) - scale_a;
  std::int64_t int_b = static_cast<std::int64_t>(b.size()) - scale_b;
  if (int_a != int_b) return int_a <=> int_b;
  std::size_t n = std::max(a.size(), b.size());
  a.resize(n, '0');
  b.resize(n, '0');
  return a <=> b;
}

std::strong_ordering compare_numbers(bool neg_a, std::string a, std::int64_t sa, bool neg_b,
                                     std::string b, std::int64_t sb) {
  bool zero_a = a.find_first_not_of('0') == std::string::npos;
  bool zero_b = b.find_first_not_of('0') == std::string::npos;
  int sign_a = zero_a ? 0 : (neg_a ? -1 : 1);
  int sign_b = zero_b ? 0 : (neg_b ? -1 : 1);
  if (sign_a != sign_b) return sign_a <=> sign_b;
  auto m = compare_magnitudes(std::move(a), sa, std::move(b), sb);
  return sign_a < 0 ? 0 <=> m : m;
}

std::int64_t load_signed(BytesView v) {
  std::uint64_t u = 0;
  for (auto b : v)
    u = (u << 8) | b;
  unsigned bits = static_cast<unsigned>(v.size() * 8);
  if (bits < 64 && bits > 0 && (u >> (bits - 1)) & 1) u |= ~std::uint64_t{0} << bits;
  return static_cast<std::int64_t>(u);
}

// Java's Float.compare / Double.compare: -0 before +0, NaN after everything.
template <class F>
std::strong_ordering compare_floats(F a, F b) {
  bool na = std::isnan(a), nb = std::isnan(b);
  if (na || nb) return na <=> nb;
  if (a < b) return std::strong_ordering::less;
  if (a > b) return std::strong_ordering::greater;
  return std::signbit(b) <=> std::signbit(a);
}

std::int64_t uuid_time(BytesView u) {
  // time_low (4 bytes), time_mid (2), time_hi_and_version (2, version nibble dropped).
  std::uint64_t low =
      (std::uint64_t{u[0]} << 24) | (std::uint64_t{u[1]} << 16) | (std::uint64_t{u[2]} << 8) | u[3];
  std::uint64_t mid = (std::uint64_t{u[4]} << 8) | u[5];
  std::uint64_t hi = ((std::uint64_t{u[6]} & 0x0F) << 8) | u[7];
  return static_cast<std::int64_t>((hi << 48) | (mid << 32) | low);
}

std::strong_ordering compare_optional(const DataType& t, const std::optional<BytesView>& a,
                                      const std::optional<BytesView>& b) {
  if (!a || !b) return a.has_value() <=> b.has_value();
  return compare_values(t, *a, *b);
}

Expected<std::optional<Bytes>, ServerError> converted(Status st, Bytes bytes,
                                                      const cql::Constant& c, const DataType& t,
                                                      std::string_view receiver) {
  if (!st.ok()) {
    return unexpected(invalid("Invalid " + std::string(kind_name(c.kind)) + " constant (" + c.text +
                              ") for \"" + std::string(receiver) + "\" of type " +
                              protocol::to_cql(t)));
  }
  return std::optional<Bytes>(std::move(bytes));
}

}  // namespace

std::strong_ordering compare_bytes(BytesView a, BytesView b) noexcept {
  std::size_t n = std::min(a.size(), b.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return a[i] <=> b[i];
  }
  return a.size() <=> b.size();
}

std::optional<std::int64_t> parse_timestamp_literal(std::string_view s) {
  // yyyy-mm-dd, then optionally [T ]hh:mm[:ss[.fff]], then optionally a zone.
  auto digits = [&](std::size_t at, std::size_t n, int& out) {
    if (at + n > s.size()) return false;
    out = 0;
    for (std::size_t i = at; i < at + n; ++i) {
      if (s[i] < '0' || s[i] > '9') return false;
      out = out * 10 + (s[i] - '0');
    }
    return true;
  };
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, sec = 0, ms = 0;
  std::size_t i = 0;
  bool neg_year = !s.empty() && s[0] == '-';
  if (neg_year) ++i;
  std::size_t year_end = s.find('-', i);
  if (year_end == std::string_view::npos || year_end - i < 4 || year_end - i > 9) return {};
  if (!digits(i, year_end - i, y)) return {};
  i = year_end + 1;
  if (!digits(i, 2, mo) || i + 2 >= s.size() + 1) return {};
  i += 2;
  if (i >= s.size() || s[i] != '-' || !digits(i + 1, 2, d)) return {};
  i += 3;
  if (i < s.size() && (s[i] == 'T' || s[i] == ' ')) {
    if (!digits(i + 1, 2, h) || i + 3 >= s.size() || s[i + 3] != ':' || !digits(i + 4, 2, mi)) {
      return {};
    }
    i += 6;
    if (i < s.size() && s[i] == ':') {
      if (!digits(i + 1, 2, sec)) return {};
      i += 3;
      if (i < s.size() && s[i] == '.') {
        std::size_t start = ++i;
        while (i < s.size() && s[i] >= '0' && s[i] <= '9')
          ++i;
        std::size_t n = i - start;
        if (n == 0 || n > 3) return {};
        if (!digits(start, n, ms)) return {};
        for (std::size_t k = n; k < 3; ++k)
          ms *= 10;
      }
    }
  }
  std::int64_t offset_minutes = 0;
  if (i < s.size() && s[i] == ' ') ++i;
  if (i < s.size()) {
    if (s[i] == 'Z' && i + 1 == s.size()) {
      ++i;
    } else if (s[i] == '+' || s[i] == '-') {
      int zh = 0, zm = 0;
      int sign = s[i] == '-' ? -1 : 1;
      if (!digits(i + 1, 2, zh)) return {};
      std::size_t at = i + 3;
      if (at < s.size() && s[at] == ':') ++at;
      if (!digits(at, 2, zm) || at + 2 != s.size()) return {};
      if (zh > 18 || zm > 59 || zh * 60 + zm > 18 * 60) return {};  // java.time's range
      offset_minutes = sign * (zh * 60 + zm);
      i = s.size();
    } else {
      return {};
    }
  }
  if (i != s.size()) return {};
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 59) return {};
  protocol::CivilDate date{neg_year ? -y : y, static_cast<unsigned>(mo), static_cast<unsigned>(d)};
  std::int64_t days = protocol::days_from_civil(date);
  if (protocol::civil_from_days(days) != date) return {};  // e.g. February 30th
  std::int64_t secs = days * 86400 + h * 3600 + mi * 60 + sec - offset_minutes * 60;
  return secs * 1000 + ms;
}

Expected<std::optional<Bytes>, ServerError> literal_value(const cql::Constant& c, const DataType& t,
                                                          std::string_view receiver) {
  if (c.kind == K::null) return std::optional<Bytes>();
  Bytes out;
  Status bad;
  bad.code = protocol::make_error_code(protocol::errc::invalid_value);
  auto done = [&](Status st) { return converted(std::move(st), std::move(out), c, t, receiver); };
  auto fail = [&] { return done(bad); };
  const std::string& s = c.text;
  switch (t.id) {
    case TypeId::ascii:
      if (c.kind != K::string) return fail();
      return done(protocol::encode_ascii(s, out));
    case TypeId::varchar:
      if (c.kind != K::string) return fail();
      return done(protocol::encode_text(s, out));
    case TypeId::boolean:
      if (c.kind != K::boolean) return fail();
      protocol::encode_boolean(s == "true", out);
      return done({});
    case TypeId::tinyint:
    case TypeId::smallint:
    case TypeId::int_:
    case TypeId::bigint:
    case TypeId::counter: {
      std::int64_t v = 0;
      if (c.kind != K::integer || !parse_int(s, v)) return fail();
      if (t.id == TypeId::tinyint) {
        if (v < INT8_MIN || v > INT8_MAX) return fail();
        protocol::encode_tinyint(static_cast<std::int8_t>(v), out);
      } else if (t.id == TypeId::smallint) {
        if (v < INT16_MIN || v > INT16_MAX) return fail();
        protocol::encode_smallint(static_cast<std::int16_t>(v), out);
      } else if (t.id == TypeId::int_) {
        if (v < INT32_MIN || v > INT32_MAX) return fail();
        protocol::encode_int(static_cast<std::int32_t>(v), out);
      } else {
        protocol::encode_bigint(v, out);
      }
      return done({});
    }
    case TypeId::varint:
      if (c.kind != K::integer) return fail();
      return done(protocol::varint_from_string(s, out));
    case TypeId::decimal: {
      if (c.kind != K::integer && c.kind != K::float_) return fail();
      protocol::Decimal d;
      Status st = protocol::parse_decimal(s, d);
      if (st.ok()) st = protocol::encode_decimal(d, out);
      return done(std::move(st));
    }
    case TypeId::float_:
    case TypeId::double_: {
      double v = 0;
      if (c.kind == K::nan) {
        v = std::numeric_limits<double>::quiet_NaN();
      } else if (c.kind == K::infinity) {
        v = s.front() == '-' ? -HUGE_VAL : HUGE_VAL;
      } else if ((c.kind != K::integer && c.kind != K::float_) || !parse_double(s, v)) {
        return fail();
      }
      if (t.id == TypeId::float_) {
        protocol::encode_float(static_cast<float>(v), out);
      } else {
        protocol::encode_double(v, out);
      }
      return done({});
    }
    case TypeId::timestamp: {
      std::int64_t ms = 0;
      if (c.kind == K::integer) {
        if (!parse_int(s, ms)) return fail();
      } else if (c.kind == K::string) {
        auto parsed = parse_timestamp_literal(s);
        if (!parsed && !parse_int(s, ms)) return fail();
        if (parsed) ms = *parsed;
      } else {
        return fail();
      }
      protocol::encode_timestamp(ms, out);
      return done({});
    }
    case TypeId::date: {
      std::uint32_t days = 0;
      if (c.kind == K::string) {
        if (!protocol::parse_date(s, days).ok()) return fail();
      } else if (c.kind != K::integer || !parse_int(s, days)) {
        return fail();
      }
      protocol::encode_date(days, out);
      return done({});
    }
    case TypeId::time: {
      std::int64_t nanos = 0;
      Status st = bad;
      if (c.kind == K::string) {
        st = protocol::parse_time(s, nanos);
      } else if (c.kind == K::integer && parse_int(s, nanos)) {
        st = {};
      }
      if (st.ok()) st = protocol::encode_time(nanos, out);
      return done(std::move(st));
    }
    case TypeId::uuid:
    case TypeId::timeuuid: {
      if (c.kind != K::uuid) return fail();
      protocol::Uuid u{};
      Status st = protocol::parse_uuid(s, u);
      if (st.ok()) {
        if (t.id == TypeId::uuid) {
          protocol::encode_uuid(u, out);
        } else {
          st = protocol::encode_timeuuid(u, out);
        }
      }
      return done(std::move(st));
    }
    case TypeId::inet: {
      if (c.kind != K::string) return fail();
      protocol::Inet a;
      Status st = protocol::parse_inet(s, a);
      if (st.ok()) st = protocol::encode_inet(a, out);
      return done(std::move(st));
    }
    case TypeId::blob:
    case TypeId::custom:
      if (c.kind != K::blob) return fail();
      return done(protocol::parse_blob(s, out));
    case TypeId::duration: {
      if (c.kind != K::duration && c.kind != K::string) return fail();
      protocol::Duration d;
      Status st = protocol::parse_duration(s, d);
      if (st.ok()) st = protocol::encode_duration(d, out);
      return done(std::move(st));
    }
    default:
      return fail();  // a collection, tuple or UDT receiving a constant
  }
}

namespace {

int type_depth(const DataType& t) {
  int d = 0;
  for (const DataType& p : t.params)
    d = std::max(d, type_depth(p));
  return d + 1;
}

// A value of `t` is well formed. lib/protocol's decoders stop at kMaxTypeDepth levels; the
// sandbox takes types nested deeper (as Cassandra does), whose outer levels are checked here,
// one at a time, tuples as TupleType.split reads them (trailing components may be missing).
Status check_value(const DataType& t, BytesView value) {
  if (type_depth(t) <= protocol::kMaxTypeDepth) {
    boost::json::value ignored;
    return protocol::decode_to_json(t, value, ignored);
  }
  Status st;
  switch (t.id) {
    case TypeId::list:
    case TypeId::set: {
      std::vector<BytesView> elements;
      st = protocol::decode_collection(value, elements);
      for (std::size_t i = 0; st.ok() && i < elements.size(); ++i)
        st = check_value(t.params[0], elements[i]);
      return st;
    }
    case TypeId::map: {
      std::vector<std::pair<BytesView, BytesView>> entries;
      st = protocol::decode_map(value, entries);
      for (std::size_t i = 0; st.ok() && i < entries.size(); ++i) {
        st = check_value(t.params[0], entries[i].first);
        if (st.ok()) st = check_value(t.params[1], entries[i].second);
      }
      return st;
    }
    case TypeId::tuple: {
      std::vector<std::optional<BytesView>> parts;
      st = protocol::decode_udt(value, t.params.size(), parts);
      for (std::size_t i = 0; st.ok() && i < parts.size(); ++i) {
        if (parts[i]) st = check_value(t.params[i], *parts[i]);
      }
      return st;
    }
    default: {
      boost::json::value ignored;
      return protocol::decode_to_json(t, value, ignored);
    }
  }
}

}  // namespace

std::optional<ServerError> validate_value(const DataType& type, BytesView value,
                                          std::string_view receiver) {
  Status st;
  switch (type.id) {
    case TypeId::blob:
    case TypeId::custom:
      return std::nullopt;
    case TypeId::varchar: {
      std::string_view v;
      st = protocol::decode_text(value, v);
      break;
    }
    case TypeId::ascii: {
      std::string_view v;
      st = protocol::decode_ascii(value, v);
      break;
    }
    default:
      st = check_value(type, value);
  }
  if (st.ok()) return std::nullopt;
  return invalid("Invalid value for " + std::string(receiver) + " of type " +
                 protocol::to_cql(type) + ": " + st.message);
}

std::strong_ordering compare_values(const DataType& t, BytesView a, BytesView b) {
  // Cassandra's legacy empty values sort first for every type.
  if (a.empty() || b.empty()) {
    if (t.id != TypeId::varchar && t.id != TypeId::ascii && t.id != TypeId::blob) {
      if (a.empty() != b.empty()) return b.empty() <=> a.empty();
    }
  }
  switch (t.id) {
    case TypeId::tinyint:
    case TypeId::smallint:
    case TypeId::int_:
    case TypeId::bigint:
    case TypeId::counter:
    case TypeId::timestamp:
    case TypeId::time:
      if (a.empty() || b.empty()) break;
      return load_signed(a) <=> load_signed(b);
    case TypeId::float_: {
      float x = 0, y = 0;
      if (protocol::decode_float(a, x).ok() && protocol::decode_float(b, y).ok()) {
        return compare_floats(x, y);
      }
      break;
    }
    case TypeId::double_: {
      double x = 0, y = 0;
      if (protocol::decode_double(a, x).ok() && protocol::decode_double(b, y).ok()) {
        return compare_floats(x, y);
      }
      break;
    }
    case TypeId::varint: {
      auto [na, da] = varint_digits(a);
      auto [nb, db] = varint_digits(b);
      return compare_numbers(na, std::move(da), 0, nb, std::move(db), 0);
    }
    case TypeId::decimal: {
      protocol::Decimal x, y;
      if (!protocol::decode_decimal(a, x).ok() || !protocol::decode_decimal(b, y).ok()) break;
      auto [na, da] = varint_digits(x.unscaled);
      auto [nb, db] = varint_digits(y.unscaled);
      return compare_numbers(na, std::move(da), x.scale, nb, std::move(db), y.scale);
    }
    case TypeId::uuid:
    case TypeId::timeuuid: {
      if (a.size() != 16 || b.size() != 16) break;
      int va = a[6] >> 4, vb = b[6] >> 4;
      if (va != vb) return va <=> vb;
      if (va == 1) {
        if (auto c = uuid_time(a) <=> uuid_time(b); c != 0) return c;
      }
      break;
    }
    case TypeId::list:
    case TypeId::set: {
      std::vector<BytesView> x, y;
      if (!protocol::decode_collection(a, x).ok() || !protocol::decode_collection(b, y).ok()) {
        break;
      }
      for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (auto c = compare_values(t.params[0], x[i], y[i]); c != 0) return c;
      }
      return x.size() <=> y.size();
    }
    case TypeId::map: {
      std::vector<std::pair<BytesView, BytesView>> x, y;
      if (!protocol::decode_map(a, x).ok() || !protocol::decode_map(b, y).ok()) break;
      for (std::size_t i = 0; i < x.size() && i < y.size(); ++i) {
        if (auto c = compare_values(t.params[0], x[i].first, y[i].first); c != 0) return c;
        if (auto c = compare_values(t.params[1], x[i].second, y[i].second); c != 0) return c;
      }
      return x.size() <=> y.size();
    }
    case TypeId::tuple:
    case TypeId::udt: {
      std::vector<std::optional<BytesView>> x, y;
      bool ok = t.id == TypeId::tuple ? protocol::decode_tuple(a, t.params.size(), x).ok() &&
                                            protocol::decode_tuple(b, t.params.size(), y).ok()
                                      : protocol::decode_udt(a, t.params.size(), x).ok() &&
                                            protocol::decode_udt(b, t.params.size(), y).ok();
      if (!ok) break;
      for (std::size_t i = 0; i < t.params.size(); ++i) {
        if (auto c = compare_optional(t.params[i], x[i], y[i]); c != 0) return c;
      }
      return std::strong_ordering::equal;
    }
    default:
      break;
  }
  return compare_bytes(a, b);
}

Bytes normalize_collection(const DataType& t, BytesView value) {
  Bytes out;
  if (t.id == TypeId::set) {
    std::vector<BytesView> elems;
    if (!protocol::decode_collection(value, elems).ok()) return Bytes(value.begin(), value.end());
    const DataType& et = t.params[0];
    std::stable_sort(elems.begin(), elems.end(),
                     [&](BytesView x, BytesView y) { return compare_values(et, x, y) < 0; });
    auto last = std::unique(elems.begin(), elems.end(), [&](BytesView x, BytesView y) {
      return compare_values(et, x, y) == 0;
    });
    elems.erase(last, elems.end());
    (void)protocol::encode_collection(elems, out);
    return out;
  }
  if (t.id == TypeId::map) {
    std::vector<std::pair<BytesView, BytesView>> entries;
    if (!protocol::decode_map(value, entries).ok()) return Bytes(value.begin(), value.end());
    const DataType& kt = t.params[0];
    std::stable_sort(entries.begin(), entries.end(), [&](const auto& x, const auto& y) {
      return compare_values(kt, x.first, y.first) < 0;
    });
    // Keep the last of equal keys: walk backwards keeping first-seen.
    std::vector<std::pair<BytesView, BytesView>> kept;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      bool repeated =
          i + 1 < entries.size() && compare_values(kt, entries[i].first, entries[i + 1].first) == 0;
      if (!repeated) kept.push_back(entries[i]);
    }
    (void)protocol::encode_map(kept, out);
    return out;
  }
  return Bytes(value.begin(), value.end());
}

}  // namespace nosqlc::sandbox
