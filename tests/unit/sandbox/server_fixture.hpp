// Helpers for tests of the sandbox server over real loopback sockets: running coroutines to
// completion, a CQL Session to a node, raw frames on a blocking socket, test certificates.
#pragma once

#include "nosqlc/protocol/client/session.hpp"
#include "nosqlc/protocol/messages.hpp"
#include "nosqlc/sandbox/server.hpp"

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/use_future.hpp>
#include <asio/write.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <string>

namespace sandbox_test {

namespace pr = nosqlc::protocol;
namespace sb = nosqlc::sandbox;

// Runs `op` on a private io_context and returns its value (or rethrows).
template <class T>
T run(asio::io_context& io, asio::awaitable<T> op) {
  auto f = asio::co_spawn(io, std::move(op), asio::use_future);
  io.restart();
  io.run();
  return f.get();
}

inline sb::ServerOptions free_port(std::size_t nodes = 1) {
  sb::ServerOptions o;
  o.port = 0;
  o.nodes = nodes;
  return o;
}

// Session options for node `node` of `server`, with short timeouts for tests.
inline pr::SessionOptions session_to(const sb::Server& server, std::size_t node = 0) {
  pr::SessionOptions o;
  auto a = server.address(node);
  o.contact_points.push_back({a.host, a.port});
  // That node only: the session would otherwise discover the others and spread over them.
  o.host_filter = [host = a.host](const pr::HostInfo& h) { return h.address == host; };
  o.connection.connect_timeout = std::chrono::milliseconds(5000);
  o.connection.request_timeout = std::chrono::milliseconds(5000);
  o.reconnect_base = std::chrono::milliseconds(50);
  o.reconnect_max = std::chrono::milliseconds(500);
  return o;
}

// A blocking connection speaking raw frames, for what a driver would never send.
class RawClient {
 public:
  RawClient(const sb::Server& server, std::size_t node = 0) : socket_(io_) {
    auto a = server.address(node);
    socket_.connect({asio::ip::make_address(a.host), a.port});
  }
  void send(const pr::Request& r, std::int16_t stream = 1) {
    pr::Bytes frame;
    pr::FrameOptions fo;
    fo.stream = stream;
    BOOST_REQUIRE(pr::encode_request(r, frame, fo).ok());
    send_bytes(frame);
  }
  void send_bytes(const pr::Bytes& b) { asio::write(socket_, asio::buffer(b)); }
  // The next frame: its header and message (views `last_body_`).
  pr::Response receive(pr::FrameHeader* header = nullptr) {
    std::uint8_t h[pr::kHeaderSize];
    asio::read(socket_, asio::buffer(h));
    pr::FrameHeader fh;
    BOOST_REQUIRE(pr::decode_header(pr::BytesView(h, sizeof h), fh).ok());
    last_body_.resize(fh.length);
    asio::read(socket_, asio::buffer(last_body_));
    pr::FrameExtras extras;
    pr::BytesView message;
    BOOST_REQUIRE(pr::open_body(fh, last_body_, scratch_, extras, message).ok());
    pr::Response out;
    BOOST_REQUIRE(pr::decode_response(fh, message, out).ok());
    if (header) *header = fh;
    return out;
  }
  // True when the server closed the connection (reads end of file).
  bool closed_by_peer() {
    std::uint8_t b;
    std::error_code ec;
    socket_.read_some(asio::buffer(&b, 1), ec);
    return ec == asio::error::eof || ec == asio::error::connection_reset;
  }
  void startup() {
    pr::Startup s;
    s.options["CQL_VERSION"] = "3.0.0";
    send(s);
    BOOST_REQUIRE(std::holds_alternative<pr::Ready>(receive()));
  }

 private:
  asio::io_context io_;
  asio::ip::tcp::socket socket_;
  pr::Bytes last_body_, scratch_;
};

// The directory of freshly made test certificates (tests/support/make-certs.sh), or "".
std::string test_certificates();

}  // namespace sandbox_test
