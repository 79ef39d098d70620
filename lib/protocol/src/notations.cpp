#include "nosqlc/protocol/notations.hpp"

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstring>

namespace nosqlc::protocol {
namespace {

constexpr std::pair<Consistency, std::string_view> kConsistencyNames[] = {
    {Consistency::any, "ANY"},
    {Consistency::one, "ONE"},
    {Consistency::two, "TWO"},
    {Consistency::three, "THREE"},
    {Consistency::quorum, "QUORUM"},
    {Consistency::all, "ALL"},
    {Consistency::local_quorum, "LOCAL_QUORUM"},
    {Consistency::each_quorum, "EACH_QUORUM"},
    {Consistency::serial, "SERIAL"},
    {Consistency::local_serial, "LOCAL_SERIAL"},
    {Consistency::local_one, "LOCAL_ONE"},
};

std::string describe(errc code, std::string_view what, std::size_t offset) {
  std::string m = make_error_code(code).message();
  m += " reading ";
  m += what;
  m += " at offset ";
  m += std::to_string(offset);
  return m;
}

}  // namespace

std::string_view to_string(Consistency c) noexcept {
  for (const auto& [value, name] : kConsistencyNames) {
    if (value == c) return name;
  }
  return "UNKNOWN";
}

std::optional<Consistency> consistency_from_string(std::string_view s) noexcept {
  for (const auto& [value, name] : kConsistencyNames) {
    if (std::equal(s.begin(), s.end(), name.begin(), name.end(), [](char a, char b) {
          return std::toupper(static_cast<unsigned char>(a)) == b;
        })) {
      return value;
    }
  }
  return std::nullopt;
}

bool Value::operator==(const Value& o) const noexcept {
  return kind == o.kind && std::equal(bytes.begin(), bytes.end(), o.bytes.begin(), o.bytes.end());
}

// ---- Reader ----

void Reader::fail(errc code, std::string_view what) {
  if (!status_.ok()) return;
  status_.code = make_error_code(code);
  status_.message = describe(code, what, offset());
  pos_ = data_.size();  // later reads fail fast without touching memory
}

void Reader::expect_end(std::string_view what) {
  if (ok() && !at_end()) fail(errc::extra_bytes, what);
}

bool Reader::check_count(std::int64_t count, std::size_t min_size, std::string_view what) {
  if (!ok()) return false;
  if (count < 0 || (min_size > 0 && static_cast<std::uint64_t>(count) > remaining() / min_size)) {
    fail(errc::invalid_length, what);
    return false;
  }
  return true;
}

bool Reader::need(std::size_t n, std::string_view what) {
  if (!ok()) return false;
  if (remaining() < n) {
    fail(errc::incomplete, what);
    return false;
  }
  return true;
}

std::uint8_t Reader::u8(std::string_view what) {
  if (!need(1, what)) return 0;
  return data_[pos_++];
}

std::uint16_t Reader::u16(std::string_view what) {
  if (!need(2, what)) return 0;
  std::uint16_t v = static_cast<std::uint16_t>((data_[pos_] << 8) | data_[pos_ + 1]);
  pos_ += 2;
  return v;
}

std::int16_t Reader::i16(std::string_view what) {
  return static_cast<std::int16_t>(u16(what));
}

std::int32_t Reader::i32(std::string_view what) {
  if (!need(4, what)) return 0;
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v = (v << 8) | data_[pos_ + i];
  pos_ += 4;
  return static_cast<std::int32_t>(v);
}

std::int64_t Reader::i64(std::string_view what) {
  if (!need(8, what)) return 0;
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i)
    v = (v << 8) | data_[pos_ + i];
  pos_ += 8;
  return static_cast<std::int64_t>(v);
}

BytesView Reader::raw(std::size_t n, std::string_view what) {
  if (!need(n, what)) return {};
  BytesView v = data_.subspan(pos_, n);
  pos_ += n;
  return v;
}

static std::string_view as_chars(BytesView b) {
  return {reinterpret_cast<const char*>(b.data()), b.size()};
}

std::string_view Reader::string(std::string_view what) {
  std::uint16_t n = u16(what);
  return as_chars(raw(n, what));
}

std::string_view Reader::long_string(std::string_view what) {
  std::int32_t n = i32(what);
  if (!ok()) return {};
  if (n < 0) {
    fail(errc::invalid_length, what);
    return {};
  }
  return as_chars(raw(static_cast<std::size_t>(n), what));
}

std::optional<BytesView> Reader::bytes(std::string_view what) {
  std::int32_t n = i32(what);
  if (!ok()) return BytesView{};
  if (n < 0) return std::nullopt;  // any negative length is null per section 3
  return raw(static_cast<std::size_t>(n), what);
}

Value Reader::value(std::string_view what) {
  std::int32_t n = i32(what);
  if (!ok()) return Value::null();
  if (n == -1) return Value::null();
  if (n == -2) return Value::not_set();
  if (n < 0) {
    fail(errc::invalid_length, what);
    return Value::null();
  }
  return Value::of(raw(static_cast<std::size_t>(n), what));
}

BytesView Reader::short_bytes(std::string_view what) {
  std::uint16_t n = u16(what);
  return raw(n, what);
}

Uuid Reader::uuid(std::string_view what) {
  Uuid u{};
  BytesView b = raw(16, what);
  if (ok()) std::copy(b.begin(), b.end(), u.begin());
  return u;
}

std::vector<std::string> Reader::string_list(std::string_view what) {
  std::vector<std::string> out;
  std::uint16_t n = u16(what);
  if (!check_count(n, 2, what)) return out;
  out.reserve(n);
  for (std::uint16_t i = 0; i < n && ok(); ++i)
    out.emplace_back(string(what));
  return out;
}

StringMap Reader::string_map(std::string_view what) {
  StringMap out;
  std::uint16_t n = u16(what);
  if (!check_count(n, 4, what)) return out;
  for (std::uint16_t i = 0; i < n && ok(); ++i) {
    std::string key(string(what));
    std::string val(string(what));
    if (ok()) out[std::move(key)] = std::move(val);
  }
  return out;
}

StringMultimap Reader::string_multimap(std::string_view what) {
  StringMultimap out;
  std::uint16_t n = u16(what);
  if (!check_count(n, 4, what)) return out;
  for (std::uint16_t i = 0; i < n && ok(); ++i) {
    std::string key(string(what));
    auto list = string_list(what);
    if (ok()) out[std::move(key)] = std::move(list);
  }
  return out;
}

BytesMap Reader::bytes_map(std::string_view what) {
  BytesMap out;
  std::uint16_t n = u16(what);
  if (!check_count(n, 6, what)) return out;
  for (std::uint16_t i = 0; i < n && ok(); ++i) {
    std::string key(string(what));
    auto b = bytes(what);
    if (!ok()) break;
    out[std::move(key)] = b ? std::optional<Bytes>(Bytes(b->begin(), b->end())) : std::nullopt;
  }
  return out;
}

Inet Reader::inetaddr(std::string_view what) {
  Inet out;
  std::uint8_t n = u8(what);
  if (!ok()) return out;
  if (n != 4 && n != 16) {
    fail(errc::invalid_value, what);
    return out;
  }
  BytesView b = raw(n, what);
  out.address.assign(b.begin(), b.end());
  return out;
}

Inet Reader::inet(std::string_view what) {
  Inet out = inetaddr(what);
  out.port = i32(what);
  return out;
}

Consistency Reader::consistency(std::string_view what) {
  std::uint16_t v = u16(what);
  if (ok() && v > static_cast<std::uint16_t>(Consistency::local_one)) {
    fail(errc::invalid_value, what);
  }
  return static_cast<Consistency>(ok() ? v : 0);
}

// ---- Writer ----

void Writer::fail(errc code, std::string_view what) {
  if (!status_.ok()) return;
  status_.code = make_error_code(code);
  status_.message = describe(code, what, out_.size());
}

bool Writer::room(std::size_t n) {
  if (!ok()) return false;
  if (n > max_ || out_.size() > max_ - n) {
    fail(errc::frame_too_large, "message");
    return false;
  }
  return true;
}

void Writer::u8(std::uint8_t v) {
  if (room(1)) out_.push_back(v);
}

// Each integer goes in with one insert of its big-endian bytes, not a push_back per byte (a
// capacity check each): these run for every value of every request.
void Writer::u16(std::uint16_t v) {
  if (!room(2)) return;
  const std::uint8_t b[2] = {static_cast<std::uint8_t>(v >> 8), static_cast<std::uint8_t>(v)};
  out_.insert(out_.end(), b, b + 2);
}

void Writer::i16(std::int16_t v) {
  u16(static_cast<std::uint16_t>(v));
}

void Writer::i32(std::int32_t v) {
  if (!room(4)) return;
  const auto u = static_cast<std::uint32_t>(v);
  const std::uint8_t b[4] = {static_cast<std::uint8_t>(u >> 24), static_cast<std::uint8_t>(u >> 16),
                             static_cast<std::uint8_t>(u >> 8), static_cast<std::uint8_t>(u)};
  out_.insert(out_.end(), b, b + 4);
}

void Writer::i64(std::int64_t v) {
  if (!room(8)) return;
  const auto u = static_cast<std::uint64_t>(v);
  std::uint8_t b[8];
  for (int i = 0; i < 8; ++i)
    b[i] = static_cast<std::uint8_t>(u >> (56 - 8 * i));
  out_.insert(out_.end(), b, b + 8);
}

void Writer::raw(BytesView b) {
  if (room(b.size())) out_.insert(out_.end(), b.begin(), b.end());
}

static BytesView as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

void Writer::string(std::string_view s) {
  if (s.size() > UINT16_MAX) return fail(errc::invalid_length, "[string]");
  u16(static_cast<std::uint16_t>(s.size()));
  raw(as_bytes(s));
}

void Writer::long_string(std::string_view s) {
  if (s.size() > INT32_MAX) return fail(errc::invalid_length, "[long string]");
  i32(static_cast<std::int32_t>(s.size()));
  raw(as_bytes(s));
}

void Writer::bytes(std::optional<BytesView> b) {
  if (!b) return i32(-1);
  if (b->size() > INT32_MAX) return fail(errc::invalid_length, "[bytes]");
  i32(static_cast<std::int32_t>(b->size()));
  raw(*b);
}

void Writer::value(const Value& v) {
  switch (v.kind) {
    case Value::Kind::null:
      return i32(-1);
    case Value::Kind::not_set:
      return i32(-2);
    case Value::Kind::normal:
      return bytes(v.bytes);
  }
}

void Writer::short_bytes(BytesView b) {
  if (b.size() > UINT16_MAX) return fail(errc::invalid_length, "[short bytes]");
  u16(static_cast<std::uint16_t>(b.size()));
  raw(b);
}

void Writer::uuid(const Uuid& u) {
  raw(u);
}

void Writer::string_list(const std::vector<std::string>& l) {
  if (l.size() > UINT16_MAX) return fail(errc::invalid_length, "[string list]");
  u16(static_cast<std::uint16_t>(l.size()));
  for (const auto& s : l)
    string(s);
}

void Writer::string_map(const StringMap& m) {
  if (m.size() > UINT16_MAX) return fail(errc::invalid_length, "[string map]");
  u16(static_cast<std::uint16_t>(m.size()));
  for (const auto& [k, v] : m) {
    string(k);
    string(v);
  }
}

void Writer::string_multimap(const StringMultimap& m) {
  if (m.size() > UINT16_MAX) return fail(errc::invalid_length, "[string multimap]");
  u16(static_cast<std::uint16_t>(m.size()));
  for (const auto& [k, v] : m) {
    string(k);
    string_list(v);
  }
}

void Writer::bytes_map(const BytesMap& m) {
  if (m.size() > UINT16_MAX) return fail(errc::invalid_length, "[bytes map]");
  u16(static_cast<std::uint16_t>(m.size()));
  for (const auto& [k, v] : m) {
    string(k);
    bytes(v ? std::optional<BytesView>(*v) : std::nullopt);
  }
}

void Writer::inetaddr(const Inet& i) {
  if (i.address.size() != 4 && i.address.size() != 16) return fail(errc::invalid_value, "[inet]");
  u8(static_cast<std::uint8_t>(i.address.size()));
  raw(i.address);
}

void Writer::inet(const Inet& i) {
  inetaddr(i);
  i32(i.port);
}

void Writer::consistency(Consistency c) {
  u16(static_cast<std::uint16_t>(c));
}

std::size_t Writer::reserve_i32() {
  std::size_t at = out_.size();
  i32(0);
  return at;
}

void Writer::patch_i32(std::size_t at, std::int32_t v) {
  if (!ok() || at + 4 > out_.size()) return;
  auto u = static_cast<std::uint32_t>(v);
  for (int i = 0; i < 4; ++i)
    out_[at + i] = static_cast<std::uint8_t>(u >> (24 - 8 * i));
}

}  // namespace nosqlc::protocol
