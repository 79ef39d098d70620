// The sandbox server over loopback sockets, driven by nosqlc's own CQL client and by raw
// frames: handshake, lz4, several nodes, stopping and restarting a node, faults, auth, TLS,
// events, and hostile input.
#include "server_fixture.hpp"

#include <nosqlc/protocol/client_errors.hpp>
#include <nosqlc/protocol/values.hpp>

#include <cstdlib>
#include <filesystem>
#include <thread>

using namespace sandbox_test;
using namespace std::chrono_literals;

namespace sandbox_test {

std::string test_certificates() {
  static const std::string dir = [] {
    auto d = std::filesystem::temp_directory_path() /
             ("nosqlc-sandbox-certs-" + std::to_string(::getpid()));
    std::string cmd =
        std::string("bash '") + NOSQLC_MAKE_CERTS + "' '" + d.string() + "' >/dev/null";
    if (std::system(cmd.c_str()) != 0) return std::string();
    static const struct Remove {
      std::filesystem::path dir;
      ~Remove() {
        std::error_code ignored;
        std::filesystem::remove_all(dir, ignored);
      }
    } remove{d};
    return d.string();
  }();
  return dir;
}

}  // namespace sandbox_test

namespace {

std::string text_of(std::optional<pr::BytesView> cell) {
  BOOST_REQUIRE(cell.has_value());
  return std::string(reinterpret_cast<const char*>(cell->data()), cell->size());
}

// The number of rows of `cql` through `s`.
asio::awaitable<std::int32_t> count(pr::Session& s, std::string cql) {
  auto r = co_await s.query(std::move(cql));
  co_return r.rows() ? r.rows()->row_count : -1;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox_server)

BOOST_AUTO_TEST_CASE(session_round_trip_with_and_without_lz4) {
  sb::Server server(free_port());
  for (bool lz4 : {true, false}) {
    BOOST_TEST_CONTEXT("lz4 " << lz4) {
      asio::io_context io;
      auto o = session_to(server);
      o.connection.compression = lz4;
      auto body = [&]() -> asio::awaitable<void> {
        auto s = co_await pr::Session::connect(io.get_executor(), o);
        co_await s->query(
            "CREATE KEYSPACE IF NOT EXISTS ks WITH replication = "
            "{'class': 'SimpleStrategy', 'replication_factor': 1}");
        co_await s->query("CREATE TABLE IF NOT EXISTS ks.t (k text PRIMARY KEY, v text)");
        auto ins = co_await s->prepare("INSERT INTO ks.t (k, v) VALUES (?, ?)");
        std::string big(100000, 'x');  // compresses well
        pr::Bytes k{'a'};
        pr::Bytes v(big.begin(), big.end());
        std::vector<pr::Value> values{pr::Value::of(k), pr::Value::of(v)};
        co_await s->execute(ins, values);
        auto r = co_await s->query("SELECT v FROM ks.t WHERE k = 'a'");
        BOOST_REQUIRE(r.rows() && r.rows()->row_count == 1);
        BOOST_TEST(text_of((*r.rows()->rows().begin())[0]) == big);
        co_await s->close();
      };
      run(io, body());
    }
  }
}

BOOST_AUTO_TEST_CASE(three_nodes_list_each_other_as_peers) {
  sb::Server server(free_port(3));
  BOOST_TEST(server.node_count() == 3u);
  for (std::size_t i = 0; i < 3; ++i) {
    BOOST_TEST(server.address(i).host == "127.0.0." + std::to_string(i + 1));
    BOOST_TEST(server.address(i).port == server.port());
    asio::io_context io;
    auto body = [&]() -> asio::awaitable<void> {
      auto s = co_await pr::Session::connect(io.get_executor(), session_to(server, i));
      auto local = co_await s->query("SELECT rpc_address FROM system.local");
      BOOST_REQUIRE(local.rows() && local.rows()->row_count == 1);
      pr::Inet addr;
      auto cell = (*local.rows()->rows().begin())[0];
      BOOST_REQUIRE(cell.has_value());
      BOOST_REQUIRE(pr::decode_inet(*cell, addr).ok());
      BOOST_TEST(addr.address.back() == i + 1);
      BOOST_TEST(co_await count(*s, "SELECT * FROM system.peers") == 2);
      co_await s->close();
    };
    run(io, body());
  }
  // One store: what one node writes, another reads.
  asio::io_context io;
  auto body = [&]() -> asio::awaitable<void> {
    auto a = co_await pr::Session::connect(io.get_executor(), session_to(server, 0));
    auto b = co_await pr::Session::connect(io.get_executor(), session_to(server, 2));
    co_await a->query(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 3}");
    co_await a->query("CREATE TABLE ks.t (k int PRIMARY KEY)");
    co_await a->query("INSERT INTO ks.t (k) VALUES (1)");
    BOOST_TEST(co_await count(*b, "SELECT * FROM ks.t") == 1);
    BOOST_TEST(co_await b->wait_for_schema_agreement(2s));
    co_await a->close();
    co_await b->close();
  };
  run(io, body());
}

BOOST_AUTO_TEST_CASE(restarted_node_forgets_prepared_statements_and_the_session_recovers) {
  sb::Server server(free_port(2));
  asio::io_context io;
  auto o = session_to(server, 1);
  auto body = [&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(io.get_executor(), o);
    co_await s->query(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 1}");
    co_await s->query("CREATE TABLE ks.t (k int PRIMARY KEY)");
    auto sel = co_await s->prepare("SELECT * FROM ks.t");
    server.stop_node(1);
    BOOST_TEST(server.connections(1) == 0u);
    // The peers of the stopped node still list it (as Cassandra does).
    {
      asio::io_context io2;
      auto other = [&]() -> asio::awaitable<void> {
        auto s0 = co_await pr::Session::connect(io2.get_executor(), session_to(server, 0));
        BOOST_TEST(co_await count(*s0, "SELECT * FROM system.peers") == 1);
        co_await s0->close();
      };
      run(io2, other());
    }
    server.restart_node(1);
    // The session reconnects; its next EXECUTE meets Unprepared and prepares again.
    std::optional<pr::QueryResult> r;
    for (int i = 0; i < 100 && !r; ++i) {
      try {
        r = co_await s->execute(sel, {});
      } catch (const pr::ClientError& e) {
        BOOST_TEST_MESSAGE("retrying: " << e.what());
      }
      if (!r) {
        asio::steady_timer t(io, 50ms);
        co_await t.async_wait(asio::use_awaitable);
      }
    }
    BOOST_TEST(r.has_value());
    co_await s->close();
  };
  run(io, body());
}

BOOST_AUTO_TEST_CASE(faults_latency_silence_closing_and_errors) {
  sb::Server server(free_port());
  asio::io_context io;
  auto o = session_to(server);
  auto body = [&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(io.get_executor(), o);
    co_await s->query(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 1}");
    co_await s->query("CREATE TABLE ks.t (k int PRIMARY KEY)");
    auto sel = co_await s->prepare("SELECT * FROM ks.t");

    sb::Faults f;
    f.error = pr::ServerErrorCode::overloaded;
    f.error_share = 1;
    server.set_faults(0, f);
    try {
      co_await s->execute(sel, {});
      BOOST_FAIL("expected Overloaded");
    } catch (const pr::CqlError& e) {
      BOOST_TEST((e.server_code() == pr::ServerErrorCode::overloaded));
    }
    f.error = pr::ServerErrorCode::unavailable;
    server.set_faults(0, f);
    try {
      co_await s->execute(sel, {});
      BOOST_FAIL("expected Unavailable");
    } catch (const pr::CqlError& e) {
      BOOST_TEST((e.server_code() == pr::ServerErrorCode::unavailable));
      const auto& d = std::get<pr::UnavailableError>(e.details());
      BOOST_TEST(d.required == 1);
      BOOST_TEST(d.alive == 0);
    }
    // QUERY is spared, so drivers can still read the system tables.
    BOOST_TEST(co_await count(*s, "SELECT * FROM ks.t") == 0);

    f = {};
    f.latency = 300ms;
    server.set_faults(0, f);
    pr::StatementOptions quick;
    quick.timeout = 50ms;
    try {
      co_await s->execute(sel, {}, quick);
      BOOST_FAIL("expected a timeout");
    } catch (const pr::ClientError& e) {
      BOOST_TEST((e.code() == pr::make_error_code(pr::client_errc::timeout)));
    }
    // With patience the late answer comes.
    pr::StatementOptions patient;
    patient.timeout = 5000ms;
    co_await s->execute(sel, {}, patient);

    f = {};
    f.silent = true;
    server.set_faults(0, f);
    try {
      co_await s->execute(sel, {}, quick);
      BOOST_FAIL("expected a timeout");
    } catch (const pr::ClientError& e) {
      BOOST_TEST((e.code() == pr::make_error_code(pr::client_errc::timeout)));
    }
    co_await s->close();
  };
  run(io, body());

  // Closing after N statements: the connection breaks, the session reconnects.
  sb::Faults f;
  f.close_after = 3;
  server.set_faults(0, f);
  asio::io_context io2;
  auto closing = [&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(io2.get_executor(), session_to(server));
    int ok = 0, failed = 0;
    for (int i = 0; i < 6; ++i) {
      bool worked = false;
      try {
        co_await s->query("SELECT * FROM system.local");
        worked = true;
      } catch (const pr::ClientError&) {
      }
      (worked ? ok : failed)++;
      if (!worked) {
        asio::steady_timer t(io2, 100ms);
        co_await t.async_wait(asio::use_awaitable);
      }
    }
    BOOST_TEST(ok >= 3);
    BOOST_TEST(failed >= 1);
    co_await s->close();
  };
  run(io2, closing());
}

BOOST_AUTO_TEST_CASE(password_authentication) {
  auto opts = free_port();
  opts.users = {{"cassandra", "secret"}};
  sb::Server server(opts);
  asio::io_context io;
  auto o = session_to(server);
  o.connection.credentials = pr::Credentials{"cassandra", "secret"};
  auto good = [&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(io.get_executor(), o);
    BOOST_TEST(co_await count(*s, "SELECT * FROM system.local") == 1);
    co_await s->close();
  };
  run(io, good());
  for (auto creds : {std::optional<pr::Credentials>(pr::Credentials{"cassandra", "wrong"}),
                     std::optional<pr::Credentials>()}) {
    o.connection.credentials = creds;
    auto bad = [&]() -> asio::awaitable<void> {
      try {
        auto s = co_await pr::Session::connect(io.get_executor(), o);
        BOOST_FAIL("connected without the right password");
      } catch (const pr::ClientError& e) {
        BOOST_TEST((e.code() == pr::make_error_code(pr::client_errc::authentication_error)),
                   e.what());
      }
    };
    run(io, bad());
  }
}

#if NOSQLC_WITH_TLS  // a build without TLS refuses TLS options (tests/unit/client)
BOOST_AUTO_TEST_CASE(tls_with_certificates_made_now) {
  std::string certs = test_certificates();
  BOOST_REQUIRE_MESSAGE(!certs.empty(), "openssl could not make test certificates");
  auto opts = free_port();
  opts.tls_cert = certs + "/server.pem";
  opts.tls_key = certs + "/server.key";
  sb::Server server(opts);
  asio::io_context io;
  auto o = session_to(server);
  o.connection.tls.enabled = true;
  o.connection.tls.ca_file = certs + "/ca.pem";
  auto body = [&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(io.get_executor(), o);
    BOOST_TEST(co_await count(*s, "SELECT * FROM system.local") == 1);
    co_await s->close();
  };
  run(io, body());
  // Plain TCP to a TLS node gets nowhere.
  o.connection.tls.enabled = false;
  o.connection.connect_timeout = 1000ms;
  auto plain = [&]() -> asio::awaitable<void> {
    try {
      co_await pr::Session::connect(io.get_executor(), o);
      BOOST_FAIL("plain TCP was accepted by a TLS node");
    } catch (const pr::ClientError&) {
    }
  };
  run(io, plain());
}
#endif

BOOST_AUTO_TEST_CASE(handshake_rules) {
  sb::Server server(free_port());
  RawClient c(server);
  // A statement before STARTUP.
  pr::Query q;
  q.query = "SELECT * FROM system.local";
  c.send(q);
  auto r = c.receive();
  const auto& e = std::get<pr::ServerError>(r);
  BOOST_TEST((e.code == pr::ServerErrorCode::protocol_error));
  BOOST_TEST(e.message == "Unexpected message QUERY, expecting STARTUP or OPTIONS");
  // An unknown compression.
  pr::Startup s;
  s.options["CQL_VERSION"] = "3.0.0";
  s.options["COMPRESSION"] = "snappy";
  c.send(s);
  BOOST_TEST(std::get<pr::ServerError>(c.receive()).message ==
             "Unknown compression algorithm: snappy");
  c.startup();
  c.send(q, 7);
  pr::FrameHeader h;
  auto rows = c.receive(&h);
  BOOST_TEST(h.stream == 7);
  BOOST_TEST(std::holds_alternative<pr::Result>(rows));
}

BOOST_AUTO_TEST_CASE(other_protocol_versions_are_refused_as_cassandra_does) {
  sb::Server server(free_port());
  RawClient c(server);
  pr::Bytes frame;
  pr::FrameOptions fo;
  fo.stream = 3;
  BOOST_REQUIRE(pr::encode_request(pr::Options{}, frame, fo).ok());
  frame[0] = 0x05;  // a v5 OPTIONS
  c.send_bytes(frame);
  pr::FrameHeader h;
  auto r = c.receive(&h);
  const auto& e = std::get<pr::ServerError>(r);
  BOOST_TEST((e.code == pr::ServerErrorCode::protocol_error));
  // The drivers look for this phrase before trying a lower version.
  BOOST_TEST(e.message.find("unsupported protocol version") != std::string::npos, e.message);
  BOOST_TEST(h.stream == 3);
  BOOST_TEST(c.closed_by_peer());
}

BOOST_AUTO_TEST_CASE(garbage_and_huge_frames_close_only_their_connection) {
  sb::Server server(free_port());
  RawClient good(server);
  good.startup();
  {
    RawClient bad(server);
    // A header announcing a 1 GiB body: refused before anything is allocated.
    pr::Bytes frame{0x04, 0x00, 0x00, 0x01, 0x07, 0x40, 0x00, 0x00, 0x00};
    bad.send_bytes(frame);
    auto r = bad.receive();
    BOOST_TEST((std::get<pr::ServerError>(r).code == pr::ServerErrorCode::protocol_error));
    BOOST_TEST(bad.closed_by_peer());
  }
  {
    RawClient bad(server);
    pr::Bytes junk(4096, 0xAB);
    bad.send_bytes(junk);
    // 0xAB is no protocol version: a ProtocolError, then the end of the connection.
    BOOST_TEST(
        (std::get<pr::ServerError>(bad.receive()).code == pr::ServerErrorCode::protocol_error));
    BOOST_TEST(bad.closed_by_peer());
  }
  {
    // A well-framed body that is not a valid message: an error, the connection stays usable.
    RawClient odd(server);
    odd.startup();
    pr::Bytes frame{0x04, 0x00, 0x00, 0x02, 0x07, 0x00, 0x00, 0x00, 0x02, 0xFF, 0xFF};
    odd.send_bytes(frame);
    BOOST_TEST(
        (std::get<pr::ServerError>(odd.receive()).code == pr::ServerErrorCode::protocol_error));
    pr::Query q;
    q.query = "SELECT * FROM system.local";
    odd.send(q);
    BOOST_TEST(std::holds_alternative<pr::Result>(odd.receive()));
  }
  pr::Query q;
  q.query = "SELECT * FROM system.local";
  good.send(q);
  BOOST_TEST(std::holds_alternative<pr::Result>(good.receive()));
}

BOOST_AUTO_TEST_CASE(schema_and_status_events_reach_registered_connections) {
  sb::Server server(free_port(2));
  RawClient listener(server, 0);
  listener.startup();
  pr::Register reg;
  reg.events = {"SCHEMA_CHANGE", "STATUS_CHANGE"};
  listener.send(reg);
  BOOST_REQUIRE(std::holds_alternative<pr::Ready>(listener.receive()));
  RawClient writer(server, 1);
  writer.startup();
  pr::Query q;
  q.query =
      "CREATE KEYSPACE ev WITH replication = {'class': 'SimpleStrategy', "
      "'replication_factor': 1}";
  writer.send(q);
  BOOST_REQUIRE(std::holds_alternative<pr::Result>(writer.receive()));
  pr::FrameHeader h;
  auto ev = listener.receive(&h);
  BOOST_TEST(h.stream == -1);
  const auto& sc = std::get<pr::SchemaChange>(std::get<pr::Event>(ev));
  BOOST_TEST(sc.keyspace == "ev");
  server.stop_node(1);
  auto down = listener.receive(&h);
  const auto& st = std::get<pr::StatusChange>(std::get<pr::Event>(down));
  BOOST_TEST((st.change == pr::StatusChangeType::down));
  BOOST_TEST(st.node.address.back() == 2);
}

BOOST_AUTO_TEST_CASE(a_reader_that_never_reads_does_not_grow_the_server) {
  auto server = std::make_unique<sb::Server>(free_port());
  RawClient flood(*server);
  flood.startup();
  // Thousands of requests without reading an answer: the server stops reading once its
  // answers back up, and serves the others meanwhile.
  pr::Query q;
  q.query = "SELECT * FROM system_schema.columns";
  pr::Bytes one;
  pr::FrameOptions fo;
  BOOST_REQUIRE(pr::encode_request(q, one, fo).ok());
  pr::Bytes many;
  for (int i = 0; i < 2000; ++i)
    many.insert(many.end(), one.begin(), one.end());
  std::thread writer([&] {
    try {
      for (int i = 0; i < 20; ++i)
        flood.send_bytes(many);
    } catch (...) {
    }
  });
  // However the case ends: stopping the server closes the flooding connection, which ends the
  // blocked writer (a joinable thread left behind would abort the whole test run).
  struct Stop {
    std::unique_ptr<sb::Server>& server;
    std::thread& writer;
    ~Stop() {
      server.reset();
      if (writer.joinable()) writer.join();
    }
  } stop{server, writer};
  asio::io_context io;
  auto other = [&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(io.get_executor(), session_to(*server));
    BOOST_TEST(co_await count(*s, "SELECT * FROM system.local") == 1);
    co_await s->close();
  };
  run(io, other());
  // The flood is held at the answers' limit (8 MiB queued), not one read's worth of requests
  // (a thousand answers of system_schema.columns, far more).
  BOOST_TEST(server->max_queued_bytes() <= std::size_t{9} * 1024 * 1024);
}

BOOST_AUTO_TEST_SUITE_END()
