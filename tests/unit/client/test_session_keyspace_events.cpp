// Session against the scripted peer: prepared statements belong to the keyspace they were
// prepared in, options out of range are refused, and server events reach the session's handler
// through one registered connection.
#include "scripted_peer.hpp"

#include <nosqlc/protocol/client/session.hpp>

#include <asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

using namespace nosqlc::test;
using proto::Opcode;

namespace {

proto::SessionOptions options_for(const ScriptedPeer& peer) {
  proto::SessionOptions o;
  o.contact_points = {peer.endpoint()};
  o.connection.connect_timeout = 10s;
  o.connection.request_timeout = 10s;
  o.connection.heartbeat_interval = 0ms;
  o.reconnect_base = 20ms;
  o.reconnect_max = 100ms;
  return o;
}

asio::awaitable<std::shared_ptr<proto::Session>> connect(proto::SessionOptions o) {
  auto ex = co_await asio::this_coro::executor;
  co_return co_await proto::Session::connect(ex, std::move(o));
}

std::set<std::size_t> connections_sent(const ScriptedPeer& peer, Opcode op) {
  std::set<std::size_t> out;
  for (const auto& s : peer.seen()) {
    if (s.opcode == op) out.insert(s.connection);
  }
  return out;
}

proto::SchemaChange table_created(std::string keyspace, std::string table) {
  proto::SchemaChange sc;
  sc.change = proto::SchemaChangeType::created;
  sc.target = proto::SchemaTarget::table;
  sc.keyspace = std::move(keyspace);
  sc.name = std::move(table);
  return sc;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_session_keyspace_events)

BOOST_AUTO_TEST_CASE(one_text_prepared_under_two_keyspaces_is_two_statements) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = options_for(peer);
    o.keyspace = "ks1";
    auto session = co_await connect(o);
    const std::string cql = "SELECT v FROM t WHERE pk = ?";
    auto in_ks1 = co_await session->prepare(cql);
    BOOST_TEST(in_ks1->keyspace == "ks1");
    co_await session->set_keyspace("ks2");
    auto in_ks2 = co_await session->prepare(cql);
    BOOST_TEST(in_ks2 != in_ks1);  // not the statement that reads ks1.t
    BOOST_TEST(in_ks2->keyspace == "ks2");
    BOOST_TEST(peer.count(Opcode::prepare) == 2u);
    auto again = co_await session->prepare(cql);
    BOOST_TEST(again == in_ks2);
    BOOST_TEST(peer.count(Opcode::prepare) == 2u);
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(forgotten_statement_of_another_keyspace_fails_instead_of_switching_tables) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::execute, [](const PeerConnectionPtr& c, const Seen& s) {
    c->reply(s.stream, proto::ServerError{proto::ServerErrorCode::unprepared, "not found",
                                          proto::UnpreparedError{s.id}});
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto o = options_for(peer);
    o.keyspace = "ks1";
    auto session = co_await connect(o);
    auto prepared = co_await session->prepare("SELECT v FROM t");
    co_await session->set_keyspace("ks2");
    auto failed = co_await failure_of(session->execute(prepared, {}));
    BOOST_TEST_REQUIRE(failed.has_value());
    BOOST_TEST(failed->code == make_error_code(proto::errc::invalid_value));
    BOOST_TEST(failed->what.find("keyspace \"ks1\"") != std::string::npos);
    BOOST_TEST(failed->what.find("keyspace \"ks2\"") != std::string::npos);
    BOOST_TEST(peer.count(Opcode::prepare) == 1u);  // never prepared under ks2
    BOOST_TEST(peer.count(Opcode::execute) == 1u);
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(options_out_of_range_are_refused_before_connecting) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto zero_pool = options_for(peer);
    zero_pool.pool_size = 0;
    auto a = co_await failure_of(connect(zero_pool));
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST(a->code == make_error_code(proto::errc::invalid_value));
    BOOST_TEST(a->what.find("pool_size") != std::string::npos);

    for (std::size_t streams : {std::size_t{0}, std::size_t{32769}}) {
      auto o = options_for(peer);
      o.connection.max_streams = streams;
      auto f = co_await failure_of(connect(o));
      BOOST_TEST_REQUIRE(f.has_value());
      BOOST_TEST(f->code == make_error_code(proto::errc::invalid_value));
      BOOST_TEST(f->what.find("max_streams") != std::string::npos);
    }
    auto no_timeout = options_for(peer);
    no_timeout.connection.request_timeout = 0ms;
    auto t = co_await failure_of(connect(no_timeout));
    BOOST_TEST_REQUIRE(t.has_value());
    BOOST_TEST(t->what.find("request_timeout") != std::string::npos);
    BOOST_TEST(peer.accepted() == 0u);
  });
}

BOOST_AUTO_TEST_CASE(events_come_through_the_control_connection_and_survive_its_loss) {
  asio::io_context io;
  ScriptedPeer peer(io);
  std::vector<PeerConnectionPtr> registered;
  std::vector<std::vector<std::string>> asked;
  peer.on(Opcode::register_, [&](const PeerConnectionPtr& c, const Seen& s) {
    registered.push_back(c);
    c->reply(s.stream, proto::Ready{});
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto o = options_for(peer);
    o.pool_size = 2;
    auto session = co_await connect(o);
    bool filled = co_await eventually([&] { return session->open_connections() == 2; });
    BOOST_TEST_REQUIRE(filled);
    // The control connection registered at connect, for every type the session follows;
    // the pool's connections did not.
    BOOST_TEST(peer.count(Opcode::register_) == 1u);
    BOOST_TEST_REQUIRE(registered.size() == 1u);
    BOOST_TEST(connections_sent(peer, Opcode::register_).size() == 1u);

    std::vector<std::string> tables;
    session->on_event(
        [&](const proto::Event& e) {
          if (const auto* sc = std::get_if<proto::SchemaChange>(&e)) tables.push_back(sc->name);
        },
        {"SCHEMA_CHANGE"});
    co_await sleep(50ms);
    BOOST_TEST(peer.count(Opcode::register_) == 1u);  // asking registers nothing more

    registered[0]->reply(-1, proto::Event{table_created("ks", "first")});
    // Not asked for: not handed to the user's handler.
    proto::StatusChange down;
    down.change = proto::StatusChangeType::down;
    down.node.address = {127, 0, 0, 2};
    down.node.port = 9042;
    registered[0]->reply(-1, proto::Event{down});
    bool got = co_await eventually([&] { return tables.size() == 1; });
    BOOST_TEST_REQUIRE(got);
    BOOST_TEST(tables[0] == "first");

    // The control connection goes: another one opens and registers, and its events arrive.
    registered[0]->close();
    bool again = co_await eventually([&] { return registered.size() == 2; });
    BOOST_TEST_REQUIRE(again);
    BOOST_TEST(connections_sent(peer, Opcode::register_).size() == 2u);
    registered[1]->reply(-1, proto::Event{table_created("ks", "second")});
    bool got2 = co_await eventually([&] { return tables.size() == 2; });
    BOOST_TEST_REQUIRE(got2);
    BOOST_TEST(tables[1] == "second");
    BOOST_TEST(session->open_connections() == 2u);  // the pool never noticed
    co_await session->close();
  });
  BOOST_TEST(peer.violations().empty());
}

BOOST_AUTO_TEST_SUITE_END()
