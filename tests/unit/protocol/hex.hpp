// Shared helpers of the codec tests: hex fixtures and table-driven message checks (encode equals
// the fixture, decode then re-encode equals it, every truncation fails, one byte more is
// extra_bytes for a request and ignored for a response); each fixture is also a fuzz seed
// (seeds.hpp).
#pragma once

#include "seeds.hpp"

#include <nosqlc/protocol/messages.hpp>

#include <boost/test/unit_test.hpp>

#include <cctype>
#include <stdexcept>
#include <string>
#include <string_view>

namespace nosqlc::protocol::test {

// Parses hex digits, ignoring spaces: "0001 ab" -> {0x00, 0x01, 0xab}.
inline Bytes from_hex(std::string_view hex) {
  Bytes out;
  int high = -1;
  for (char c : hex) {
    if (c == ' ' || c == '\n') continue;
    int v = std::isdigit(static_cast<unsigned char>(c)) ? c - '0'
            : (c >= 'a' && c <= 'f')                    ? c - 'a' + 10
            : (c >= 'A' && c <= 'F')                    ? c - 'A' + 10
                                                        : -1;
    if (v < 0) throw std::invalid_argument("bad hex digit in fixture");
    if (high < 0) {
      high = v;
    } else {
      out.push_back(static_cast<std::uint8_t>(high * 16 + v));
      high = -1;
    }
  }
  if (high >= 0) throw std::invalid_argument("odd number of hex digits in fixture");
  return out;
}

inline std::string to_hex(BytesView b) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string s;
  for (std::uint8_t c : b) {
    s += kDigits[c >> 4];
    s += kDigits[c & 15];
  }
  return s;
}

// The hex of an ASCII string, to spell [string] contents readably in fixtures.
inline std::string ascii_hex(std::string_view s) {
  return to_hex(BytesView(reinterpret_cast<const std::uint8_t*>(s.data()), s.size()));
}

inline BytesView view(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// A frame around `body`: the header of `opcode` in the given direction, no flags.
inline Bytes frame_of(bool response, Opcode opcode, BytesView body) {
  FrameHeader h;
  h.response = response;
  h.opcode = opcode;
  h.stream = response && opcode == Opcode::event ? -1 : 1;
  h.length = static_cast<std::uint32_t>(body.size());
  Bytes out(kHeaderSize);
  encode_header(h, std::span<std::uint8_t, kHeaderSize>(out.data(), kHeaderSize));
  out.insert(out.end(), body.begin(), body.end());
  return out;
}

template <class Message>
constexpr bool kIsRequest = std::is_same_v<Message, Request>;

// Decodes through the direction's dispatcher, from `bytes` as given (callers pass exact-size
// heap copies so sanitizers see any overread).
template <class Message>
Status decode_message(Opcode opcode, const Bytes& bytes, Message& out) {
  FrameHeader h;
  h.response = !kIsRequest<Message>;
  h.opcode = opcode;
  h.length = static_cast<std::uint32_t>(bytes.size());
  if constexpr (kIsRequest<Message>) {
    return decode_request(h, bytes, out);
  } else {
    return decode_response(h, bytes, out);
  }
}

template <class Message>
Bytes encode_message_body(const Message& m, Status& status) {
  Bytes out;
  Writer w(out);
  std::visit([&](const auto& v) { write_body(w, v); }, m);
  status = w.status();
  return out;
}

// A table row: a message and the hex of its body, with the spec section in `name`.
template <class Message>
struct MessageCase {
  std::string name;
  Message message;
  std::string hex;
};

// The checks every message fixture gets; see the file comment.
template <class Message>
void check_message_case(const MessageCase<Message>& c) {
  BOOST_TEST_CONTEXT(c.name) {
    const Bytes expected = from_hex(c.hex);
    const Opcode opcode = opcode_of(c.message);
    Status s;
    Bytes encoded = encode_message_body(c.message, s);
    BOOST_TEST(s.message == "");
    BOOST_TEST(to_hex(encoded) == to_hex(expected));

    // A copy holds exactly the fixture's bytes: an overread trips a sanitizer build.
    const Bytes exact(expected);
    Message decoded;
    s = decode_message(opcode, exact, decoded);
    BOOST_TEST(s.message == "");
    BOOST_TEST(decoded.index() == c.message.index());
    Bytes reencoded = encode_message_body(decoded, s);
    BOOST_TEST(s.ok());
    BOOST_TEST(to_hex(reencoded) == to_hex(expected));

    for (std::size_t n = 0; n < expected.size(); ++n) {
      Bytes cut(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(n));
      Message m;
      BOOST_TEST_CONTEXT("truncated to " << n << " bytes") {
        BOOST_TEST(!decode_message(opcode, cut, m).ok());
      }
    }
    Bytes longer = expected;
    longer.push_back(0);
    Message m;
    if constexpr (kIsRequest<Message>) {
      BOOST_TEST(decode_message(opcode, longer, m).code == make_error_code(errc::extra_bytes));
      // A server may ignore them (Cassandra 4 does): then the message is the one before.
      FrameHeader h;
      h.opcode = opcode;
      Request tolerant;
      BOOST_TEST(decode_request(h, longer, tolerant, /*ignore_trailing=*/true).ok());
      BOOST_TEST(to_hex(encode_message_body(tolerant, s)) == to_hex(expected));
    } else {
      // Section 4.2: a client discards what follows a complete response.
      BOOST_TEST(decode_message(opcode, longer, m).message == "");
      BOOST_TEST(to_hex(encode_message_body(m, s)) == to_hex(expected));
    }

    write_seed(kIsRequest<Message> ? "fuzz_request_frame" : "fuzz_response_frame", c.name,
               frame_of(!kIsRequest<Message>, opcode, expected));
  }
}

// Decodes `hex` as a message of `opcode` and returns the status (for malformed-input tables).
template <class Message>
Status decode_hex(Opcode opcode, std::string_view hex) {
  Bytes bytes = from_hex(hex);
  Message m;
  return decode_message(opcode, bytes, m);
}

}  // namespace nosqlc::protocol::test
