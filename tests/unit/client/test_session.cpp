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
  o.connection.connect_timeout = 10s;  // also how long a request waits for a reconnection
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

BOOST_AUTO_TEST_CASE(prepared_selects_skip_the_rows_metadata) {
  asio::io_context io;
  ScriptedPeer peer(io);
  const std::string select = "SELECT v FROM t WHERE pk = ?";
  const auto v_column =
      proto::ColumnSpec{"ks", "t", "v", proto::DataType::of(proto::TypeId::varchar)};
  peer.on(Opcode::prepare, [&](const PeerConnectionPtr& c, const Seen& s) {
    proto::PreparedResult p;
    p.id = view(s.text);
    if (s.text == select) p.result_metadata = proto::ResultMetadata::of({v_column});
    c->reply(s.stream, proto::Result{p});
  });
  peer.on(Opcode::execute, [&](const PeerConnectionPtr& c, const Seen& s) {
    if (!s.skip_metadata) return c->reply(s.stream, proto::Result{proto::VoidResult{}});
    // As Cassandra answers skip_metadata: the column count, no column specs.
    proto::RowsBuilder rows(1);
    const std::string cell = "x";
    std::optional<proto::BytesView> one[] = {view(cell)};
    if (!rows.add_row(one)) return;
    proto::ResultMetadata meta;
    meta.column_count = 1;
    meta.no_metadata = true;
    c->reply(s.stream, proto::Result{rows.result(std::move(meta))});
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto session = co_await connect(session_options(peer));
    auto get = co_await session->prepare(select);
    // Values built outside co_await expressions (g++ 12's braced-list bug).
    std::vector<proto::Value> key{proto::Value::of(view(select))};
    auto r = co_await session->execute(get, key);
    BOOST_TEST_REQUIRE(r.rows() != nullptr);
    BOOST_TEST(r.rows()->metadata.no_metadata);
    BOOST_TEST_REQUIRE(r.columns().size() == 1u);  // from the PREPARED result
    BOOST_TEST(r.columns()[0].name == "v");
    BOOST_TEST(cells_of(r) == Strings{"x"}, boost::test_tools::per_element());
    // A statement without result columns asks for the metadata (there is none to skip).
    auto insert = co_await session->prepare("INSERT INTO t (pk) VALUES (?)");
    auto w = co_await session->execute(insert, key);
    BOOST_TEST(w.rows() == nullptr);
    BOOST_TEST(w.columns().empty());
    co_await session->close();
  });
  std::vector<bool> skipped;
  for (const auto& s : peer.seen()) {
    if (s.opcode == Opcode::execute) skipped.push_back(s.skip_metadata);
  }
  BOOST_TEST((skipped == std::vector<bool>{true, false}));
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
    // The pool's connection and the control connection, each twice.
    bool control_back = co_await eventually([&] { return peer.accepted() == 4u; });
    BOOST_TEST(control_back);
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

BOOST_AUTO_TEST_CASE(statements_carry_consistency_serial_consistency_and_overrides) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = session_options(peer);
    o.consistency = proto::Consistency::local_quorum;
    o.serial_consistency = proto::Consistency::local_serial;
    auto session = co_await connect(o);
    auto r1 = co_await session->query("defaults");
    BOOST_TEST(r1.rows() == nullptr);
    auto q = peer.seen().back();
    BOOST_TEST((q.consistency == proto::Consistency::local_quorum));
    BOOST_TEST((q.serial_consistency == proto::Consistency::local_serial));
    BOOST_TEST(q.page_size.value_or(0) == 5000);
    // A client-side timestamp by default, from the wall clock.
    BOOST_REQUIRE(q.timestamp.has_value());
    const auto now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
    BOOST_TEST(*q.timestamp <= now_us);
    BOOST_TEST(*q.timestamp > now_us - 60'000'000);

    proto::StatementOptions over;
    over.consistency = proto::Consistency::quorum;
    over.serial_consistency = proto::Consistency::serial;
    over.timestamp = 1700000000000000;
    over.page_size = 0;  // no paging
    auto r2 = co_await session->query("overridden", {}, over);
    BOOST_TEST(r2.rows() == nullptr);
    q = peer.seen().back();
    BOOST_TEST((q.consistency == proto::Consistency::quorum));
    BOOST_TEST((q.serial_consistency == proto::Consistency::serial));
    BOOST_TEST(q.timestamp.value_or(0) == 1700000000000000);
    BOOST_TEST(!q.page_size.has_value());

    auto a = co_await session->prepare("INSERT INTO t (k, v) VALUES (?, ?)");
    auto b = co_await session->prepare("DELETE FROM t WHERE k = ?");
    const std::string k1("k1");
    const std::string v1("v1");
    const std::string k2("k2");
    std::vector<proto::Value> values{proto::Value::of(view(k1)), proto::Value::of(view(v1))};
    co_await session->execute(a, values, over);
    auto e = peer.seen().back();
    BOOST_TEST(proto::to_string(e.opcode) == "EXECUTE");
    BOOST_TEST((e.consistency == proto::Consistency::quorum));
    BOOST_TEST((e.serial_consistency == proto::Consistency::serial));
    BOOST_TEST_REQUIRE(e.values.size() == 2u);
    BOOST_TEST(text(*e.values[1]) == "v1");

    proto::StatementOptions batch_over;
    batch_over.consistency = proto::Consistency::each_quorum;
    // Built outside the co_await: g++ 12 rejects these nested init lists inside one.
    std::vector<proto::Session::BatchItem> items(2);
    items[0].prepared = a;
    items[0].values = {proto::Value::of(view(k1)), proto::Value::of(view(v1))};
    items[1].prepared = b;
    items[1].values = {proto::Value::of(view(k2))};
    auto r3 = co_await session->batch(proto::BatchType::unlogged, std::move(items), batch_over);
    BOOST_TEST(r3.rows() == nullptr);
    auto bt = peer.seen().back();
    BOOST_TEST(proto::to_string(bt.opcode) == "BATCH");
    BOOST_TEST((bt.batch_type == proto::BatchType::unlogged));
    BOOST_TEST((bt.consistency == proto::Consistency::each_quorum));
    BOOST_TEST((bt.serial_consistency == proto::Consistency::local_serial));  // the session's
    BOOST_TEST_REQUIRE(bt.batch_ids.size() == 2u);
    BOOST_TEST(text(bt.batch_ids[0]) == a->query);
    BOOST_TEST(text(bt.batch_ids[1]) == b->query);
    BOOST_TEST_REQUIRE(bt.batch_values.size() == 2u);
    BOOST_TEST_REQUIRE(bt.batch_values[1].size() == 1u);
    BOOST_TEST(text(*bt.batch_values[1][0]) == "k2");
    co_await session->close();
  });
  BOOST_TEST(peer.violations().empty());
}

BOOST_AUTO_TEST_CASE(batch_prepares_a_forgotten_statement_again_and_retries) {
  asio::io_context io;
  ScriptedPeer peer(io);
  int batches = 0;
  peer.on(Opcode::batch, [&](const PeerConnectionPtr& c, const Seen& s) {
    if (++batches == 1) {  // forgot the second statement only
      c->reply(s.stream, proto::ServerError{proto::ServerErrorCode::unprepared, "not found",
                                            proto::UnpreparedError{s.batch_ids.at(1)}});
    } else {
      c->reply(s.stream, proto::Result{proto::VoidResult{}});
    }
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto session = co_await connect(session_options(peer));
    auto a = co_await session->prepare("UPDATE t SET v = 1 WHERE k = 'a'");
    auto b = co_await session->prepare("UPDATE t SET v = 2 WHERE k = 'b'");
    std::vector<proto::Session::BatchItem> items(2);
    items[0].prepared = a;
    items[1].prepared = b;
    auto r = co_await session->batch(proto::BatchType::logged, std::move(items));
    BOOST_TEST(r.rows() == nullptr);
    BOOST_TEST(peer.count(Opcode::batch) == 2u);
    BOOST_TEST(peer.count(Opcode::prepare) == 3u);  // a, b, then b again
    const auto& seen = peer.seen();
    BOOST_TEST(seen[seen.size() - 2].text == b->query);
    BOOST_TEST(seen.back().batch_ids.size() == 2u);
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(unprepared_everywhere_at_once_is_prepared_again_once) {
  constexpr std::size_t n = 6;
  asio::io_context io;
  ScriptedPeer peer(io);
  std::vector<std::pair<PeerConnectionPtr, Seen>> first_round;
  bool restarted = false;
  peer.on(Opcode::execute, [&](const PeerConnectionPtr& c, const Seen& s) {
    if (restarted) return reply_rows(c, s.stream, {"ok"});
    first_round.emplace_back(c, s);
    if (first_round.size() < n) return;
    restarted = true;  // all n answered Unprepared together, as after a restart
    for (const auto& [conn, seen] : first_round) {
      conn->reply(seen.stream, proto::ServerError{proto::ServerErrorCode::unprepared, "not found",
                                                  proto::UnpreparedError{seen.id}});
    }
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto session = co_await connect(session_options(peer));
    auto p = co_await session->prepare("SELECT v FROM t");
    auto ex = co_await asio::this_coro::executor;
    std::vector<std::shared_ptr<Outcome<proto::QueryResult>>> outs;
    for (std::size_t i = 0; i < n; ++i)
      outs.push_back(start(ex, session->execute(p, {})));
    bool all = co_await eventually(
        [&] { return std::all_of(outs.begin(), outs.end(), [](auto& o) { return o->done; }); });
    BOOST_TEST_REQUIRE(all);
    for (const auto& o : outs) {
      BOOST_TEST_REQUIRE(o->value.has_value(), (o->failure ? o->failure->what : ""));
      BOOST_TEST(cells_of(*o->value) == Strings{"ok"}, boost::test_tools::per_element());
    }
    BOOST_TEST(peer.count(Opcode::prepare) == 2u);  // the first, and one shared re-prepare
    BOOST_TEST(peer.count(Opcode::execute) == 2 * n);
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(destroying_the_session_fails_requests_in_flight_with_closed) {
  asio::io_context io;
  ScriptedPeer peer(io);
  peer.on(Opcode::query, [](const PeerConnectionPtr&, const Seen&) {});
  run(io, [&]() -> asio::awaitable<void> {
    auto session = co_await connect(session_options(peer));
    auto ex = co_await asio::this_coro::executor;
    auto pending = start(ex, session->query("never answered"));
    bool sent = co_await eventually([&] { return peer.count(Opcode::query) == 1; });
    BOOST_TEST_REQUIRE(sent);
    session.reset();  // without close()
    bool done = co_await eventually([&] { return pending->done; });
    BOOST_TEST_REQUIRE(done);
    BOOST_TEST_REQUIRE(pending->failure.has_value());
    BOOST_TEST(pending->failure->code == make_error_code(client_errc::closed));
    bool closed = co_await eventually([&] { return peer.open_connections() == 0; });
    BOOST_TEST(closed);
  });
}

BOOST_AUTO_TEST_CASE(pager_destroyed_or_cancelled_mid_prefetch) {
  asio::io_context io;
  ScriptedPeer peer(io);
  std::vector<std::pair<PeerConnectionPtr, Seen>> held;
  peer.on(Opcode::execute, [&](const PeerConnectionPtr& c, const Seen& s) {
    if (!s.paging_state) return reply_rows(c, s.stream, {"first"}, "p1");
    held.emplace_back(c, s);  // the prefetch waits
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto o = session_options(peer);
    o.page_size = 1;
    auto session = co_await connect(o);
    auto prepared = co_await session->prepare("SELECT v FROM t");
    {
      auto pager = session->pages(prepared, {});
      auto page = co_await pager.next();
      BOOST_TEST_REQUIRE(page.has_value());
      BOOST_TEST(cells_of(*page) == Strings{"first"}, boost::test_tools::per_element());
      bool prefetching = co_await eventually([&] { return held.size() == 1; });
      BOOST_TEST_REQUIRE(prefetching);
    }  // destroyed while its prefetch is in flight
    reply_rows(held[0].first, held[0].second.stream, {"dropped"});
    auto still = co_await session->query("still works");
    BOOST_TEST(keyspace_of(proto::Response{still.result()}) == "still works");

    auto pager = session->pages(prepared, {});
    auto page = co_await pager.next();
    BOOST_TEST_REQUIRE(page.has_value());
    bool prefetching = co_await eventually([&] { return held.size() == 2; });
    BOOST_TEST_REQUIRE(prefetching);
    pager.cancel();
    reply_rows(held[1].first, held[1].second.stream, {"second"});
    auto after = co_await pager.next();
    BOOST_TEST(!after.has_value());
    proto::Pager moved = std::move(pager);
    auto from_moved = co_await pager.next();  // NOLINT(bugprone-use-after-move): defined
    BOOST_TEST(!from_moved.has_value());
    co_await session->close();
  });
}

BOOST_AUTO_TEST_SUITE_END()
