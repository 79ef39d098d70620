// Bounds-checked reader and writer for the notations of native_protocol_v4.spec section 3.
// Pure functions over bytes: no I/O. Both keep the first error they meet and turn every later
// call into a no-op returning a zero value, so a decoder checks ok() once at the end. A
// reader's error says "<error> reading <what> at offset <n>", n being where it stood: at the
// first byte it could not read (incomplete), or just past a bad length, count or value.
#pragma once

#include "nosqlc/protocol/error.hpp"

#include <array>
#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::protocol {

using Bytes = std::vector<std::uint8_t>;
using BytesView = std::span<const std::uint8_t>;

// [consistency], spec section 3.
enum class Consistency : std::uint16_t {
  any = 0x0000,
  one = 0x0001,
  two = 0x0002,
  three = 0x0003,
  quorum = 0x0004,
  all = 0x0005,
  local_quorum = 0x0006,
  each_quorum = 0x0007,
  serial = 0x0008,
  local_serial = 0x0009,
  local_one = 0x000A,
};
// "QUORUM", "LOCAL_ONE", ...; from_string is case-insensitive and returns nullopt if unknown.
std::string_view to_string(Consistency c) noexcept;
std::optional<Consistency> consistency_from_string(std::string_view s) noexcept;

// [value]: bytes, null (length -1) or not set (length -2). `bytes` views a buffer owned by
// someone else: the received frame when decoded, the caller's data when encoded.
struct Value {
  enum class Kind : std::uint8_t { normal, null, not_set };
  Kind kind = Kind::null;
  BytesView bytes;

  static Value of(BytesView b) noexcept { return {Kind::normal, b}; }
  static Value null() noexcept { return {Kind::null, {}}; }
  static Value not_set() noexcept { return {Kind::not_set, {}}; }
  bool operator==(const Value& o) const noexcept;
};

// [inet] (address and port) and [inetaddr] (address only): 4 or 16 address bytes.
struct Inet {
  std::vector<std::uint8_t> address;
  std::int32_t port = 0;
  bool operator==(const Inet&) const = default;
};

using Uuid = std::array<std::uint8_t, 16>;
using StringMap = std::map<std::string, std::string>;
using StringMultimap = std::map<std::string, std::vector<std::string>>;
using BytesMap = std::map<std::string, std::optional<Bytes>>;

class Reader {
 public:
  // `base_offset` is added to offsets in messages, so a body reader can report frame offsets.
  explicit Reader(BytesView data, std::size_t base_offset = 0) noexcept
      : data_(data), base_(base_offset) {}

  bool ok() const noexcept { return status_.ok(); }
  const Status& status() const noexcept { return status_; }
  std::size_t offset() const noexcept { return base_ + pos_; }
  std::size_t remaining() const noexcept { return data_.size() - pos_; }
  bool at_end() const noexcept { return pos_ == data_.size(); }
  BytesView rest() const noexcept { return data_.subspan(pos_); }

  // Records `code` unless an error is already recorded. `what` names the value being read.
  void fail(errc code, std::string_view what);
  // Fails with extra_bytes unless everything was consumed.
  void expect_end(std::string_view what);
  // Fails with invalid_length when `count` elements of at least `min_size` bytes each cannot
  // fit in what remains (or count is negative); catches hostile counts before any allocation.
  bool check_count(std::int64_t count, std::size_t min_size, std::string_view what);

  std::uint8_t u8(std::string_view what);  // [byte]
  std::int16_t i16(std::string_view what);
  std::uint16_t u16(std::string_view what);  // [short]
  std::int32_t i32(std::string_view what);   // [int]
  std::int64_t i64(std::string_view what);   // [long]
  BytesView raw(std::size_t n, std::string_view what);
  std::string_view string(std::string_view what);               // [string]
  std::string_view long_string(std::string_view what);          // [long string]
  std::optional<BytesView> bytes(std::string_view what);        // [bytes]; nullopt when null
  Value value(std::string_view what);                           // [value]
  BytesView short_bytes(std::string_view what);                 // [short bytes]
  Uuid uuid(std::string_view what);                             // [uuid]
  std::vector<std::string> string_list(std::string_view what);  // [string list]
  StringMap string_map(std::string_view what);                  // [string map]
  StringMultimap string_multimap(std::string_view what);        // [string multimap]
  BytesMap bytes_map(std::string_view what);                    // [bytes map]
  Inet inet(std::string_view what);                             // [inet]
  Inet inetaddr(std::string_view what);                         // [inetaddr]; port 0
  Consistency consistency(std::string_view what);               // [consistency]

 private:
  bool need(std::size_t n, std::string_view what);
  BytesView data_;
  std::size_t base_;
  std::size_t pos_ = 0;
  Status status_;
};

class Writer {
 public:
  // Appends to `out`; fails with frame_too_large once out.size() would exceed `max_size`.
  explicit Writer(Bytes& out, std::size_t max_size = SIZE_MAX) noexcept
      : out_(out), max_(max_size) {}

  bool ok() const noexcept { return status_.ok(); }
  const Status& status() const noexcept { return status_; }
  std::size_t size() const noexcept { return out_.size(); }
  void fail(errc code, std::string_view what);

  void u8(std::uint8_t v);
  void i16(std::int16_t v);
  void u16(std::uint16_t v);
  void i32(std::int32_t v);
  void i64(std::int64_t v);
  void raw(BytesView b);
  void string(std::string_view s);       // fails with invalid_length past 65535 bytes
  void long_string(std::string_view s);  // fails with invalid_length past INT32_MAX bytes
  void bytes(std::optional<BytesView> b);
  void value(const Value& v);
  void short_bytes(BytesView b);
  void uuid(const Uuid& u);
  void string_list(const std::vector<std::string>& l);
  void string_map(const StringMap& m);
  void string_multimap(const StringMultimap& m);
  void bytes_map(const BytesMap& m);
  void inet(const Inet& i);
  void inetaddr(const Inet& i);
  void consistency(Consistency c);

  // Reserves an [int] to fill in later (a length known only after its content is written).
  std::size_t reserve_i32();
  void patch_i32(std::size_t at, std::int32_t v);

 private:
  bool room(std::size_t n);
  Bytes& out_;
  std::size_t max_;
  Status status_;
};

}  // namespace nosqlc::protocol
