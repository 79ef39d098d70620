// Frames, native_protocol_v4.spec sections 1 and 2: the header, frame assembly from a growing
// buffer, the flag-driven body prefixes and whole-frame encoding.
#include "hex.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;

namespace {

const std::string kQueryBody = "0000000f 53454c454354202a2046524f4d2074 0001 00";  // 4.1.4
const std::string kUuid = "000102030405060708090a0b0c0d0e0f";

struct HeaderCase {
  std::string name;
  std::string hex;
  errc error;  // errc{} for success
  FrameHeader expected;
};

FrameHeader header(std::uint8_t version, bool response, std::uint8_t flags, std::int16_t stream,
                   Opcode op, std::uint32_t length) {
  return FrameHeader{version, response, flags, stream, op, length};
}

std::vector<HeaderCase> header_cases() {
  return {
      {"2 request QUERY on stream 1", "04 00 0001 07 00000014", errc{},
       header(4, false, 0, 1, Opcode::query, 20)},
      {"2.3 EVENT on stream -1", "84 00 ffff 0c 00000010", errc{},
       header(4, true, 0, -1, Opcode::event, 16)},
      {"2.2 every flag, stream 32767", "84 0f 7fff 08 00000000", errc{},
       header(4, true, 0x0f, 32767, Opcode::result, 0)},
      {"2.4 unknown opcode is left to the dispatchers", "04 00 0000 04 00000000", errc{},
       header(4, false, 0, 0, Opcode{0x04}, 0)},
      {"2.5 exactly 256 MB", "04 00 0000 07 10000000", errc{},
       header(4, false, 0, 0, Opcode::query, 0x10000000)},
      {"2.1 v5 STARTUP keeps its stream", "05 00 0003 01 00000016", errc::unsupported_version,
       header(5, false, 0, 3, Opcode::startup, 0x16)},
      {"2.1 v3 response", "83 00 0002 02 00000000", errc::unsupported_version,
       header(3, true, 0, 2, Opcode::ready, 0)},
      {"2.5 over 256 MB", "04 00 0000 07 10000001", errc::frame_too_large,
       header(4, false, 0, 0, Opcode::query, 0x10000001)},
      {"2.5 negative length", "04 00 0000 07 ffffffff", errc::frame_too_large,
       header(4, false, 0, 0, Opcode::query, 0xffffffff)},
  };
}

Status decode_header_hex(std::string_view hex, FrameHeader& h, std::size_t max = kDefaultMaxBody) {
  const Bytes bytes = from_hex(hex);
  return decode_header(bytes, h, max);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(frame)

BOOST_AUTO_TEST_CASE(headers) {
  for (const auto& c : header_cases()) {
    BOOST_TEST_CONTEXT(c.name) {
      FrameHeader h;
      Status s = decode_header_hex(c.hex, h);
      BOOST_TEST(s.code == (c.error == errc{} ? std::error_code() : make_error_code(c.error)));
      BOOST_TEST(h.version == c.expected.version);
      BOOST_TEST(h.response == c.expected.response);
      BOOST_TEST(h.flags == c.expected.flags);
      BOOST_TEST(h.stream == c.expected.stream);
      BOOST_TEST(static_cast<int>(h.opcode) == static_cast<int>(c.expected.opcode));
      BOOST_TEST(h.length == c.expected.length);
      Bytes out(kHeaderSize);
      encode_header(c.expected, std::span<std::uint8_t, kHeaderSize>(out.data(), kHeaderSize));
      BOOST_TEST(to_hex(out) == to_hex(from_hex(c.hex)));
      for (std::size_t n = 0; n < kHeaderSize; ++n) {
        Bytes cut(out.begin(), out.begin() + static_cast<std::ptrdiff_t>(n));
        BOOST_TEST(decode_header(cut, h).code == make_error_code(errc::incomplete));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(unsupported_version_message_names_the_version) {
  FrameHeader h;
  Status s = decode_header_hex("05 00 0003 01 00000016", h);
  BOOST_TEST(s.message.find("(5)") != std::string::npos);
  BOOST_TEST(h.stream == 3);
}

BOOST_AUTO_TEST_CASE(maximum_is_configurable) {
  FrameHeader h;
  BOOST_TEST(decode_header_hex("04 00 0000 07 00000010", h, 16).ok());
  BOOST_TEST(decode_header_hex("04 00 0000 07 00000011", h, 16).code ==
             make_error_code(errc::frame_too_large));
  // Section 2.5: the length is an [int]; no maximum makes a negative one acceptable.
  BOOST_TEST(decode_header_hex("04 00 0000 07 7fffffff", h, SIZE_MAX).ok());
  BOOST_TEST(decode_header_hex("04 00 0000 07 80000000", h, SIZE_MAX).code ==
             make_error_code(errc::frame_too_large));
}

BOOST_AUTO_TEST_CASE(split_frame_on_a_growing_buffer) {
  // OPTIONS (4.1.3) then QUERY (4.1.4), as a read loop would receive them.
  const Bytes stream = from_hex("04 00 0000 05 00000000  04 00 0001 07 00000016" + kQueryBody);
  const std::size_t first = 9, total = stream.size();
  for (std::size_t have = 0; have <= total; ++have) {
    BOOST_TEST_CONTEXT(have << " bytes buffered") {
      Bytes buffered(stream.begin(), stream.begin() + static_cast<std::ptrdiff_t>(have));
      FrameSlice f;
      std::size_t needed = 0;
      BOOST_TEST(split_frame(buffered, f, needed).ok());
      if (have < first) {
        BOOST_TEST(needed == first - have);
        continue;
      }
      BOOST_TEST(needed == 0u);
      BOOST_TEST((f.header.opcode == Opcode::options));
      BOOST_TEST(f.size() == first);
      // Consume the first frame, look at what follows.
      BytesView rest = BytesView(buffered).subspan(f.size());
      BOOST_TEST(split_frame(rest, f, needed).ok());
      if (rest.size() < kHeaderSize) {
        BOOST_TEST(needed == kHeaderSize - rest.size());
      } else if (have < total) {
        BOOST_TEST(needed == total - have);
      } else {
        BOOST_TEST(needed == 0u);
        BOOST_TEST((f.header.opcode == Opcode::query));
        BOOST_TEST(f.body.size() == 0x16u);
        Request r;
        BOOST_TEST(decode_request(f.header, f.body, r).ok());
        BOOST_TEST(std::get<Query>(r).query == "SELECT * FROM t");
      }
    }
  }
  FrameSlice f;
  std::size_t needed = 0;
  const Bytes bad = from_hex("04 00 0000 07 10000001");
  BOOST_TEST(split_frame(bad, f, needed).code == make_error_code(errc::frame_too_large));
}

BOOST_AUTO_TEST_CASE(body_prefixes) {
  struct Case {
    std::string name;
    bool response;
    std::uint8_t flags;
    std::string body;
    bool tracing_id;
    std::size_t warnings;
    bool payload;
    std::string message;
  };
  const Case cases[] = {
      {"2.2 tracing id, warnings, custom payload on READY", true, 0x0e,
       kUuid + "0001 0001 77" + "0001 0001 6b 00000001 01", true, 1, true, ""},
      {"2.2 tracing id then RESULT Void", true, 0x02, kUuid + "00000001", true, 0, false,
       "00000001"},
      {"2.2 warnings only", true, 0x08, "0002 0001 61 0001 62 00000001", false, 2, false,
       "00000001"},
      {"2.2 request: tracing has no prefix, custom payload does", false, 0x06,
       "0001 0001 6b ffffffff" + kQueryBody, false, 0, true, kQueryBody},
      {"2.2 request: warning flag is a response's", false, 0x08, kQueryBody, false, 0, false,
       kQueryBody},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      FrameHeader h;
      h.response = c.response;
      h.flags = c.flags;
      const Bytes body = from_hex(c.body);
      Bytes scratch;
      FrameExtras extras;
      BytesView message;
      BOOST_TEST(open_body(h, body, scratch, extras, message).ok());
      BOOST_TEST(extras.tracing_id.has_value() == c.tracing_id);
      if (c.tracing_id) BOOST_TEST(to_hex(*extras.tracing_id) == kUuid);
      BOOST_TEST(extras.warnings.size() == c.warnings);
      BOOST_TEST(extras.custom_payload.has_value() == c.payload);
      BOOST_TEST(to_hex(message) == to_hex(from_hex(c.message)));
      // A prefix cut short is an error, never a crash.
      const std::size_t prefix = body.size() - message.size();
      for (std::size_t n = 0; n < prefix; ++n) {
        Bytes cut(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
        BOOST_TEST(!open_body(h, cut, scratch, extras, message).ok());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(encoded_frames) {
  struct Case {
    std::string name;
    bool response;
    std::variant<Request, Response> message;
    FrameOptions options;
    std::string hex;
  };
  FrameOptions stream5;
  stream5.stream = 5;
  stream5.tracing = true;
  FrameOptions traced;
  traced.stream = 1;
  traced.tracing_id = Uuid{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
  traced.warnings = {"w"};
  FrameOptions payload;
  payload.custom_payload = BytesMap{{"k", Bytes{1}}};
  FrameOptions event;
  event.stream = -1;
  const Case cases[] = {
      {"4.1.3 OPTIONS frame", false, Request{Options{}}, {}, "04 00 0000 05 00000000"},
      {"4.1.1 STARTUP frame",
       false,
       Request{Startup{{{"CQL_VERSION", "3.0.0"}}}},
       {},
       "04 00 0000 01 00000016 0001 000b 43514c5f56455253494f4e 0005 332e302e30"},
      {"2.2 QUERY asking for tracing", false, Request{Query{"SELECT * FROM t", {}}}, stream5,
       "04 02 0005 07 00000016" + kQueryBody},
      {"2.2 PREPARE with custom payload", false, Request{Prepare{"q"}}, payload,
       "04 04 0000 09 0000000f 0001 0001 6b 00000001 01 00000001 71"},
      {"2.2 READY with tracing id and warnings", true, Response{Ready{}}, traced,
       "84 0a 0001 02 00000015" + kUuid + "0001 0001 77"},
      {"4.2.6 EVENT on stream -1", true,
       Response{Event{StatusChange{StatusChangeType::up, Inet{{127, 0, 0, 1}, 9042}}}}, event,
       "84 00 ffff 0c 0000001c 000d 5354415455535f4348414e4745 0002 5550 04 7f000001 00002352"},
  };
  Bytes out;  // reused across cases, as a connection reuses its write buffer
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      Status s = c.response ? encode_response(std::get<Response>(c.message), out, c.options)
                            : encode_request(std::get<Request>(c.message), out, c.options);
      BOOST_TEST(s.message == "");
      BOOST_TEST(to_hex(out) == to_hex(from_hex(c.hex)));
      write_seed(c.response ? "fuzz_response_frame" : "fuzz_request_frame", c.name, out);

      // And back: split, open, dispatch, re-encode.
      FrameSlice f;
      std::size_t needed = 1;
      const Bytes heap = out;
      BOOST_TEST_REQUIRE(split_frame(heap, f, needed).ok());
      BOOST_TEST(needed == 0u);
      Bytes scratch;
      FrameExtras extras;
      BytesView message;
      BOOST_TEST_REQUIRE(open_body(f.header, f.body, scratch, extras, message).ok());
      Bytes again;
      if (c.response) {
        Response r;
        BOOST_TEST_REQUIRE(decode_response(f.header, message, r).ok());
        BOOST_TEST(encode_response(r, again, c.options).ok());
      } else {
        Request r;
        BOOST_TEST_REQUIRE(decode_request(f.header, message, r).ok());
        BOOST_TEST(encode_request(r, again, c.options).ok());
      }
      BOOST_TEST(to_hex(again) == to_hex(heap));
    }
  }
}

BOOST_AUTO_TEST_CASE(stream_is_set_just_before_sending) {
  Bytes out;
  BOOST_TEST(encode_request(Options{}, out).ok());
  set_stream(out, 0x1234);
  BOOST_TEST(to_hex(out) ==
             "0400123405"
             "00000000");
  set_stream(out, -1);
  BOOST_TEST(to_hex(out) ==
             "0400ffff05"
             "00000000");
}

BOOST_AUTO_TEST_CASE(encoder_enforces_the_maximum) {
  FrameOptions small;
  small.max_body = 8;
  Bytes out;
  Status s = encode_request(Query{"SELECT * FROM t", {}}, out, small);
  BOOST_TEST(s.code == make_error_code(errc::frame_too_large));
  BOOST_TEST(encode_request(Prepare{"q"}, out, small).ok());  // 5 bytes fit
}

BOOST_AUTO_TEST_CASE(encoding_reuses_the_buffer) {
  Bytes out;
  BOOST_TEST(encode_request(Query{"SELECT * FROM t WHERE k = 'a long enough key'", {}}, out).ok());
  const auto capacity = out.capacity();
  const auto* data = out.data();
  BOOST_TEST(encode_request(Options{}, out).ok());
  BOOST_TEST(out.size() == kHeaderSize);
  BOOST_TEST(out.capacity() == capacity);
  BOOST_TEST(out.data() == data);
}

BOOST_AUTO_TEST_SUITE_END()
