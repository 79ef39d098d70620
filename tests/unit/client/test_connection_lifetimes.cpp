// Connection against the scripted peer: stream ids under pressure, cancellation, handles,
// large frames, and the io_context going away with work in flight.
#include "scripted_peer.hpp"

#include <nosqlc/protocol/client/connection.hpp>
#include <nosqlc/protocol/compression.hpp>
#include <nosqlc/protocol/result.hpp>

#include <asio/experimental/awaitable_operators.hpp>
#include <asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

using namespace nosqlc::test;
using proto::client_errc;
using proto::Opcode;

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

asio::awaitable<std::string> ask(proto::Connection c, std::string text,
                                 std::optional<std::chrono::milliseconds> timeout = {}) {
  proto::Query q;
  q.query = text;
  auto reply = co_await c.request(q, timeout);
  co_return keyspace_of(reply->message);
}

bool contains(const std::string& s, std::string_view part) {
  return s.find(part) != std::string::npos;
}

using Held = std::vector<std::pair<PeerConnectionPtr, Seen>>;

// QUERY requests are held (never answered by the peer itself) in `held`.
void hold_queries(ScriptedPeer& peer, Held& held) {
  peer.on(Opcode::query,
          [&held](const PeerConnectionPtr& c, const Seen& s) { held.emplace_back(c, s); });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_connection_lifetimes)

BOOST_AUTO_TEST_CASE(request_timeout_bounds_the_wait_for_a_stream_id) {
  asio::io_context io;
  ScriptedPeer peer(io);
  Held held;
  hold_queries(peer, held);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.max_streams = 1;
    auto c = co_await open(peer, o);
    auto ex = co_await asio::this_coro::executor;
    auto first = start(ex, ask(c, "holds the only id"));
    bool sent = co_await eventually([&] { return held.size() == 1; });
    BOOST_TEST_REQUIRE(sent);
    auto f = co_await failure_of(ask(c, "waits for an id", 100ms));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::timeout));
    BOOST_TEST(contains(f->what, "stream id"), f->what);
    BOOST_TEST(held.size() == 1u);  // never sent
    BOOST_TEST(c.is_open());
    peer.answer_default(held[0].first, held[0].second);
    bool done = co_await eventually([&] { return first->done; });
    BOOST_TEST_REQUIRE(done);
    BOOST_TEST(first->value.value_or("") == "holds the only id");
    BOOST_TEST(c.in_flight() == 0u);
    c.close();
  });
}

BOOST_AUTO_TEST_CASE(every_stream_orphaned_closes_the_connection) {
  asio::io_context io;
  ScriptedPeer peer(io);
  Held held;
  hold_queries(peer, held);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.max_streams = 2;  // max_orphans stays at its default, far above
    auto c = co_await open(peer, o);
    auto one = co_await failure_of(ask(c, "one", 50ms));
    BOOST_TEST_REQUIRE(one.has_value());
    BOOST_TEST(one->code == make_error_code(client_errc::timeout));
    BOOST_TEST(c.is_open());  // one id left
    auto two = co_await failure_of(ask(c, "two", 50ms));
    BOOST_TEST_REQUIRE(two.has_value());
    BOOST_TEST(two->code == make_error_code(client_errc::timeout));
    // No id could ever be free again: the connection is closed rather than wedged.
    BOOST_TEST(!c.is_open());
    BOOST_TEST(contains(c.close_reason(), "too many"), c.close_reason());
    BOOST_TEST(c.in_flight() == 0u);
    auto three = co_await failure_of(ask(c, "three"));
    BOOST_TEST_REQUIRE(three.has_value());
    BOOST_TEST(three->code == make_error_code(client_errc::connection_error));
  });
}

BOOST_AUTO_TEST_CASE(dropping_every_copy_closes_the_connection) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    {
      auto c = co_await open(peer);
      {
        auto copy = c;  // a copy going away leaves the connection open
      }
      auto answer = co_await ask(c, "still open");
      BOOST_TEST(answer == "still open");
      BOOST_TEST(peer.open_connections() == 1u);
    }
    bool closed = co_await eventually([&] { return peer.open_connections() == 0; });
    BOOST_TEST(closed);
  });
}

BOOST_AUTO_TEST_CASE(cancelled_request_keeps_its_stream_until_the_late_answer) {
  using namespace asio::experimental::awaitable_operators;
  asio::io_context io;
  ScriptedPeer peer(io);
  Held held;
  peer.on(Opcode::query, [&](const PeerConnectionPtr& c, const Seen& s) {
    if (s.text == "late") {
      held.emplace_back(c, s);
    } else {
      peer.answer_default(c, s);
    }
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto c = co_await open(peer);
    // The caller stops waiting (the other branch wins); the request is cancelled.
    auto winner = co_await (ask(c, "late") || sleep(100ms));
    BOOST_TEST(winner.index() == 1u);
    bool arrived = co_await eventually([&] { return held.size() == 1; });  // a slow peer
    BOOST_TEST_REQUIRE(arrived);
    BOOST_TEST(c.in_flight() == 1u);  // the orphan
    BOOST_TEST(c.is_open());
    peer.answer_default(held[0].first, held[0].second);
    bool freed = co_await eventually([&] { return c.in_flight() == 0; });
    BOOST_TEST(freed);
    auto answer = co_await ask(c, "after");
    BOOST_TEST(answer == "after");
    BOOST_TEST(peer.seen().back().stream == held[0].second.stream);  // the id is reused
    c.close();
  });
  BOOST_TEST(peer.violations().empty());
}

BOOST_AUTO_TEST_CASE(a_throwing_event_handler_does_not_break_the_connection) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::register_, [](const PeerConnectionPtr& c, const Seen& s) {
    proto::SchemaChange change;
    change.keyspace = "ks";
    c->reply(-1, proto::Event{change});
    c->reply(s.stream, proto::Ready{});
  });
  int events = 0;
  run(io, [&]() -> asio::awaitable<void> {
    auto ex = co_await asio::this_coro::executor;
    auto c = co_await proto::Connection::open(ex, peer.endpoint(), quick(), {},
                                              [&](const proto::Event&) {
                                                ++events;
                                                throw std::runtime_error("handler bug");
                                              });
    proto::Register r;
    r.events = {"SCHEMA_CHANGE"};
    auto reply = co_await c.request(r);
    BOOST_TEST(std::holds_alternative<proto::Ready>(reply->message));
    BOOST_TEST(events == 1);
    BOOST_TEST(c.is_open());
    auto answer = co_await ask(c, "after the event");
    BOOST_TEST(answer == "after the event");
    c.close();
  });
}

BOOST_AUTO_TEST_CASE(large_answers_span_many_reads_with_and_without_lz4) {
  for (bool lz4 : {false, true}) {
    if (lz4 && !proto::lz4_available()) continue;
    BOOST_TEST_CONTEXT("lz4 " << lz4) {
      asio::io_context io;
      ScriptedPeer peer(io);
      if (lz4) peer.set_supported({{"CQL_VERSION", {"3.0.0"}}, {"COMPRESSION", {"lz4"}}});
      // A 3 MB cell, varied so lz4 cannot shrink it to nothing.
      std::string big(3 * 1024 * 1024, 'x');
      for (std::size_t i = 0; i < big.size(); i += 7)
        big[i] = static_cast<char>('a' + (i / 7) % 26);
      peer.on(Opcode::query, [&](const PeerConnectionPtr& c, const Seen& s) {
        if (s.text != "big") return peer.answer_default(c, s);
        proto::RowsBuilder rows(1);
        proto::BytesView cell(reinterpret_cast<const std::uint8_t*>(big.data()), big.size());
        std::optional<proto::BytesView> one[] = {cell};
        if (!rows.add_row(one)) return;
        auto meta = proto::ResultMetadata::of(
            {proto::ColumnSpec{"ks", "t", "v", proto::DataType::of(proto::TypeId::blob)}});
        c->reply(s.stream, proto::Result{rows.result(std::move(meta))});
      });
      run(io, [&]() -> asio::awaitable<void> {
        auto c = co_await open(peer);
        BOOST_TEST(c.compressed() == lz4);
        auto ex = co_await asio::this_coro::executor;
        auto small_before = start(ex, ask(c, "small before"));
        proto::Query q;
        q.query = "big";
        auto reply = co_await c.request(q);
        const auto* result = std::get_if<proto::Result>(&reply->message);
        BOOST_TEST_REQUIRE(result != nullptr);
        const auto* rows = std::get_if<proto::RowsResult>(result);
        BOOST_TEST_REQUIRE(rows != nullptr);
        BOOST_TEST_REQUIRE(rows->row_count == 1);
        auto cell = (*rows->rows().begin())[0];
        BOOST_TEST_REQUIRE(cell.has_value());
        BOOST_TEST((std::string(cell->begin(), cell->end()) == big));
        bool done = co_await eventually([&] { return small_before->done; });
        BOOST_TEST_REQUIRE(done);
        BOOST_TEST(small_before->value.value_or("") == "small before");
        auto after = co_await ask(c, "small after");
        BOOST_TEST(after == "small after");
        c.close();
      });
      BOOST_TEST(peer.violations().empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(io_context_destroyed_with_requests_in_flight) {
  // Nothing is closed: the io_context destroys the suspended coroutines in whatever order it
  // likes. The sanitizers check that no frame touches another one's freed memory, and that
  // nothing leaks.
  auto io = std::make_unique<asio::io_context>();
  auto peer = std::make_unique<ScriptedPeer>(*io);
  Held held;
  hold_queries(*peer, held);
  std::vector<std::shared_ptr<Outcome<std::string>>> outs;
  run(*io, [&]() -> asio::awaitable<void> {
    auto o = quick();
    o.max_streams = 2;
    o.heartbeat_interval = 1h;
    auto c = co_await open(*peer, o);
    auto ex = co_await asio::this_coro::executor;
    for (int i = 0; i < 4; ++i)  // two sent, two waiting for a stream id
      outs.push_back(start(ex, ask(c, "q" + std::to_string(i))));
    bool sent = co_await eventually([&] { return held.size() == 2; });
    BOOST_TEST_REQUIRE(sent);
    BOOST_TEST(c.in_flight() == 2u);
  });
  held.clear();
  peer.reset();  // closes the peer's sockets; the client never runs to see it
  for (const auto& out : outs)
    BOOST_TEST(!out->done);
  io.reset();
  for (const auto& out : outs) {
    BOOST_TEST(!out->done);  // destroyed, not completed
    // The completion handler held the other reference: it went with the coroutine's frame.
    BOOST_TEST(out.use_count() == 1);
  }
}

BOOST_AUTO_TEST_SUITE_END()
