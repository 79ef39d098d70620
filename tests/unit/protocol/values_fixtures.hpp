// Helpers for the value codec tests: hex fixtures and exact-size heap copies.
#pragma once

#include "seeds.hpp"

#include "nosqlc/protocol/value_forms.hpp"

#include <cstring>
#include <initializer_list>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace values_fixtures {

using nosqlc::protocol::Bytes;
using nosqlc::protocol::BytesView;
using nosqlc::protocol::DataType;
using nosqlc::protocol::errc;
using nosqlc::protocol::Status;
using nosqlc::protocol::TypeId;
using nosqlc::protocol::test::write_value_seed;

// "00 0a FF" -> {0x00, 0x0a, 0xff}; spaces are ignored.
inline Bytes hex(std::string_view s) {
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    throw std::invalid_argument("bad hex fixture");
  };
  Bytes out;
  int hi = -1;
  for (char c : s) {
    if (c == ' ') continue;
    if (hi < 0) {
      hi = nibble(c);
    } else {
      out.push_back(static_cast<std::uint8_t>(hi << 4 | nibble(c)));
      hi = -1;
    }
  }
  if (hi >= 0) throw std::invalid_argument("odd hex fixture");
  return out;
}

inline std::string to_hex(BytesView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (std::uint8_t c : b) {
    out += kDigits[c >> 4];
    out += kDigits[c & 15];
  }
  return out;
}

// A copy of some bytes in a heap block of exactly their size: a decoder reading one byte too
// far trips AddressSanitizer.
class Heap {
 public:
  explicit Heap(BytesView b) : size_(b.size()), data_(new std::uint8_t[b.size()]) {
    if (!b.empty()) std::memcpy(data_.get(), b.data(), b.size());
  }
  BytesView view() const { return {data_.get(), size_}; }
  operator BytesView() const { return view(); }

 private:
  std::size_t size_;
  std::unique_ptr<std::uint8_t[]> data_;
};

inline Bytes concat(std::initializer_list<Bytes> parts) {
  Bytes out;
  for (const auto& p : parts)
    out.insert(out.end(), p.begin(), p.end());
  return out;
}

inline DataType udt(std::string name, std::vector<std::pair<std::string, DataType>> fields) {
  DataType t = DataType::of(TypeId::udt);
  t.udt_keyspace = "ks";
  t.udt_name = std::move(name);
  for (auto& [n, ft] : fields) {
    t.field_names.push_back(n);
    t.params.push_back(std::move(ft));
  }
  return t;
}

// For BOOST_TEST(s.code == ec(errc::incomplete)): std::error_code prints itself on failure.
inline std::error_code ec(errc e) {
  return nosqlc::protocol::make_error_code(e);
}

}  // namespace values_fixtures
