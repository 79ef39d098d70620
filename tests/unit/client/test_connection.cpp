// Connection against the scripted peer: handshake, multiplexing, timeouts, failures.
#include "scripted_peer.hpp"

#include <nosqlc/protocol/client/connection.hpp>
#include <nosqlc/protocol/compression.hpp>

#include <asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>

using namespace nosqlc::test;
using proto::client_errc;
using proto::Opcode;
using Clock = std::chrono::steady_clock;

namespace {

proto::ConnectionOptions quick() {
  proto::ConnectionOptions o;
  o.connect_timeout = 5s;
  o.request_timeout = 10s;
  o.heartbeat_interval = 0ms;
  o.compression = true;  // these tests exercise lz4 wherever the peer offers it
  return o;
}

asio::awaitable<proto::Connection> open(ScriptedPeer& peer, proto::ConnectionOptions o = quick()) {
  auto ex = co_await asio::this_coro::executor;
  co_return co_await proto::Connection::open(ex, peer.endpoint(), std::move(o));
}

// QUERY `text`; the default answer echoes it.
asio::awaitable<std::string> ask(proto::Connection c, std::string text,
                                 std::optional<std::chrono::milliseconds> timeout = {}) {
  proto::Query q;
  q.query = text;
  auto reply = co_await c.request(q, timeout);
  co_return keyspace_of(reply->message);
}

std::string_view name(Opcode op) {
  return proto::to_string(op);
}

const Seen* find_query(const ScriptedPeer& peer, const std::string& text) {
  for (const auto& s : peer.seen()) {
    if (s.opcode == Opcode::query && s.text == text) return &s;
  }
  return nullptr;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_connection)

BOOST_AUTO_TEST_CASE(handshake_without_lz4_offered) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    BOOST_TEST(c.is_open());
    BOOST_TEST(!c.compressed());
    const auto& s = peer.seen();
    BOOST_TEST_REQUIRE(s.size() == 2u);
    BOOST_TEST(name(s[0].opcode) == "OPTIONS");
    BOOST_TEST(name(s[1].opcode) == "STARTUP");
    BOOST_TEST(s[1].startup.size() == 1u);
    BOOST_TEST(s[1].startup.at("CQL_VERSION") == "3.0.0");
    BOOST_TEST(s[1].startup.count("COMPRESSION") == 0u);
    {
      auto answer = co_await ask(c, "after handshake");
      BOOST_TEST(answer == "after handshake");
    }
    BOOST_TEST(!peer.seen().back().compressed);
    c.close();
    BOOST_TEST(!c.is_open());
  });
  BOOST_TEST(peer.violations().empty());
}

BOOST_AUTO_TEST_CASE(handshake_with_lz4_compresses_both_ways,
                     *boost::unit_test::precondition([](auto) { return proto::lz4_available(); })) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.set_supported({{"CQL_VERSION", {"3.0.0"}}, {"COMPRESSION", {"snappy", "lz4"}}});
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    BOOST_TEST(c.compressed());
    const auto& s = peer.seen();
    BOOST_TEST_REQUIRE(s.size() == 2u);
    BOOST_TEST(s[1].startup.at("CQL_VERSION") == "3.0.0");
    BOOST_TEST(s[1].startup.at("COMPRESSION") == "lz4");
    BOOST_TEST(!s[1].compressed);  // STARTUP itself never is
    std::string text = "SELECT data FROM orders WHERE pk = 'order-001' -- ";
    for (int i = 0; i < 5; ++i)
      text += text;
    auto sent_before = peer.sent_flags().size();
    {
      auto answer = co_await ask(c, text);
      BOOST_TEST(answer == text);
    }
    BOOST_TEST(peer.seen().back().compressed);
    BOOST_TEST_REQUIRE(peer.sent_flags().size() == sent_before + 1);
    BOOST_TEST((peer.sent_flags().back() & proto::kFlagCompression) != 0);
    // An empty body (a heartbeat's OPTIONS) compressed too.
    auto reply = co_await c.request(proto::Options{});
    BOOST_TEST(std::holds_alternative<proto::Supported>(reply->message));
    BOOST_TEST(peer.seen().back().compressed);
    c.close();
  });
  BOOST_TEST(peer.violations().empty());
}

// Built with NOSQLC_WITH_LZ4=OFF, compression (on by default) is not negotiated even with a
// server that offers lz4: STARTUP names no COMPRESSION and no frame is compressed either way.
BOOST_AUTO_TEST_CASE(without_lz4_a_server_offering_it_gets_plain_frames,
                     *boost::unit_test::precondition([](auto) {
                       return !proto::lz4_available();
                     })) {
  BOOST_TEST(quick().compression);
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.set_supported({{"CQL_VERSION", {"3.0.0"}}, {"COMPRESSION", {"snappy", "lz4"}}});
  bool compressed = true;
  std::string answer;
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    compressed = c.compressed();
    answer = co_await ask(c, std::string(3000, 'x'));
    c.close();
  });
  BOOST_TEST(!compressed);
  BOOST_TEST(answer == std::string(3000, 'x'));
  BOOST_TEST_REQUIRE(peer.seen().size() == 3u);
  BOOST_TEST(peer.seen()[1].startup.count("COMPRESSION") == 0u);
  for (const auto& s : peer.seen())
    BOOST_TEST(!s.compressed);
  for (std::uint8_t flags : peer.sent_flags())
    BOOST_TEST((flags & proto::kFlagCompression) == 0);
  BOOST_TEST(peer.violations().empty());
}

BOOST_AUTO_TEST_CASE(no_compression_when_the_client_declines) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.set_supported({{"CQL_VERSION", {"3.0.0"}}, {"COMPRESSION", {"lz4"}}});
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.compression = false;
    auto c = co_await open(peer, o);
    BOOST_TEST(!c.compressed());
    BOOST_TEST(peer.seen().at(1).startup.count("COMPRESSION") == 0u);
    c.close();
  });
}

BOOST_AUTO_TEST_CASE(answers_in_reverse_order_reach_their_own_requests) {
  constexpr std::size_t n = 8;
  asio::io_context io;
  ScriptedPeer peer(io);
  std::vector<std::pair<PeerConnectionPtr, Seen>> held;
  peer.on(Opcode::query, [&](const PeerConnectionPtr& c, const Seen& s) {
    held.emplace_back(c, s);
    if (held.size() < n) return;
    for (auto it = held.rbegin(); it != held.rend(); ++it)
      peer.answer_default(it->first, it->second);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::shared_ptr<Outcome<std::string>>> outs;
    for (std::size_t i = 0; i < n; ++i)
      outs.push_back(start(ex, ask(c, "q" + std::to_string(i))));
    bool all = co_await eventually(
        [&] { return std::all_of(outs.begin(), outs.end(), [](auto& o) { return o->done; }); });
    BOOST_TEST_REQUIRE(all);
    std::set<std::int16_t> streams;
    for (std::size_t i = 0; i < n; ++i) {
      BOOST_TEST_CONTEXT("request " << i) {
        BOOST_TEST_REQUIRE(outs[i]->value.has_value());
        BOOST_TEST(*outs[i]->value == "q" + std::to_string(i));
      }
      streams.insert(held[i].second.stream);
    }
    BOOST_TEST(streams.size() == n);
    BOOST_TEST(c.in_flight() == 0u);
    c.close();
  });
}

BOOST_AUTO_TEST_CASE(many_requests_in_flight_are_coalesced) {
  constexpr std::size_t n = 100;
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::shared_ptr<Outcome<std::string>>> outs;
    for (std::size_t i = 0; i < n; ++i)
      outs.push_back(start(ex, ask(c, "q" + std::to_string(i))));
    bool all = co_await eventually(
        [&] { return std::all_of(outs.begin(), outs.end(), [](auto& o) { return o->done; }); });
    BOOST_TEST_REQUIRE(all);
    for (std::size_t i = 0; i < n; ++i) {
      BOOST_TEST_CONTEXT("request " << i) {
        BOOST_TEST_REQUIRE(outs[i]->value.has_value());
        BOOST_TEST(*outs[i]->value == "q" + std::to_string(i));
      }
    }
    const auto& reads = peer.frames_per_read();
    auto most = reads.empty() ? 0 : *std::max_element(reads.begin(), reads.end());
    BOOST_TEST(most > 1u, "the largest read carried " << most << " frames");
    c.close();
  });
}

BOOST_AUTO_TEST_CASE(timed_out_request_keeps_its_stream_until_the_late_answer) {
  asio::io_context io;
  ScriptedPeer peer(io);
  std::optional<std::pair<PeerConnectionPtr, Seen>> late;
  peer.on(Opcode::query, [&](const PeerConnectionPtr& c, const Seen& s) {
    if (s.text == "late") {
      late.emplace(c, s);
    } else {
      peer.answer_default(c, s);
    }
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    auto began = Clock::now();
    auto f = co_await failure_of(ask(c, "late", 100ms));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::timeout));
    BOOST_TEST((Clock::now() - began < 5s));
    bool arrived = co_await eventually([&] { return late.has_value(); });  // a slow peer
    BOOST_TEST_REQUIRE(arrived);
    BOOST_TEST(c.in_flight() == 1u);  // the orphan
    BOOST_TEST(c.is_open());

    {
      auto answer = co_await ask(c, "meanwhile");
      BOOST_TEST(answer == "meanwhile");
    }
    const Seen* meanwhile = find_query(peer, "meanwhile");
    BOOST_TEST_REQUIRE(meanwhile != nullptr);
    BOOST_TEST(meanwhile->stream != late->second.stream);

    peer.answer_default(late->first, late->second);  // the late answer, dropped by the client
    bool freed = co_await eventually([&] { return c.in_flight() == 0; });
    BOOST_TEST(freed);
    BOOST_TEST(c.is_open());
    {
      auto answer = co_await ask(c, "after");
      BOOST_TEST(answer == "after");
    }
    const Seen* after = find_query(peer, "after");
    BOOST_TEST_REQUIRE(after != nullptr);
    BOOST_TEST(after->stream == late->second.stream);  // lowest free id again
    c.close();
  });
}

BOOST_AUTO_TEST_CASE(peer_closing_mid_request_fails_every_request_at_once) {
  constexpr std::size_t n = 5;
  asio::io_context io;
  ScriptedPeer peer(io);
  std::size_t queries = 0;
  peer.on(Opcode::query, [&](const PeerConnectionPtr& c, const Seen&) {
    if (++queries == n) c->close();
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.request_timeout = 30s;
    auto c = co_await open(peer, o);
    auto ex = co_await asio::this_coro::executor;
    auto began = Clock::now();
    std::vector<std::shared_ptr<Outcome<std::string>>> outs;
    for (std::size_t i = 0; i < n; ++i)
      outs.push_back(start(ex, ask(c, "q" + std::to_string(i))));
    bool all = co_await eventually(
        [&] { return std::all_of(outs.begin(), outs.end(), [](auto& x) { return x->done; }); },
        10s);
    BOOST_TEST_REQUIRE(all);
    BOOST_TEST((Clock::now() - began < 5s));
    for (const auto& x : outs) {
      BOOST_TEST_REQUIRE(x->failure.has_value());
      BOOST_TEST(x->failure->code == make_error_code(client_errc::connection_error));
    }
    BOOST_TEST(!c.is_open());
    BOOST_TEST(!c.close_reason().empty());
    auto f = co_await failure_of(ask(c, "later"));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::connection_error));
  });
}

BOOST_AUTO_TEST_CASE(exhausted_streams_make_requests_wait_not_fail) {
  asio::io_context io;
  ScriptedPeer peer(io);
  std::vector<std::pair<PeerConnectionPtr, Seen>> held;
  peer.on(Opcode::query,
          [&](const PeerConnectionPtr& c, const Seen& s) { held.emplace_back(c, s); });
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.max_streams = 2;
    auto c = co_await open(peer, o);
    auto ex = co_await asio::this_coro::executor;
    auto a = start(ex, ask(c, "a"));
    auto b = start(ex, ask(c, "b"));
    auto third = start(ex, ask(c, "c"));
    bool two = co_await eventually([&] { return held.size() == 2; });
    BOOST_TEST_REQUIRE(two);
    co_await sleep(50ms);
    BOOST_TEST(held.size() == 2u);  // the third waits for a stream id
    BOOST_TEST(!third->done);
    BOOST_TEST(c.in_flight() == 2u);

    peer.answer_default(held[0].first, held[0].second);
    bool sent = co_await eventually([&] { return held.size() == 3; });
    BOOST_TEST_REQUIRE(sent);
    BOOST_TEST(held[2].second.text == "c");
    BOOST_TEST(held[2].second.stream == held[0].second.stream);
    peer.answer_default(held[1].first, held[1].second);
    peer.answer_default(held[2].first, held[2].second);
    bool all = co_await eventually([&] { return a->done && b->done && third->done; });
    BOOST_TEST_REQUIRE(all);
    BOOST_TEST(a->value.value_or("") == "a");
    BOOST_TEST(b->value.value_or("") == "b");
    BOOST_TEST(third->value.value_or("") == "c");
    c.close();
  });
}

BOOST_AUTO_TEST_CASE(server_errors_become_cql_errors_with_details) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::query, [&](const PeerConnectionPtr& c, const Seen& s) {
    proto::ServerError e;
    if (s.text == "unavailable") {
      e = {proto::ServerErrorCode::unavailable, "Cannot achieve consistency level QUORUM",
           proto::UnavailableError{proto::Consistency::quorum, 3, 1}};
    } else if (s.text == "exists") {
      e = {proto::ServerErrorCode::already_exists, "Table ks.orders already exists",
           proto::AlreadyExistsError{"ks", "orders"}};
    } else if (s.text == "read timeout") {
      e = {proto::ServerErrorCode::read_timeout, "Operation timed out - received only 1",
           proto::ReadTimeoutError{proto::Consistency::quorum, 1, 2, true}};
    } else if (s.text == "unprepared") {
      static const proto::Bytes id{0xCA, 0xFE, 0x00, 0x01};
      e = {proto::ServerErrorCode::unprepared, "Prepared query with ID cafe0001 not found",
           proto::UnpreparedError{proto::BytesView(id)}};
    } else {
      e = {proto::ServerErrorCode::write_timeout, "Operation timed out",
           proto::WriteTimeoutError{proto::Consistency::local_quorum, 1, 2, "BATCH_LOG"}};
    }
    c->reply(s.stream, e);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    try {
      co_await ask(c, "unavailable");
      BOOST_FAIL("no error");
    } catch (const proto::CqlError& e) {
      BOOST_TEST(e.code() == make_error_code(proto::ServerErrorCode::unavailable));
      BOOST_TEST((e.server_code() == proto::ServerErrorCode::unavailable));
      BOOST_TEST(e.server_message() == "Cannot achieve consistency level QUORUM");
      BOOST_TEST(std::string(e.what()).find("QUORUM") != std::string::npos);
      const auto* u = std::get_if<proto::UnavailableError>(&e.details());
      BOOST_TEST_REQUIRE(u != nullptr);
      BOOST_TEST((u->consistency == proto::Consistency::quorum));
      BOOST_TEST(u->required == 3);
      BOOST_TEST(u->alive == 1);
    }
    try {
      co_await ask(c, "exists");
      BOOST_FAIL("no error");
    } catch (const proto::CqlError& e) {
      BOOST_TEST((e.server_code() == proto::ServerErrorCode::already_exists));
      BOOST_TEST(e.server_message() == "Table ks.orders already exists");
      const auto* a = std::get_if<proto::AlreadyExistsError>(&e.details());
      BOOST_TEST_REQUIRE(a != nullptr);
      BOOST_TEST(a->keyspace == "ks");
      BOOST_TEST(a->table == "orders");
    }
    try {
      co_await ask(c, "write timeout");
      BOOST_FAIL("no error");
    } catch (const proto::CqlError& e) {
      BOOST_TEST((e.server_code() == proto::ServerErrorCode::write_timeout));
      const auto* w = std::get_if<proto::WriteTimeoutError>(&e.details());
      BOOST_TEST_REQUIRE(w != nullptr);
      BOOST_TEST((w->consistency == proto::Consistency::local_quorum));
      BOOST_TEST(w->received == 1);
      BOOST_TEST(w->block_for == 2);
      BOOST_TEST(w->write_type == "BATCH_LOG");
    }
    try {
      co_await ask(c, "read timeout");
      BOOST_FAIL("no error");
    } catch (const proto::CqlError& e) {
      BOOST_TEST((e.server_code() == proto::ServerErrorCode::read_timeout));
      const auto* r = std::get_if<proto::ReadTimeoutError>(&e.details());
      BOOST_TEST_REQUIRE(r != nullptr);
      BOOST_TEST((r->consistency == proto::Consistency::quorum));
      BOOST_TEST(r->received == 1);
      BOOST_TEST(r->block_for == 2);
      BOOST_TEST(r->data_present);
    }
    std::optional<proto::CqlError> kept;
    try {
      co_await ask(c, "unprepared");
      BOOST_FAIL("no error");
    } catch (const proto::CqlError& e) {
      kept = e;  // the statement id is owned: it outlives the answer's frame
    }
    BOOST_TEST_REQUIRE(kept.has_value());
    BOOST_TEST((kept->server_code() == proto::ServerErrorCode::unprepared));
    BOOST_TEST((kept->unprepared_id() == proto::Bytes{0xCA, 0xFE, 0x00, 0x01}));
    BOOST_TEST(c.is_open());  // an error answer is not a broken connection
    BOOST_TEST(c.in_flight() == 0u);
    c.close();
  });
}

BOOST_AUTO_TEST_CASE(answer_on_an_unknown_stream_closes_the_connection) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::query, [&](const PeerConnectionPtr& c, const Seen& s) {
    Seen wrong = s;  // stream + 100 was never used by the client
    wrong.stream = static_cast<std::int16_t>(s.stream + 100);
    peer.answer_default(c, wrong);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    auto f = co_await failure_of(ask(c, "q"));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::unsupported_server));
    BOOST_TEST(!c.is_open());
    BOOST_TEST(c.close_reason().find("unknown stream") != std::string::npos);
  });
}

BOOST_AUTO_TEST_CASE(heartbeats_on_idle_and_closes_when_unanswered) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.heartbeat_interval = 100ms;
    o.request_timeout = 2s;  // far above a loaded machine's stalls while answers come
    auto c = co_await open(peer, o);
    bool beat = co_await eventually([&] { return peer.count(Opcode::options) >= 3; }, 10s);
    BOOST_TEST(beat);  // the handshake's OPTIONS and two heartbeats
    BOOST_TEST(c.is_open());

    peer.on(Opcode::options, [](const PeerConnectionPtr&, const Seen&) {});
    bool closed = co_await eventually([&] { return !c.is_open(); }, 10s);
    BOOST_TEST_REQUIRE(closed);
    BOOST_TEST(c.close_reason().find("heartbeat") != std::string::npos);
    co_await c.wait_closed();  // resumes at once
  });
}

BOOST_AUTO_TEST_CASE(close_fails_requests_in_flight_with_closed) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::query, [](const PeerConnectionPtr&, const Seen&) {});
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    auto ex = co_await asio::this_coro::executor;
    auto pending = start(ex, ask(c, "never answered"));
    bool sent = co_await eventually([&] { return peer.count(Opcode::query) == 1; });
    BOOST_TEST_REQUIRE(sent);
    c.close();
    bool done = co_await eventually([&] { return pending->done; });
    BOOST_TEST_REQUIRE(done);
    BOOST_TEST_REQUIRE(pending->failure.has_value());
    BOOST_TEST(pending->failure->code == make_error_code(client_errc::closed));
    c.close();  // idempotent
    auto later = co_await failure_of(ask(c, "after close"));
    BOOST_TEST_REQUIRE(later.has_value());
    BOOST_TEST(later->code == make_error_code(client_errc::closed));
  });
}

BOOST_AUTO_TEST_CASE(too_many_orphans_close_the_connection) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::query, [](const PeerConnectionPtr&, const Seen&) {});
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.max_orphans = 1;
    auto c = co_await open(peer, o);
    auto first = co_await failure_of(ask(c, "one", 50ms));
    BOOST_TEST_REQUIRE(first.has_value());
    BOOST_TEST(first->code == make_error_code(client_errc::timeout));
    BOOST_TEST(c.is_open());  // one orphan is allowed
    auto second = co_await failure_of(ask(c, "two", 50ms));
    BOOST_TEST_REQUIRE(second.has_value());
    BOOST_TEST(second->code == make_error_code(client_errc::timeout));
    BOOST_TEST(!c.is_open());
    BOOST_TEST(c.close_reason().find("too many") != std::string::npos);
  });
}

BOOST_AUTO_TEST_CASE(events_on_stream_minus_one_reach_the_handler) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::register_, [](const PeerConnectionPtr& c, const Seen& s) {
    c->reply(s.stream, proto::Ready{});
    proto::StatusChange down;
    down.change = proto::StatusChangeType::down;
    down.node = proto::Inet{{127, 0, 0, 2}, 9042};
    c->reply(-1, proto::Event{down});
  });
  std::vector<proto::Event> events;
  run(io, [&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto c = co_await proto::Connection::open(ex, peer.endpoint(), quick(), {},
                                              [&](const proto::Event& e) { events.push_back(e); });
    proto::Register r;
    r.events = {"STATUS_CHANGE"};
    co_await c.request(r);
    bool got = co_await eventually([&] { return !events.empty(); });
    BOOST_TEST_REQUIRE(got);
    const auto* sc = std::get_if<proto::StatusChange>(&events[0]);
    BOOST_TEST_REQUIRE(sc != nullptr);
    BOOST_TEST((sc->change == proto::StatusChangeType::down));
    BOOST_TEST(sc->node.port == 9042);
    BOOST_TEST(c.is_open());
    c.close();
  });
}

BOOST_AUTO_TEST_SUITE_END()
