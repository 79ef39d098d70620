// Connection::open against the scripted peer: authentication, unsupported servers, the
// connect timeout, TLS.
#include "scripted_peer.hpp"

#include <nosqlc/protocol/client/connection.hpp>
#include <nosqlc/protocol/client/session.hpp>
#include <nosqlc/protocol/compression.hpp>

#include <asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <stdexcept>

using namespace nosqlc::test;
using proto::client_errc;
using proto::Opcode;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kPasswordAuthenticator = "org.apache.cassandra.auth.PasswordAuthenticator";

proto::ConnectionOptions quick() {
  proto::ConnectionOptions o;
  o.connect_timeout = 5s;
  o.request_timeout = 10s;
  o.heartbeat_interval = 0ms;
  o.compression = true;  // these tests exercise lz4 wherever the peer offers it
  return o;
}

asio::awaitable<void> open_and_close(proto::Endpoint ep, proto::ConnectionOptions o) {
  auto ex = co_await asio::this_coro::executor;
  auto c = co_await proto::Connection::open(ex, std::move(ep), std::move(o));
  proto::Query q;
  q.query = "SELECT now() FROM system.local";
  auto reply = co_await c.request(q);
  BOOST_TEST(keyspace_of(reply->message) == "SELECT now() FROM system.local");
  c.close();
}

// STARTUP is answered by AUTHENTICATE `authenticator`; AUTH_RESPONSE succeeds only for the
// PLAIN token of cassandra / s3cret.
void require_password(ScriptedPeer& peer, std::string authenticator = kPasswordAuthenticator) {
  peer.on(Opcode::startup, [authenticator](const PeerConnectionPtr& c, const Seen& s) {
    c->reply(s.stream, proto::Authenticate{authenticator});
  });
  peer.on(Opcode::auth_response, [](const PeerConnectionPtr& c, const Seen& s) {
    const std::string plain("\0cassandra\0s3cret", 17);
    if (std::string(s.token.begin(), s.token.end()) == plain) {
      c->reply(s.stream, proto::AuthSuccess{});
    } else {
      c->reply(s.stream, proto::ServerError{proto::ServerErrorCode::bad_credentials,
                                            "Provided username cassandra and/or password are "
                                            "incorrect",
                                            {}});
    }
  });
}

// QUERY `text` (a parameter, not a lambda capture: it must outlive the caller's scope).
asio::awaitable<std::string> echo(proto::Connection c, std::string text) {
  proto::Query q;
  q.query = text;
  auto reply = co_await c.request(q);
  co_return keyspace_of(reply->message);
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_handshake)

BOOST_AUTO_TEST_CASE(password_authentication_succeeds) {
  asio::io_context io;
  ScriptedPeer peer(io);
  require_password(peer);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.credentials = proto::Credentials{"cassandra", "s3cret"};
    co_await open_and_close(peer.endpoint(), o);
    BOOST_TEST(peer.count(Opcode::auth_response) == 1u);
  });
}

BOOST_AUTO_TEST_CASE(wrong_password_is_an_authentication_error) {
  asio::io_context io;
  ScriptedPeer peer(io);
  require_password(peer);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.credentials = proto::Credentials{"cassandra", "wrong"};
    auto f = co_await failure_of(open_and_close(peer.endpoint(), o));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::authentication_error));
    BOOST_TEST(contains(f->what, "incorrect"));
  });
}

BOOST_AUTO_TEST_CASE(missing_credentials_are_an_authentication_error) {
  asio::io_context io;
  ScriptedPeer peer(io);
  require_password(peer);
  run(io, [&]() -> asio::awaitable<void> {
    auto f = co_await failure_of(open_and_close(peer.endpoint(), quick()));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::authentication_error));
    BOOST_TEST(peer.count(Opcode::auth_response) == 0u);
  });
}

BOOST_AUTO_TEST_CASE(unknown_authenticator_is_named_in_the_error) {
  asio::io_context io;
  ScriptedPeer peer(io);
  require_password(peer, "com.example.KerberosAuthenticator");
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.credentials = proto::Credentials{"cassandra", "s3cret"};
    auto f = co_await failure_of(open_and_close(peer.endpoint(), o));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::authentication_error));
    BOOST_TEST(contains(f->what, "com.example.KerberosAuthenticator"));
    BOOST_TEST(peer.count(Opcode::auth_response) == 0u);
  });
}

BOOST_AUTO_TEST_CASE(protocol_error_to_options_means_unsupported_server) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::options, [](const PeerConnectionPtr& c, const Seen& s) {
    c->reply(s.stream,
             proto::ServerError{proto::ServerErrorCode::protocol_error,
                                "Invalid or unsupported protocol version (4); supported versions "
                                "are (5/v5)",
                                {}});
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto f = co_await failure_of(open_and_close(peer.endpoint(), quick()));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::unsupported_server));
    BOOST_TEST(contains(f->what, "unsupported protocol version"));
  });
}

BOOST_AUTO_TEST_CASE(answer_in_another_protocol_version_means_unsupported_server) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::options, [](const PeerConnectionPtr& c, const Seen& s) {
    // A v3 server's ERROR frame: version byte 0x83.
    proto::Bytes frame;
    proto::FrameOptions fo;
    fo.stream = s.stream;
    proto::ServerError e{proto::ServerErrorCode::protocol_error, "v3 only", {}};
    if (!proto::encode_response(e, frame, fo)) return;
    frame[0] = 0x83;
    c->send_raw(std::move(frame));
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto f = co_await failure_of(open_and_close(peer.endpoint(), quick()));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::unsupported_server));
  });
}

BOOST_AUTO_TEST_CASE(silent_listener_times_out_within_the_connect_timeout) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.set_silent(true);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.connect_timeout = 300ms;
    auto began = Clock::now();
    auto f = co_await failure_of(open_and_close(peer.endpoint(), o));
    auto took = Clock::now() - began;
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::timeout));
    BOOST_TEST((took >= 250ms));
    BOOST_TEST((took < 5s));
    BOOST_TEST(peer.count(Opcode::options) == 1u);
  });
}

BOOST_AUTO_TEST_CASE(refused_connection_is_a_connection_error) {
  asio::io_context io;
  proto::Endpoint closed_port;
  {
    ScriptedPeer peer(io);
    closed_port = peer.endpoint();
  }
  run(io, [&]() -> asio::awaitable<void> {
    auto f = co_await failure_of(open_and_close(closed_port, quick()));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::connection_error));
  });
}

BOOST_AUTO_TEST_CASE(use_keyspace_after_startup) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto c = co_await proto::Connection::open(ex, peer.endpoint(), quick(), "orders_ks");
    BOOST_TEST_REQUIRE(peer.seen().size() == 3u);
    BOOST_TEST(peer.seen()[2].text == "USE \"orders_ks\"");
    c.close();
  });
}

// ---- TLS ----

BOOST_AUTO_TEST_CASE(tls_verification_is_on_by_default) {
  BOOST_TEST(proto::TlsOptions{}.verify);
  BOOST_TEST(proto::ConnectionOptions{}.tls.verify);
}

namespace {

struct TlsCase {
  std::string cert;  // the peer's certificate: server, client or rogue
  std::string listen = "127.0.0.1";
  std::string host = "127.0.0.1";  // what the client connects to
  bool verify = true;
  bool peer_requires_client_cert = false;
  std::string client_cert = {};  // the client's certificate (client or rogue), none when empty
};

// Opens a TLS connection as `t` says and queries once; nullopt when that worked.
std::optional<Failure> tls_attempt(const TlsCase& t) {
  const std::string& dir = cert_dir();
  BOOST_TEST_REQUIRE(!dir.empty(), "make-certs.sh failed (is openssl installed?)");
  asio::io_context io;
  PeerTls peer_tls{dir + "/" + t.cert + ".pem", dir + "/" + t.cert + ".key", ""};
  if (t.peer_requires_client_cert) peer_tls.client_ca_file = dir + "/ca.pem";
  ScriptedPeer peer(io, t.listen, peer_tls);
  std::optional<Failure> result;
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.tls.enabled = true;
    o.tls.ca_file = dir + "/ca.pem";
    o.tls.verify = t.verify;
    if (!t.client_cert.empty()) {
      o.tls.cert_file = dir + "/" + t.client_cert + ".pem";
      o.tls.key_file = dir + "/" + t.client_cert + ".key";
    }
    auto ep = peer.endpoint();
    ep.host = t.host;
    result = co_await failure_of(open_and_close(ep, o));
  });
  return result;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tls, *boost::unit_test::precondition([](auto) { return kBuiltWithTls; }))

BOOST_AUTO_TEST_CASE(tls_with_the_test_ca_succeeds) {
  auto by_ip = tls_attempt({"server"});
  BOOST_TEST(!by_ip.has_value(), (by_ip ? by_ip->what : ""));
  auto by_name = tls_attempt({"server", "127.0.0.1", "localhost"});
  BOOST_TEST(!by_name.has_value(), (by_name ? by_name->what : ""));
}

BOOST_AUTO_TEST_CASE(tls_rejects_a_certificate_from_another_ca) {
  auto f = tls_attempt({"rogue"});
  BOOST_TEST_REQUIRE(f.has_value());
  BOOST_TEST(f->code == make_error_code(client_errc::connection_error));
  BOOST_TEST(contains(f->what, "TLS"));
}

BOOST_AUTO_TEST_CASE(tls_rejects_a_host_name_mismatch) {
  // client.pem names only DNS:nosqlc-client (and is for clients: OpenSSL reports that first).
  auto f = tls_attempt({"client"});
  BOOST_TEST_REQUIRE(f.has_value());
  BOOST_TEST(f->code == make_error_code(client_errc::connection_error));
  // The CA's valid server certificate, reached at an address it does not name.
  auto other = tls_attempt({"server", "127.0.0.9", "127.0.0.9"});
  BOOST_TEST_REQUIRE(other.has_value());
  BOOST_TEST(other->code == make_error_code(client_errc::connection_error));
  BOOST_TEST(contains(other->what, "mismatch"), other->what);
  // ... and at a name it does not carry.
  auto by_name = tls_attempt({"server", "127.0.0.1", "localhost.localdomain"});
  BOOST_TEST_REQUIRE(by_name.has_value());
  BOOST_TEST(by_name->code == make_error_code(client_errc::connection_error));
}

BOOST_AUTO_TEST_CASE(tls_client_certificate_when_the_peer_requires_one) {
  TlsCase with{"server"};
  with.peer_requires_client_cert = true;
  with.client_cert = "client";
  auto ok = tls_attempt(with);
  BOOST_TEST(!ok.has_value(), (ok ? ok->what : ""));

  TlsCase without = with;
  without.client_cert.clear();
  auto refused = tls_attempt(without);
  BOOST_TEST_REQUIRE(refused.has_value());
  BOOST_TEST(refused->code == make_error_code(client_errc::connection_error));

  TlsCase rogue = with;  // signed by another CA
  rogue.client_cert = "rogue";
  auto rejected = tls_attempt(rogue);
  BOOST_TEST_REQUIRE(rejected.has_value());
  BOOST_TEST(rejected->code == make_error_code(client_errc::connection_error));
}

BOOST_AUTO_TEST_CASE(tls_missing_key_file_is_named) {
  const std::string& dir = cert_dir();
  BOOST_TEST_REQUIRE(!dir.empty());
  asio::io_context io;
  ScriptedPeer peer(io, "127.0.0.1", PeerTls{dir + "/server.pem", dir + "/server.key", ""});
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.tls.enabled = true;
    o.tls.ca_file = dir + "/ca.pem";
    o.tls.cert_file = dir + "/client.pem";
    o.tls.key_file = dir + "/no-such.key";
    auto f = co_await failure_of(open_and_close(peer.endpoint(), o));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::connection_error));
    BOOST_TEST(contains(f->what, "no-such.key"), f->what);
  });
}

BOOST_AUTO_TEST_CASE(tls_without_verification_accepts_any_certificate) {
  auto f = tls_attempt({"rogue", "127.0.0.1", "127.0.0.1", false});
  BOOST_TEST(!f.has_value(), (f ? f->what : ""));
}

BOOST_AUTO_TEST_CASE(tls_carries_many_requests_at_once_with_lz4) {
  const std::string& dir = cert_dir();
  BOOST_TEST_REQUIRE(!dir.empty());
  asio::io_context io;
  ScriptedPeer peer(io, "127.0.0.1", PeerTls{dir + "/server.pem", dir + "/server.key", ""});
  peer.set_supported({{"CQL_VERSION", {"3.0.0"}}, {"COMPRESSION", {"lz4"}}});
  constexpr std::size_t n = 64;
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.tls.enabled = true;
    o.tls.ca_file = dir + "/ca.pem";
    auto ex = co_await asio::this_coro::executor;
    auto c = co_await proto::Connection::open(ex, peer.endpoint(), o);
    // Queued behind the first write, these leave joined in one TLS write.
    std::vector<std::shared_ptr<Outcome<std::string>>> outs;
    for (std::size_t i = 0; i < n; ++i) {
      outs.push_back(start(ex, echo(c, "q" + std::to_string(i) + std::string(i * 10, '.'))));
    }
    bool all = co_await eventually(
        [&] { return std::all_of(outs.begin(), outs.end(), [](auto& x) { return x->done; }); });
    BOOST_TEST_REQUIRE(all);
    for (std::size_t i = 0; i < n; ++i) {
      BOOST_TEST_CONTEXT("request " << i) {
        BOOST_TEST_REQUIRE(outs[i]->value.has_value());
        BOOST_TEST(*outs[i]->value == "q" + std::to_string(i) + std::string(i * 10, '.'));
      }
    }
    BOOST_TEST(c.compressed() == proto::lz4_available());
    c.close();
  });
  BOOST_TEST(peer.violations().empty());
}

BOOST_AUTO_TEST_SUITE_END()  // tls

// Built with NOSQLC_WITH_TLS=OFF, asking for TLS (ConnectionOptions::tls, or tls=true in a
// nosqlc:cassandra: URL) fails to connect with an error naming the build; nothing is ever sent
// in plain text instead.
BOOST_AUTO_TEST_SUITE(without_tls,
                      *boost::unit_test::precondition([](auto) { return !kBuiltWithTls; }))

BOOST_AUTO_TEST_CASE(tls_requested_is_refused_naming_the_build) {
  asio::io_context io;
  ScriptedPeer peer(io);  // plain text: the client must not talk to it
  std::optional<Failure> f;
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.tls.enabled = true;
    o.tls.ca_file = "/nonexistent/ca.pem";  // never read
    f = co_await failure_of(open_and_close(peer.endpoint(), o));
  });
  BOOST_TEST_REQUIRE(f.has_value());
  BOOST_TEST(f->code == make_error_code(client_errc::connection_error));
  BOOST_TEST(contains(f->what, "TLS requested but nosqlc was built without TLS"), f->what);
  BOOST_TEST(peer.seen().empty());
  BOOST_TEST(peer.violations().empty());
}

BOOST_AUTO_TEST_CASE(session_with_tls_names_the_build_for_every_host) {
  asio::io_context io;
  ScriptedPeer first(io);
  ScriptedPeer second(io);
  std::optional<Failure> f;
  run(io, [&]() -> asio::awaitable<void> {
    proto::SessionOptions o;
    o.contact_points.push_back(first.endpoint());
    o.contact_points.push_back(second.endpoint());
    o.connection = quick();
    o.connection.tls.enabled = true;
    auto ex = co_await asio::this_coro::executor;
    f = co_await failure_of(proto::Session::connect(ex, o));
  });
  BOOST_TEST_REQUIRE(f.has_value());
  BOOST_TEST(f->code == make_error_code(client_errc::connection_error));
  BOOST_TEST(contains(f->what, "no contact point reachable"), f->what);
  const std::string_view no_tls = "built without TLS";
  BOOST_TEST(f->what.find(no_tls) != f->what.rfind(no_tls), f->what);  // once per host
  BOOST_TEST(first.seen().empty());
  BOOST_TEST(second.seen().empty());
}

BOOST_AUTO_TEST_CASE(the_scripted_peer_cannot_listen_with_tls) {
  asio::io_context io;
  BOOST_CHECK_THROW(ScriptedPeer(io, "127.0.0.1", PeerTls{"server.pem", "server.key", ""}),
                    std::logic_error);
}

BOOST_AUTO_TEST_SUITE_END()  // without_tls

BOOST_AUTO_TEST_SUITE_END()
