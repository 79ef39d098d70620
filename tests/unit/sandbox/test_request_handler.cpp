// The sans-io ConnectionHandler, frames in and frames out: STARTUP as Cassandra 4's
// StartupMessage checks it (CQL_VERSION read with CassandraVersion, then COMPRESSION).
#include "executor_fixture.hpp"

#include <nosqlc/protocol/frame.hpp>
#include <nosqlc/protocol/messages.hpp>
#include <nosqlc/sandbox/request_handler.hpp>

#include <string>
#include <utility>
#include <vector>

using namespace sandbox_test;

namespace {

// One connection of a node with no users (or with `user`), driven frame by frame.
struct Connection {
  sb::Store store;
  sb::Cluster cluster{1, 9042};
  sb::Executor executor{store, cluster, 0};
  sb::NodeContext node;
  sb::ConnectionHandler handler;

  explicit Connection(bool auth = false) : handler(context(auth)) {}

  const sb::NodeContext& context(bool auth) {
    node.executor = &executor;
    if (auth) node.users.push_back({"cassandra", "cassandra"});
    return node;
  }

  // The answer to `request` (exactly one frame), with `trailing` bytes after its body (the
  // frame's length counting them).
  pr::Response send(const pr::Request& request, std::size_t trailing = 0) {
    pr::Bytes in;
    BOOST_REQUIRE(pr::encode_request(request, in).ok());
    if (trailing > 0) {
      in.insert(in.end(), trailing, 0xAB);
      pr::FrameHeader h;
      BOOST_REQUIRE(pr::decode_header(in, h).ok());
      h.length += static_cast<std::uint32_t>(trailing);
      pr::encode_header(h, std::span<std::uint8_t, pr::kHeaderSize>(in.data(), pr::kHeaderSize));
    }
    pr::FrameSlice frame;
    std::size_t needed = 0;
    BOOST_REQUIRE(pr::split_frame(in, frame, needed).ok());
    out_.clear();
    sb::ConnectionHandler::Outcome outcome = handler.handle(frame, out_);
    BOOST_TEST(!outcome.close);
    pr::FrameSlice answer;
    BOOST_REQUIRE(pr::split_frame(out_, answer, needed).ok());
    BOOST_REQUIRE_EQUAL(answer.size(), out_.size());
    pr::FrameExtras extras;
    pr::BytesView body;
    BOOST_REQUIRE(pr::open_body(answer.header, answer.body, scratch_, extras, body).ok());
    pr::Response r;
    BOOST_REQUIRE(pr::decode_response(answer.header, body, r).ok());
    return r;
  }

  // "READY", "AUTHENTICATE", or the ProtocolError's message.
  std::string startup(std::vector<std::pair<std::string, std::string>> options) {
    pr::Startup s;
    for (auto& [k, v] : options)
      s.options[k] = v;
    pr::Response r = send(s);
    if (std::holds_alternative<pr::Ready>(r)) return "READY";
    if (std::holds_alternative<pr::Authenticate>(r)) return "AUTHENTICATE";
    const auto* e = std::get_if<pr::ServerError>(&r);
    BOOST_REQUIRE(e);
    BOOST_TEST((e->code == pr::ServerErrorCode::protocol_error));
    return e->message;
  }
  std::string startup_with_version(const std::string& v) { return startup({{"CQL_VERSION", v}}); }

 private:
  pr::Bytes out_, scratch_;
};

std::string invalid(const std::string& v) {
  return "Invalid version value: " + v;
}
std::string too_old(const std::string& v) {
  return "CQL version " + v +
         " is not supported by the binary protocol (supported version are >= 3.0.0)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox_request_handler)

BOOST_AUTO_TEST_CASE(startup_without_cql_version_is_a_protocol_error) {
  Connection c;
  BOOST_TEST(c.startup({}) == "Missing value CQL_VERSION in STARTUP message");
  BOOST_TEST(c.startup({{"DRIVER_NAME", "x"}}) == "Missing value CQL_VERSION in STARTUP message");
  BOOST_TEST(!c.handler.ready());
  // The connection stays usable: a good STARTUP then succeeds.
  BOOST_TEST(c.startup_with_version("3.0.0") == "READY");
  BOOST_TEST(c.handler.ready());
}

// CassandraVersion's grammar, (\d+)\.(\d+)(?:\.(\w+))?(?:\.(\w+))?(\-[-.\w]+)?([.+][.\w]+)?,
// over the whole value, with numbers that Integer.parseInt takes.
BOOST_AUTO_TEST_CASE(malformed_cql_versions_are_protocol_errors) {
  for (std::string v : {"abc",
                        "",
                        "3",
                        "3.",
                        "3.0.",
                        "3.x",
                        "x.0",
                        "3.0.x",
                        "3.0.0.x",
                        "3.0-",
                        "3.0.0-",
                        "3.0.0+",
                        "3.0-a+b+c",
                        " 3.0.0",
                        "3.0.0 ",
                        "3.0.0-r c",
                        "3.0_x.y",
                        "2.99.0-",
                        "2147483648.0.0",
                        "3.99999999999",
                        "3.0.0\xC3\xA9",
                        "-3.0.0",
                        "3..0"}) {
    Connection c;
    BOOST_TEST(c.startup_with_version(v) == invalid(v), v);
    BOOST_TEST(!c.handler.ready());
  }
}

// CassandraVersion.compareTo(2.99.0) < 0: the message quotes the value as sent.
BOOST_AUTO_TEST_CASE(cql_versions_before_2_99_0_are_protocol_errors) {
  for (std::string v :
       {"2.0.0", "1.99.99", "0.0", "2.98.99999", "2.99.0-rc1", "2.99-beta", "02.98.0"}) {
    Connection c;
    BOOST_TEST(c.startup_with_version(v) == too_old(v), v);
  }
  // 2.99.0 itself is not before 2.99.0, and neither is anything with a hotfix or a build.
  for (std::string v :
       {"2.99.0", "2.99", "2.99.0.0", "2.99.0+build", "2.99.0.1-rc1", "3.0.0", "3.4.5", "3.0",
        "4.0.0-beta.1+x", "3.0.1.", "3.0.0--", "10.0.0.0.1", "3.0-a.b+c", "03.00.0007"}) {
    Connection c;
    BOOST_TEST(c.startup_with_version(v) == "READY", v);
  }
}

BOOST_AUTO_TEST_CASE(startup_keys_are_upper_cased_and_compression_checked_after_the_version) {
  {
    Connection c;
    BOOST_TEST(c.startup({{"cql_version", "3.0.0"}}) == "READY");
  }
  {
    Connection c;  // the version is checked before the compression
    BOOST_TEST(c.startup({{"CQL_VERSION", "abc"}, {"COMPRESSION", "zip"}}) == invalid("abc"));
    // Cassandra quotes the algorithm lower-cased.
    BOOST_TEST(c.startup({{"CQL_VERSION", "3.0.0"}, {"Compression", "ZIP"}}) ==
               "Unknown compression algorithm: zip");
    BOOST_TEST(!c.handler.ready());
  }
  {
    Connection c(true);  // then the authenticator
    BOOST_TEST(c.startup_with_version("1.0.0") == too_old("1.0.0"));
    BOOST_TEST(c.startup_with_version("3.0.0") == "AUTHENTICATE");
  }
}

// Issue 16 item 7: Cassandra 4 decodes a request's body and ignores what follows it in the
// frame (transport/Message.java, Decoder.decodeMessage: no check of the remaining bytes), so
// a v4 client sending extra bytes gets its answer and keeps its connection.
BOOST_AUTO_TEST_CASE(bytes_after_a_complete_request_are_ignored_as_cassandra_does) {
  Connection c;
  BOOST_TEST(c.startup_with_version("3.0.0") == "READY");
  pr::Options options;
  BOOST_TEST(std::holds_alternative<pr::Supported>(c.send(options, 3)));
  pr::Query q;
  q.query = "SELECT release_version FROM system.local";
  pr::Response r = c.send(q, 7);
  const auto* result = std::get_if<pr::Result>(&r);
  BOOST_REQUIRE(result);
  BOOST_TEST(std::holds_alternative<pr::RowsResult>(*result));
  pr::Prepare p;
  p.query = "SELECT release_version FROM system.local";
  r = c.send(p, 1);
  result = std::get_if<pr::Result>(&r);
  BOOST_REQUIRE(result);
  BOOST_TEST(std::holds_alternative<pr::PreparedResult>(*result));
  // A body cut short is still refused: the bounds are the frame's.
  pr::Bytes in;
  BOOST_REQUIRE(pr::encode_request(pr::Request{q}, in).ok());
  pr::FrameHeader h;
  BOOST_REQUIRE(pr::decode_header(in, h).ok());
  h.length -= 3;
  in.resize(in.size() - 3);
  pr::encode_header(h, std::span<std::uint8_t, pr::kHeaderSize>(in.data(), pr::kHeaderSize));
  pr::FrameSlice frame;
  std::size_t needed = 0;
  BOOST_REQUIRE(pr::split_frame(in, frame, needed).ok());
  pr::Bytes out;
  (void)c.handler.handle(frame, out);
  pr::FrameSlice answer;
  BOOST_REQUIRE(pr::split_frame(out, answer, needed).ok());
  BOOST_TEST((answer.header.opcode == pr::Opcode::error));
}

BOOST_AUTO_TEST_SUITE_END()
