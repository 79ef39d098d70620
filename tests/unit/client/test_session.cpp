// Session against the scripted peer: statements, the prepared cache, re-prepare, paging,
// reconnection, close.
#include "scripted_peer.hpp"

#include <nosqlc/protocol/client/session.hpp>
#include <nosqlc/protocol/result.hpp>

#include <asio/this_coro.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>

using namespace nosqlc::test;
using proto::client_errc;
using proto::Opcode;

namespace {

proto::SessionOptions session_options(const ScriptedPeer& peer) {
  proto::SessionOptions o;
  o.contact_points = {peer.endpoint()};
  o.connection.connect_timeout = 3s;
  o.connection.request_timeout = 10s;
  o.connection.heartbeat_interval = 0ms;
  o.reconnect_base = 50ms;
  o.reconnect_max = 200ms;
  return o;
}

asio::awaitable<std::shared_ptr<proto::Session>> connect(proto::SessionOptions o) {
  auto ex = co_await asio::this_coro::executor;
  co_return co_await proto::Session::connect(ex, std::move(o));
}

proto::BytesView view(const std::string& s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}
std::string text(proto::BytesView b) {
  return {b.begin(), b.end()};
}

// Answers on `c` with one text column `v` holding `cells`, and `paging_state` when given.
void reply_rows(const PeerConnectionPtr& c, std::int16_t stream,
                const std::vector<std::string>& cells,
                std::optional<std::string> paging_state = std::nullopt) {
  proto::RowsBuilder rows(1);
  for (const auto& cell : cells) {
    std::optional<proto::BytesView> one[] = {view(cell)};
    if (!rows.add_row(one)) return;
  }
  auto meta = proto::ResultMetadata::of(
      {proto::ColumnSpec{"ks", "t", "v", proto::DataType::of(proto::TypeId::varchar)}});
  if (paging_state) meta.paging_state = view(*paging_state);
  c->reply(stream, proto::Result{rows.result(std::move(meta))});
}

std::vector<std::string> cells_of(const proto::QueryResult& r) {
  std::vector<std::string> out;
  if (r.rows() == nullptr) return out;
  for (auto row : r.rows()->rows())
    out.push_back(row[0] ? text(*row[0]) : "null");
  return out;
}

using Strings = std::vector<std::string>;

}  // namespace

BOOST_AUTO_TEST_SUITE(client_session)

BOOST_AUTO_TEST_CASE(query_prepare_and_execute) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::execute, [](const PeerConnectionPtr& c, const Seen& s) {
    Strings cells{text(s.id)};
    for (const auto& v : s.values)
      cells.push_back(v ? std::string(v->begin(), v->end()) : "null");
    reply_rows(c, s.stream, cells);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto session = co_await connect(session_options(peer));
    BOOST_TEST(session->open_connections() == 1u);
    auto q = co_await session->query("SELECT release_version FROM system.local");
    BOOST_TEST(keyspace_of(proto::Response{q.result()}) ==
               "SELECT release_version FROM system.local");

    const std::string cql = "SELECT v FROM t WHERE pk = ?";
    auto prepared = co_await session->prepare(cql);
    BOOST_TEST_REQUIRE(prepared != nullptr);
    BOOST_TEST(prepared->query == cql);
    BOOST_TEST(text(prepared->id) == cql);  // the peer's ids are the query texts

    const std::string key = "order-001";
    std::vector<proto::Value> values{proto::Value::of(view(key)), proto::Value::null()};
    auto r = co_await session->execute(prepared, values);
    auto cells = cells_of(r);
    BOOST_TEST(cells == (Strings{cql, key, "null"}), boost::test_tools::per_element());
    BOOST_TEST(peer.count(Opcode::prepare) == 1u);
    auto again = co_await session->prepare(cql);  // cached
    BOOST_TEST(again == prepared);
    BOOST_TEST(peer.count(Opcode::prepare) == 1u);
    co_await session->close();
  });
  BOOST_TEST(peer.violations().empty());
}

BOOST_AUTO_TEST_CASE(concurrent_prepares_of_one_text_share_one_prepare) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::prepare, [](const PeerConnectionPtr& c, const Seen& s) {
    proto::PreparedResult p;
    p.id = view(s.text);
    c->reply_after(50ms, s.stream, proto::Result{p});
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto session = co_await connect(session_options(peer));
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::shared_ptr<Outcome<proto::PreparedPtr>>> outs;
    for (int i = 0; i < 5; ++i)
      outs.push_back(start(ex, session->prepare("SELECT v FROM t WHERE pk = ?")));
    auto other = start(ex, session->prepare("SELECT v FROM u WHERE pk = ?"));
    bool all = co_await eventually([&] {
      return other->done && std::all_of(outs.begin(), outs.end(), [](auto& o) { return o->done; });
    });
    BOOST_TEST_REQUIRE(all);
    for (const auto& o : outs) {
      BOOST_TEST_REQUIRE(o->value.has_value());
      BOOST_TEST(*o->value == *outs[0]->value);
    }
    BOOST_TEST(peer.count(Opcode::prepare) == 2u);  // one per text
    BOOST_TEST(text((*other->value)->id) == "SELECT v FROM u WHERE pk = ?");
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(unprepared_execute_is_prepared_again_and_retried) {
  asio::io_context io;
  ScriptedPeer peer(io);
  int executes = 0;
  peer.on(Opcode::execute, [&](const PeerConnectionPtr& c, const Seen& s) {
    if (++executes == 1) {  // the server restarted and forgot the statement
      c->reply(s.stream, proto::ServerError{proto::ServerErrorCode::unprepared,
                                            "Prepared query with ID 42 not found",
                                            proto::UnpreparedError{s.id}});
    } else {
      reply_rows(c, s.stream, {"row after re-prepare"});
    }
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto session = co_await connect(session_options(peer));
    auto prepared = co_await session->prepare("SELECT v FROM t");
    auto r = co_await session->execute(prepared, {});
    BOOST_TEST(cells_of(r) == Strings{"row after re-prepare"}, boost::test_tools::per_element());
    BOOST_TEST(peer.count(Opcode::prepare) == 2u);
    BOOST_TEST(peer.count(Opcode::execute) == 2u);
    const auto& seen = peer.seen();
    BOOST_TEST_REQUIRE(seen.size() >= 3u);
    BOOST_TEST(proto::to_string(seen[seen.size() - 2].opcode) == "PREPARE");
    BOOST_TEST(proto::to_string(seen.back().opcode) == "EXECUTE");
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(pager_reads_every_page_in_order_with_prefetch) {
  constexpr int pages = 5;
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::execute, [&](const PeerConnectionPtr& c, const Seen& s) {
    int page = s.paging_state
                   ? std::stoi(std::string(s.paging_state->begin() + 1, s.paging_state->end()))
                   : 0;
    std::optional<std::string> next;
    if (page + 1 < pages) next = "p" + std::to_string(page + 1);
    reply_rows(c, s.stream, {"r" + std::to_string(2 * page), "r" + std::to_string(2 * page + 1)},
               next);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto o = session_options(peer);
    o.page_size = 2;
    auto session = co_await connect(o);
    auto prepared = co_await session->prepare("SELECT v FROM t");
    auto pager = session->pages(prepared, {});
    Strings all;
    for (int page = 0; page < pages; ++page) {
      BOOST_TEST_CONTEXT("page " << page) {
        auto r = co_await pager.next();
        BOOST_TEST_REQUIRE(r.has_value());
        for (auto& cell : cells_of(*r))
          all.push_back(cell);
        auto wanted = static_cast<std::size_t>(std::min(page + 2, pages));
        // The next page was asked for before the caller asks for it.
        bool prefetched =
            co_await eventually([&] { return peer.count(Opcode::execute) == wanted; });
        BOOST_TEST(prefetched);
        const auto& last = peer.seen().back();
        BOOST_TEST(last.page_size.value_or(0) == 2);
        if (page + 1 < pages) {
          BOOST_TEST_REQUIRE(last.paging_state.has_value());
          BOOST_TEST(text(*last.paging_state) == "p" + std::to_string(page + 1));
        }
      }
    }
    auto end = co_await pager.next();
    BOOST_TEST(!end.has_value());
    Strings expected;
    for (int i = 0; i < 2 * pages; ++i)
      expected.push_back("r" + std::to_string(i));
    BOOST_TEST(all == expected, boost::test_tools::per_element());
    BOOST_TEST(peer.count(Opcode::execute) == static_cast<std::size_t>(pages));
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(reconnects_after_the_peer_restarts) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto session = co_await connect(session_options(peer));
    auto before = co_await session->query("before");
    BOOST_TEST(keyspace_of(proto::Response{before.result()}) == "before");
    peer.restart(150ms);
    bool dropped = co_await eventually([&] { return session->open_connections() == 0; });
    BOOST_TEST_REQUIRE(dropped);
    auto after = co_await session->query("after");  // waits for the reconnection
    BOOST_TEST(keyspace_of(proto::Response{after.result()}) == "after");
    BOOST_TEST(peer.accepted() == 2u);
    BOOST_TEST(session->open_connections() == 1u);
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(no_host_available_within_the_connect_timeout) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = session_options(peer);
    o.connection.connect_timeout = 300ms;
    auto session = co_await connect(o);
    peer.stop();
    bool dropped = co_await eventually([&] { return session->open_connections() == 0; });
    BOOST_TEST_REQUIRE(dropped);
    auto f = co_await failure_of(session->query("nobody listens"));
    BOOST_TEST_REQUIRE(f.has_value());
    BOOST_TEST(f->code == make_error_code(client_errc::connection_error));
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(close_fails_requests_in_flight_and_later_calls) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::query, [](const PeerConnectionPtr&, const Seen&) {});
  run(io, [&]() -> asio::awaitable<void> {
    auto session = co_await connect(session_options(peer));
    auto ex = co_await asio::this_coro::executor;
    auto pending = start(ex, session->query("never answered"));
    bool sent = co_await eventually([&] { return peer.count(Opcode::query) == 1; });
    BOOST_TEST_REQUIRE(sent);
    co_await session->close();
    bool done = co_await eventually([&] { return pending->done; });
    BOOST_TEST_REQUIRE(done);
    BOOST_TEST_REQUIRE(pending->failure.has_value());
    BOOST_TEST(pending->failure->code == make_error_code(client_errc::closed));
    BOOST_TEST(session->open_connections() == 0u);

    auto q = co_await failure_of(session->query("later"));
    BOOST_TEST_REQUIRE(q.has_value());
    BOOST_TEST(q->code == make_error_code(client_errc::closed));
    auto p = co_await failure_of(session->prepare("SELECT 1"));
    BOOST_TEST_REQUIRE(p.has_value());
    BOOST_TEST(p->code == make_error_code(client_errc::closed));
    co_await session->close();  // idempotent
    BOOST_TEST(peer.count(Opcode::query) == 1u);
  });
}

BOOST_AUTO_TEST_CASE(session_connect_fails_over_to_the_next_contact_point) {
  asio::io_context io;
  ScriptedPeer peer(io);
  proto::Endpoint dead;
  {
    ScriptedPeer gone(io);
    dead = gone.endpoint();
  }
  run(io, [&]() -> asio::awaitable<void> {
    auto o = session_options(peer);
    o.contact_points = {dead, peer.endpoint()};
    auto session = co_await connect(o);
    auto r = co_await session->query("via the second");
    BOOST_TEST(keyspace_of(proto::Response{r.result()}) == "via the second");
    co_await session->close();
  });
}

BOOST_AUTO_TEST_SUITE_END()
