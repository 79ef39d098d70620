// Text forms of CQL values: dates, times, durations, uuids, addresses, blobs.
#include "../values_internal.hpp"
#include "nosqlc/protocol/value_forms.hpp"

#include <array>
#include <cstdio>

namespace nosqlc::protocol {

using detail::value_error;

namespace {

constexpr std::int64_t kMillisPerDay = 86'400'000;
constexpr std::int64_t kNanosPerSecond = 1'000'000'000;
constexpr char kHex[] = "0123456789abcdef";

// A cursor over text being parsed; each step returns false when the text does not match.
struct Scanner {
  std::string_view s;
  std::size_t pos = 0;

  bool at_end() const { return pos == s.size(); }
  bool peek(char c) const { return pos < s.size() && s[pos] == c; }
  bool accept(char c) {
    if (!peek(c)) return false;
    ++pos;
    return true;
  }
  // Between min and max decimal digits into v (max <= 18, so v cannot overflow).
  bool digits(std::size_t min, std::size_t max, std::int64_t& v, std::size_t* count = nullptr) {
    std::size_t n = 0;
    v = 0;
    while (pos < s.size() && n < max && s[pos] >= '0' && s[pos] <= '9') {
      v = v * 10 + (s[pos++] - '0');
      ++n;
    }
    if (count) *count = n;
    return n >= min;
  }
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

void append_padded(std::string& out, std::uint64_t v, std::size_t width) {
  std::string d = std::to_string(v);
  if (d.size() < width) out.append(width - d.size(), '0');
  out += d;
}

std::string format_year(std::int64_t y) {
  std::string out;
  if (y > 9999) out += '+';
  if (y < 0) out += '-';
  std::uint64_t mag = y < 0 ? 0 - static_cast<std::uint64_t>(y) : static_cast<std::uint64_t>(y);
  append_padded(out, mag, 4);
  return out;
}

std::string format_civil(std::int64_t days) {
  CivilDate c = civil_from_days(days);
  std::string out = format_year(c.year);
  out += '-';
  append_padded(out, c.month, 2);
  out += '-';
  append_padded(out, c.day, 2);
  return out;
}

bool is_leap(std::int64_t y) {
  return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
}

unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}

// [+-]digits-MM-DD, into days since the epoch.
bool scan_civil(Scanner& sc, std::int64_t& days) {
  bool negative = false;
  if (sc.accept('-')) {
    negative = true;
  } else {
    sc.accept('+');
  }
  std::int64_t y = 0, m = 0, d = 0;
  if (!sc.digits(1, 12, y) || !sc.accept('-') || !sc.digits(2, 2, m) || !sc.accept('-') ||
      !sc.digits(2, 2, d)) {
    return false;
  }
  if (negative) y = -y;
  if (m < 1 || m > 12 || d < 1 || d > days_in_month(y, static_cast<unsigned>(m))) return false;
  days = days_from_civil({y, static_cast<unsigned>(m), static_cast<unsigned>(d)});
  return true;
}

// [H]H:MM:SS, then optionally '.' and 1..max_fraction digits; `fraction` is in units of the
// last digit position (milliseconds for 3, nanoseconds for 9).
bool scan_clock(Scanner& sc, std::size_t max_fraction, std::int64_t& seconds,
                std::int64_t& fraction) {
  std::int64_t h = 0, m = 0, s = 0;
  if (!sc.digits(1, 2, h) || !sc.accept(':') || !sc.digits(2, 2, m) || !sc.accept(':') ||
      !sc.digits(2, 2, s)) {
    return false;
  }
  if (h > 23 || m > 59 || s > 59) return false;
  seconds = h * 3600 + m * 60 + s;
  fraction = 0;
  if (sc.accept('.')) {
    std::size_t n = 0;
    if (!sc.digits(1, max_fraction, fraction, &n)) return false;
    for (; n < max_fraction; ++n)
      fraction *= 10;
  }
  return true;
}

Status bad_text(std::string_view type, std::string_view s, std::string_view expected) {
  std::string detail = "\"" + std::string(s.substr(0, 64)) + "\" is not " + std::string(expected);
  return value_error(errc::invalid_value, type, detail);
}

std::string dotted(const std::uint8_t* b) {
  std::string out;
  for (int i = 0; i < 4; ++i) {
    if (i) out += '.';
    out += std::to_string(b[i]);
  }
  return out;
}

bool parse_ipv4(std::string_view s, std::uint8_t* out) {
  Scanner sc{s};
  for (int i = 0; i < 4; ++i) {
    if (i && !sc.accept('.')) return false;
    std::size_t start = sc.pos, n = 0;
    std::int64_t v = 0;
    if (!sc.digits(1, 3, v, &n) || v > 255 || (n > 1 && s[start] == '0')) return false;
    out[i] = static_cast<std::uint8_t>(v);
  }
  return sc.at_end();
}

// Colon-separated groups of `part` (may be empty: no groups); the last may be a dotted quad
// when `dotted_last`. Appends 16-bit groups to `groups`.
bool parse_groups(std::string_view part, bool dotted_last, std::vector<std::uint16_t>& groups) {
  if (part.empty()) return true;
  std::size_t start = 0;
  while (true) {
    std::size_t colon = part.find(':', start);
    std::string_view g =
        part.substr(start, colon == std::string_view::npos ? colon : colon - start);
    bool last = colon == std::string_view::npos;
    if (last && dotted_last && g.find('.') != std::string_view::npos) {
      std::uint8_t b[4];
      if (!parse_ipv4(g, b)) return false;
      groups.push_back(static_cast<std::uint16_t>(b[0] << 8 | b[1]));
      groups.push_back(static_cast<std::uint16_t>(b[2] << 8 | b[3]));
      return true;
    }
    if (g.empty() || g.size() > 4) return false;
    std::uint16_t v = 0;
    for (char c : g) {
      int h = hex_value(c);
      if (h < 0) return false;
      v = static_cast<std::uint16_t>(v << 4 | h);
    }
    groups.push_back(v);
    if (last) return true;
    start = colon + 1;
  }
}

bool parse_ipv6(std::string_view s, std::uint8_t* out) {
  std::vector<std::uint16_t> head, tail;
  std::size_t gap = s.find("::");
  if (gap == std::string_view::npos) {
    if (!parse_groups(s, true, head) || head.size() != 8) return false;
  } else {
    std::string_view after = s.substr(gap + 2);
    if (after.find("::") != std::string_view::npos) return false;
    if (!parse_groups(s.substr(0, gap), false, head) || !parse_groups(after, true, tail)) {
      return false;
    }
    if (head.size() + tail.size() > 7) return false;
    head.resize(8 - tail.size(), 0);
    head.insert(head.end(), tail.begin(), tail.end());
  }
  for (int i = 0; i < 8; ++i) {
    out[2 * i] = static_cast<std::uint8_t>(head[i] >> 8);
    out[2 * i + 1] = static_cast<std::uint8_t>(head[i]);
  }
  return true;
}

}  // namespace

// ---- calendar ----

CivilDate civil_from_days(std::int64_t days) noexcept {
  const std::int64_t z = days + 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const std::int64_t doe = z - era * 146097;
  const std::int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const std::int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const std::int64_t mp = (5 * doy + 2) / 153;
  const auto d = static_cast<unsigned>(doy - (153 * mp + 2) / 5 + 1);
  const auto m = static_cast<unsigned>(mp < 10 ? mp + 3 : mp - 9);
  return {yoe + era * 400 + (m <= 2 ? 1 : 0), m, d};
}

std::int64_t days_from_civil(const CivilDate& c) noexcept {
  const std::int64_t y = c.year - (c.month <= 2 ? 1 : 0);
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const std::int64_t yoe = y - era * 400;
  const std::int64_t mp = c.month > 2 ? c.month - 3 : c.month + 9;
  const std::int64_t doy = (153 * mp + 2) / 5 + c.day - 1;
  const std::int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// ---- date, time, timestamp ----

std::string format_date(std::uint32_t days) {
  return format_civil(static_cast<std::int64_t>(days) - kDateEpoch);
}

Status parse_date(std::string_view s, std::uint32_t& out) {
  Scanner sc{s};
  std::int64_t days = 0;
  if (!scan_civil(sc, days) || !sc.at_end()) return bad_text("date", s, "a YYYY-MM-DD date");
  if (days < -static_cast<std::int64_t>(kDateEpoch) || days > INT32_MAX) {
    return value_error(errc::invalid_value, "date", "\"" + std::string(s) + "\" out of range");
  }
  out = static_cast<std::uint32_t>(days + kDateEpoch);
  return {};
}

std::string format_time(std::int64_t nanos) {
  std::int64_t secs = nanos / kNanosPerSecond;
  std::string out;
  append_padded(out, static_cast<std::uint64_t>(secs / 3600), 2);
  out += ':';
  append_padded(out, static_cast<std::uint64_t>(secs / 60 % 60), 2);
  out += ':';
  append_padded(out, static_cast<std::uint64_t>(secs % 60), 2);
  out += '.';
  append_padded(out, static_cast<std::uint64_t>(nanos % kNanosPerSecond), 9);
  return out;
}

Status parse_time(std::string_view s, std::int64_t& out) {
  Scanner sc{s};
  std::int64_t secs = 0, frac = 0;
  if (!scan_clock(sc, 9, secs, frac) || !sc.at_end()) {
    return bad_text("time", s, "a HH:MM:SS.nnnnnnnnn time");
  }
  out = secs * kNanosPerSecond + frac;
  return {};
}

std::string format_timestamp(std::int64_t millis) {
  std::int64_t days = millis / kMillisPerDay;
  std::int64_t rem = millis % kMillisPerDay;
  if (rem < 0) {
    --days;
    rem += kMillisPerDay;
  }
  std::string out = format_civil(days);
  out += 'T';
  std::string clock = format_time(rem * 1'000'000);
  out += clock.substr(0, 12);  // HH:MM:SS.mmm
  out += 'Z';
  return out;
}

Status parse_timestamp(std::string_view s, std::int64_t& out) {
  Scanner sc{s};
  std::int64_t days = 0, secs = 0, frac = 0;
  if (!scan_civil(sc, days) || !(sc.accept('T') || sc.accept(' ')) ||
      !scan_clock(sc, 3, secs, frac) || !sc.accept('Z') || !sc.at_end()) {
    return bad_text("timestamp", s, "a YYYY-MM-DDTHH:MM:SS.mmmZ timestamp");
  }
  // Before the epoch, count from the end of the day so that INT64_MIN itself is reachable.
  std::int64_t tod = secs * 1000 + frac;
  if (days < 0) {
    ++days;
    tod -= kMillisPerDay;
  }
  std::int64_t ms = 0;
  if (__builtin_mul_overflow(days, kMillisPerDay, &ms) || __builtin_add_overflow(ms, tod, &ms)) {
    return value_error(errc::invalid_value, "timestamp", "\"" + std::string(s) + "\" out of range");
  }
  out = ms;
  return {};
}

// ---- duration ----

namespace {

struct DurationUnit {
  std::string_view name;
  int field;  // 0 months, 1 days, 2 nanoseconds
  std::uint64_t factor;
};
// In the order a literal must list them; match_unit prefers the longest name ("ms" over "m").
constexpr DurationUnit kUnits[] = {
    {"y", 0, 12},
    {"mo", 0, 1},
    {"w", 1, 7},
    {"d", 1, 1},
    {"h", 2, 3'600'000'000'000},
    {"m", 2, 60'000'000'000},
    {"s", 2, 1'000'000'000},
    {"ms", 2, 1'000'000},
    {"us", 2, 1'000},
    {"ns", 2, 1},
};

bool match_unit(std::string_view rest, std::size_t& index, std::size_t& length) {
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
  std::size_t best = SIZE_MAX, best_len = 0;
  for (std::size_t i = 0; i < std::size(kUnits); ++i) {
    std::string_view n = kUnits[i].name;
    if (n.size() > rest.size() || n.size() <= best_len) continue;
    bool eq = true;
    for (std::size_t k = 0; k < n.size(); ++k)
      eq = eq && lower(rest[k]) == n[k];
    if (eq) {
      best = i;
      best_len = n.size();
    }
  }
  for (std::string_view micro : {"\xC2\xB5s", "\xCE\xBCs", "\xC2\xB5S", "\xCE\xBCS"}) {
    if (rest.substr(0, micro.size()) == micro && micro.size() > best_len) {
      best = 8;
      best_len = micro.size();
    }
  }
  index = best;
  length = best_len;
  return best != SIZE_MAX;
}

}  // namespace

std::string format_duration(const Duration& v) {
  auto mag = [](std::int64_t x) {
    return x < 0 ? 0 - static_cast<std::uint64_t>(x) : static_cast<std::uint64_t>(x);
  };
  std::string out;
  if (v.months < 0 || v.days < 0 || v.nanoseconds < 0) out += '-';
  std::size_t start = out.size();
  auto put = [&](std::uint64_t n, std::string_view unit) {
    if (n == 0) return;
    out += std::to_string(n);
    out += unit;
  };
  std::uint64_t months = mag(v.months), nanos = mag(v.nanoseconds);
  put(months / 12, "y");
  put(months % 12, "mo");
  put(mag(v.days), "d");
  for (std::size_t i = 4; i < std::size(kUnits); ++i) {
    put(nanos / kUnits[i].factor, kUnits[i].name);
    nanos %= kUnits[i].factor;
  }
  if (out.size() == start) out = "0s";
  return out;
}

Status parse_duration(std::string_view s, Duration& out) {
  auto bad = [&] { return bad_text("duration", s, "a duration like 1d2h3m"); };
  std::string_view rest = s;
  bool negative = !rest.empty() && rest[0] == '-';
  if (negative) rest.remove_prefix(1);
  if (rest.empty()) return bad();
  std::uint64_t totals[3] = {0, 0, 0};
  std::size_t next_unit = 0;
  while (!rest.empty()) {
    std::uint64_t n = 0;
    std::size_t digits = 0;
    while (digits < rest.size() && rest[digits] >= '0' && rest[digits] <= '9') {
      if (__builtin_mul_overflow(n, 10u, &n) ||
          __builtin_add_overflow(n, static_cast<unsigned>(rest[digits] - '0'), &n)) {
        return value_error(errc::invalid_value, "duration", "number out of range");
      }
      ++digits;
    }
    if (digits == 0) return bad();
    rest.remove_prefix(digits);
    std::size_t unit = 0, len = 0;
    if (!match_unit(rest, unit, len) || unit < next_unit) return bad();
    rest.remove_prefix(len);
    next_unit = unit + 1;
    std::uint64_t add = 0;
    auto& total = totals[kUnits[unit].field];
    if (__builtin_mul_overflow(n, kUnits[unit].factor, &add) ||
        __builtin_add_overflow(total, add, &total)) {
      return value_error(errc::invalid_value, "duration", "number out of range");
    }
  }
  const std::uint64_t limit32 = negative ? 0x80000000u : 0x7FFFFFFFu;
  const std::uint64_t limit64 = negative ? (std::uint64_t{1} << 63) : INT64_MAX;
  if (totals[0] > limit32 || totals[1] > limit32 || totals[2] > limit64) {
    return value_error(errc::invalid_value, "duration", "\"" + std::string(s) + "\" out of range");
  }
  auto apply = [&](std::uint64_t m) {
    return negative ? static_cast<std::int64_t>(0 - m) : static_cast<std::int64_t>(m);
  };
  out = Duration{static_cast<std::int32_t>(apply(totals[0])),
                 static_cast<std::int32_t>(apply(totals[1])), apply(totals[2])};
  return {};
}

// ---- uuid, inet, blob ----

std::string format_uuid(const Uuid& v) {
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kHex[v[i] >> 4];
    out += kHex[v[i] & 15];
  }
  return out;
}

Status parse_uuid(std::string_view s, Uuid& out) {
  auto bad = [&] { return bad_text("uuid", s, "a uuid"); };
  if (s.size() != 36) return bad();
  Uuid u{};
  std::size_t at = 0;
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      if (s[at++] != '-') return bad();
    }
    int hi = hex_value(s[at]), lo = hex_value(s[at + 1]);
    if (hi < 0 || lo < 0) return bad();
    u[i] = static_cast<std::uint8_t>(hi << 4 | lo);
    at += 2;
  }
  out = u;
  return {};
}

std::string format_inet(BytesView a) {
  if (a.size() == 4) return dotted(a.data());
  if (a.size() != 16) return {};
  std::array<std::uint16_t, 8> g{};
  for (std::size_t i = 0; i < 8; ++i)
    g[i] = static_cast<std::uint16_t>(a[2 * i] << 8 | a[2 * i + 1]);
  if (g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xFFFF) {
    return "::ffff:" + dotted(a.data() + 12);  // IPv4-mapped, RFC 5952 section 5
  }
  std::size_t best = 8, best_len = 1;  // a run must be at least 2 groups long
  for (std::size_t i = 0; i < 8;) {
    if (g[i] != 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < 8 && g[j] == 0)
      ++j;
    if (j - i > best_len) {
      best = i;
      best_len = j - i;
    }
    i = j;
  }
  std::string out;
  for (std::size_t i = 0; i < 8; ++i) {
    if (i == best) {
      out += "::";
      i += best_len - 1;
      continue;
    }
    if (!out.empty() && out.back() != ':') out += ':';
    char buf[8];
    std::snprintf(buf, sizeof buf, "%x", g[i]);
    out += buf;
  }
  return out;
}

Status parse_inet(std::string_view s, Inet& out) {
  std::uint8_t b[16];
  if (s.find(':') == std::string_view::npos) {
    if (!parse_ipv4(s, b)) return bad_text("inet", s, "an IPv4 or IPv6 address");
    out.address.assign(b, b + 4);
  } else {
    if (!parse_ipv6(s, b)) return bad_text("inet", s, "an IPv4 or IPv6 address");
    out.address.assign(b, b + 16);
  }
  out.port = 0;
  return {};
}

std::string format_blob(BytesView b) {
  std::string out = "0x";
  out.reserve(2 + 2 * b.size());
  for (std::uint8_t c : b) {
    out += kHex[c >> 4];
    out += kHex[c & 15];
  }
  return out;
}

Status parse_blob(std::string_view s, Bytes& out) {
  if (s.size() < 2 || s[0] != '0' || (s[1] != 'x' && s[1] != 'X') || s.size() % 2 != 0) {
    return bad_text("blob", s, "0x followed by hex digit pairs");
  }
  Bytes b;
  b.reserve(s.size() / 2 - 1);
  for (std::size_t i = 2; i < s.size(); i += 2) {
    int hi = hex_value(s[i]), lo = hex_value(s[i + 1]);
    if (hi < 0 || lo < 0) return bad_text("blob", s, "0x followed by hex digit pairs");
    b.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  out.insert(out.end(), b.begin(), b.end());
  return {};
}

}  // namespace nosqlc::protocol
