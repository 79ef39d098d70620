// lz4 frame bodies, native_protocol_v4.spec section 5: a 4-byte big-endian uncompressed length
// then one lz4 block; compressed frames (flag 0x01) end to end; hostile announced lengths.
#include "hex.hpp"

#include <nosqlc/protocol/compression.hpp>

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;

namespace {

const std::string kQueryBody = "0000000f 53454c454354202a2046524f4d2074 0001 00";  // 4.1.4

// Section 5 bodies written by hand from the lz4 block format: a token 0x50 announces five
// literals and no match.
const std::string kHello = "00000005 50 68656c6c6f";  // "hello"
// An empty input compresses to one token with no literals.
const std::string kEmpty = "00000000 00";

Bytes repetitive(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i)
    b[i] = static_cast<std::uint8_t>("0123456789abcdef"[i % 16]);
  return b;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(compression)

BOOST_AUTO_TEST_CASE(without_lz4_every_call_says_so,
                     *boost::unit_test::precondition([](auto) { return !lz4_available(); })) {
  Bytes out;
  Status s = lz4_compress(view("x"), out);
  BOOST_TEST(s.code == make_error_code(errc::compression_error));
  BOOST_TEST(s.message == "built without lz4");
  const Bytes body = from_hex(kHello);
  BOOST_TEST(lz4_decompress(body, out).message == "built without lz4");
}

// Built with NOSQLC_WITH_LZ4=OFF: asking to compress a frame, or receiving a compressed one,
// fails with the same clear error instead of sending or reading garbage; STARTUP (never
// compressed) still encodes.
BOOST_AUTO_TEST_CASE(without_lz4_compressed_frames_are_refused_both_ways,
                     *boost::unit_test::precondition([](auto) { return !lz4_available(); })) {
  FrameOptions o;
  o.compress = true;
  Bytes frame;
  Status s = encode_request(Query{"SELECT * FROM t", {}}, frame, o);
  BOOST_TEST(s.code == make_error_code(errc::compression_error));
  BOOST_TEST(s.message == "built without lz4");
  BOOST_TEST(encode_request(Startup{{{"CQL_VERSION", "3.0.0"}}}, frame, o).ok());
  BOOST_TEST(frame[1] == 0);

  const Bytes compressed = from_hex("84 01 0001 08 0000000a " + kHello);  // a RESULT
  FrameSlice f;
  std::size_t needed = 0;
  BOOST_TEST_REQUIRE(split_frame(compressed, f, needed).ok());
  Bytes scratch;
  FrameExtras extras;
  BytesView message;
  s = open_body(f.header, f.body, scratch, extras, message);
  BOOST_TEST(s.code == make_error_code(errc::compression_error));
  BOOST_TEST(s.message == "built without lz4");
}

BOOST_AUTO_TEST_CASE(compressed_startup_is_refused) {
  // Sections 2.2 and 5: STARTUP agrees on the compression, so it "must never be compressed".
  const Bytes frame = from_hex("04 01 0000 01 00000005 00000000 00");
  FrameSlice f;
  std::size_t needed = 0;
  BOOST_TEST_REQUIRE(split_frame(frame, f, needed).ok());
  Bytes scratch;
  FrameExtras extras;
  BytesView message;
  Status s = open_body(f.header, f.body, scratch, extras, message);
  BOOST_TEST(s.code == make_error_code(errc::invalid_value));
  BOOST_TEST(s.message.find("STARTUP") != std::string::npos);
  write_seed("fuzz_request_frame", "5 compressed STARTUP", frame);
  // A response to STARTUP may be compressed (section 5), and so may any other request.
  FrameHeader h = f.header;
  h.opcode = Opcode::options;
  BOOST_TEST(open_body(h, f.body, scratch, extras, message).code !=
             make_error_code(errc::invalid_value));
}

BOOST_AUTO_TEST_SUITE(with_lz4,
                      *boost::unit_test::precondition([](auto) { return lz4_available(); }))

BOOST_AUTO_TEST_CASE(hand_written_blocks) {
  struct Case {
    const char* name;
    std::string hex;
    std::string plain;
  };
  const Case cases[] = {
      {"5 literals only", kHello, "hello"},
      {"5 empty body", kEmpty, ""},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      const Bytes body = from_hex(c.hex);
      Bytes out{9, 9, 9};  // replaced, not appended to
      BOOST_TEST(lz4_decompress(body, out).message == "");
      BOOST_TEST(std::string(out.begin(), out.end()) == c.plain);
      Bytes packed;
      BOOST_TEST(lz4_compress(view(c.plain), packed).ok());
      BOOST_TEST(to_hex(packed) == to_hex(body));  // lz4 writes short inputs as literals
      for (std::size_t n = 0; n < body.size(); ++n) {
        Bytes cut(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(n));
        BOOST_TEST(!lz4_decompress(cut, out).ok());
      }
      write_seed("fuzz_lz4_body", c.name, body);
    }
  }
}

BOOST_AUTO_TEST_CASE(round_trip_shrinks_repetitive_bodies) {
  const Bytes plain = repetitive(10000);
  Bytes packed{0xee};  // appended to
  BOOST_TEST(lz4_compress(plain, packed).ok());
  BOOST_TEST(packed.size() < plain.size() / 10);
  BOOST_TEST(to_hex(BytesView(packed).subspan(1, 4)) == "00002710");  // 10000
  Bytes out;
  BOOST_TEST(lz4_decompress(BytesView(packed).subspan(1), out).ok());
  BOOST_TEST((out == plain));
  write_seed("fuzz_lz4_body", "round trip 10000", BytesView(packed).subspan(1));
}

BOOST_AUTO_TEST_CASE(hostile_bodies) {
  struct Case {
    const char* name;
    std::string hex;
    errc expected;
    std::size_t max;
  };
  const Case cases[] = {
      {"5 bomb: 2 GB announced", "7fffffff 00", errc::frame_too_large, kDefaultMaxBody},
      {"5 bomb: over a small maximum", "00000020 00", errc::frame_too_large, 16},
      {"5 bomb: 1 MB from a 2-byte block", "00100000 1f00", errc::compression_error,
       kDefaultMaxBody},
      {"5 negative length", "80000000 00", errc::compression_error, kDefaultMaxBody},
      {"5 announced more than the block gives", "00000006 50 68656c6c6f", errc::compression_error,
       kDefaultMaxBody},
      {"5 announced less than the block gives", "00000004 50 68656c6c6f", errc::compression_error,
       kDefaultMaxBody},
      {"5 no length", "000000", errc::compression_error, kDefaultMaxBody},
      {"5 malformed block", "00000005 ff ffff", errc::compression_error, kDefaultMaxBody},
      {"5 match offset before the start", "00000008 11 61 0500", errc::compression_error,
       kDefaultMaxBody},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      const Bytes body = from_hex(c.hex);
      Bytes out;
      Status s = lz4_decompress(body, out, c.max);
      BOOST_TEST(s.code == make_error_code(c.expected));
      BOOST_TEST(!s.message.empty());
      BOOST_TEST(out.empty());
      write_seed("fuzz_lz4_body", c.name, body);
    }
  }
}

BOOST_AUTO_TEST_CASE(compressed_frames_end_to_end) {
  const Bytes big_query(2000, 'x');
  const std::string_view text(reinterpret_cast<const char*>(big_query.data()), big_query.size());
  Bytes scratch;
  FrameOptions o;
  o.compress = true;
  o.stream = 7;
  o.scratch = &scratch;
  Bytes frame;
  BOOST_TEST_REQUIRE(encode_request(Query{text, {}}, frame, o).ok());
  BOOST_TEST(frame[1] == kFlagCompression);
  BOOST_TEST(frame.size() < 200u);

  FrameSlice f;
  std::size_t needed = 0;
  const Bytes heap = frame;
  BOOST_TEST_REQUIRE(split_frame(heap, f, needed).ok());
  Bytes body_scratch;
  FrameExtras extras;
  BytesView message;
  BOOST_TEST_REQUIRE(open_body(f.header, f.body, body_scratch, extras, message).ok());
  Request r;
  BOOST_TEST_REQUIRE(decode_request(f.header, message, r).ok());
  BOOST_TEST(std::get<Query>(r).query == text);
  write_seed("fuzz_request_frame", "5 compressed QUERY", heap);

  // Prefixes are inside the compressed body.
  o.tracing_id = Uuid{};
  o.warnings = {"w"};
  BOOST_TEST_REQUIRE(encode_response(Result{SetKeyspaceResult{"ks"}}, frame, o).ok());
  BOOST_TEST(frame[1] == (kFlagCompression | kFlagTracing | kFlagWarning));
  const Bytes response = frame;
  BOOST_TEST_REQUIRE(split_frame(response, f, needed).ok());
  BOOST_TEST_REQUIRE(open_body(f.header, f.body, body_scratch, extras, message).ok());
  BOOST_TEST(extras.warnings.size() == 1u);
  Response resp;
  BOOST_TEST_REQUIRE(decode_response(f.header, message, resp).ok());
  BOOST_TEST(std::get<SetKeyspaceResult>(std::get<Result>(resp)).keyspace == "ks");
  write_seed("fuzz_response_frame", "5 compressed Set_keyspace with prefixes", response);
}

BOOST_AUTO_TEST_CASE(startup_is_never_compressed) {
  FrameOptions o;
  o.compress = true;
  Bytes frame;
  BOOST_TEST(
      encode_request(Startup{{{"CQL_VERSION", "3.0.0"}, {"COMPRESSION", "lz4"}}}, frame, o).ok());
  BOOST_TEST(frame[1] == 0);
}

BOOST_AUTO_TEST_CASE(compressed_frame_body_bomb_is_a_protocol_error) {
  // A RESULT frame whose compressed body announces 2 GB.
  const Bytes frame = from_hex("84 01 0001 08 00000005 7fffffff 00");
  FrameSlice f;
  std::size_t needed = 0;
  BOOST_TEST_REQUIRE(split_frame(frame, f, needed).ok());
  Bytes scratch;
  FrameExtras extras;
  BytesView message;
  Status s = open_body(f.header, f.body, scratch, extras, message);
  BOOST_TEST(s.code == make_error_code(errc::frame_too_large));
  BOOST_TEST(scratch.capacity() < 1024u);
  write_seed("fuzz_response_frame", "5 compressed bomb", frame);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE_END()
