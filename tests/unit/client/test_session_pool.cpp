// Session pools against scripted peers: the keyspace on every connection, several hosts,
// reconnect backoff, callers on other threads, and the io_context going away mid-work.
#include "scripted_peer.hpp"

#include <nosqlc/protocol/client/session.hpp>
#include <nosqlc/protocol/result.hpp>

#include <asio/this_coro.hpp>
#include <asio/thread_pool.hpp>
#include <asio/use_future.hpp>
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <filesystem>
#include <future>
#include <set>
#include <thread>

using namespace nosqlc::test;
using proto::client_errc;
using proto::Opcode;

namespace {

proto::SessionOptions options_for(std::vector<proto::Endpoint> hosts) {
  proto::SessionOptions o;
  o.contact_points = std::move(hosts);
  o.connection.connect_timeout = 10s;  // also how long a request waits for a reconnection
  o.connection.request_timeout = 10s;
  o.connection.heartbeat_interval = 0ms;
  o.reconnect_base = 20ms;
  o.reconnect_max = 200ms;
  return o;
}

asio::awaitable<std::shared_ptr<proto::Session>> connect(proto::SessionOptions o) {
  auto ex = co_await asio::this_coro::executor;
  co_return co_await proto::Session::connect(ex, std::move(o));
}

// The connections (by index) that were sent `text` as a QUERY.
std::multiset<std::size_t> queried_with(const ScriptedPeer& peer, const std::string& text) {
  std::multiset<std::size_t> out;
  for (const auto& s : peer.seen()) {
    if (s.opcode == Opcode::query && s.text == text) out.insert(s.connection);
  }
  return out;
}

std::size_t distinct(const std::multiset<std::size_t>& s) {
  return std::set<std::size_t>(s.begin(), s.end()).size();
}

// USE of an unknown keyspace fails as Cassandra does.
void known_keyspaces(ScriptedPeer& peer, std::set<std::string> known) {
  peer.on(Opcode::query, [&peer, known](const PeerConnectionPtr& c, const Seen& s) {
    if (s.text.rfind("USE \"", 0) == 0) {
      auto name = s.text.substr(5, s.text.size() - 6);
      if (!known.count(name)) {
        return c->reply(s.stream, proto::ServerError{proto::ServerErrorCode::invalid,
                                                     "Keyspace '" + name + "' does not exist",
                                                     {}});
      }
    }
    peer.answer_default(c, s);
  });
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_session_pool)

BOOST_AUTO_TEST_CASE(defaults_are_the_datastax_ones) {
  proto::SessionOptions o;
  BOOST_TEST((o.connection.connect_timeout == 5s));
  BOOST_TEST((o.connection.request_timeout == 12s));
  BOOST_TEST((o.connection.heartbeat_interval == 30s));
  BOOST_TEST((o.reconnect_base == 1s));
  BOOST_TEST((o.reconnect_max == 10min));
  BOOST_TEST(o.page_size == 5000);
  BOOST_TEST(o.connection.max_streams == 32768u);
  BOOST_TEST(!o.connection.compression);  // none, as the DataStax Java and C++ drivers
  BOOST_TEST(o.connection.tls.verify);
}

BOOST_AUTO_TEST_CASE(keyspace_is_used_on_every_connection_also_after_set_keyspace) {
  asio::io_context io;
  ScriptedPeer peer(io);
  known_keyspaces(peer, {"ks1", "ks2"});
  run(io, [&]() -> asio::awaitable<void> {
    auto o = options_for({peer.endpoint()});
    o.keyspace = "ks1";
    o.pool_size = 3;
    auto session = co_await connect(o);
    bool filled = co_await eventually([&] { return session->open_connections() == 3; });
    BOOST_TEST_REQUIRE(filled);
    auto ks1 = queried_with(peer, "USE \"ks1\"");
    BOOST_TEST(ks1.size() == 3u);
    BOOST_TEST(distinct(ks1) == 3u);

    auto bad = co_await failure_of(session->set_keyspace("nope"));
    BOOST_TEST_REQUIRE(bad.has_value());
    BOOST_TEST(bad->code == make_error_code(proto::ServerErrorCode::invalid));
    BOOST_TEST(queried_with(peer, "USE \"nope\"").size() == 1u);  // tried once
    // Nothing changed: connections opened after the failure still use ks1.
    peer.restart();
    bool reopened = co_await eventually([&] {
      return session->open_connections() == 3 && queried_with(peer, "USE \"ks1\"").size() == 6;
    });
    BOOST_TEST_REQUIRE(reopened);
    BOOST_TEST(queried_with(peer, "USE \"nope\"").size() == 1u);

    co_await session->set_keyspace("ks2");
    auto ks2 = queried_with(peer, "USE \"ks2\"");
    BOOST_TEST(ks2.size() == 3u);
    BOOST_TEST(distinct(ks2) == 3u);

    // Connections opened later use the keyspace set last.
    peer.restart();
    bool used = co_await eventually([&] { return queried_with(peer, "USE \"ks2\"").size() == 6; });
    BOOST_TEST(used);
    // Three pool connections and the control connection, in each of the peer's three lives.
    bool all = co_await eventually([&] { return peer.accepted() == 12u; });
    BOOST_TEST(all, peer.accepted());
    BOOST_TEST(queried_with(peer, "USE \"ks1\"").size() == 6u);
    BOOST_TEST(queried_with(peer, "USE \"nope\"").size() == 1u);
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(keyspace_with_a_quote_is_escaped) {
  asio::io_context io;
  ScriptedPeer peer(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = options_for({peer.endpoint()});
    o.keyspace = "odd\"name";
    auto session = co_await connect(o);
    BOOST_TEST(queried_with(peer, "USE \"odd\"\"name\"").size() == 1u);
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(requests_use_every_host_and_survive_one_going_down) {
  asio::io_context io;
  ScriptedPeer a(io);
  ScriptedPeer b(io);
  run(io, [&]() -> asio::awaitable<void> {
    auto o = options_for({a.endpoint(), b.endpoint()});
    o.pool_size = 2;
    auto session = co_await connect(o);
    bool filled = co_await eventually([&] { return session->open_connections() == 4; });
    BOOST_TEST_REQUIRE(filled);
    BOOST_TEST(a.accepted() == 3u);  // and the control connection, to the first contact point
    BOOST_TEST(b.accepted() == 2u);
    for (int i = 0; i < 20; ++i)
      co_await session->query("spread");
    BOOST_TEST(queried_with(a, "spread").size() > 0u);
    BOOST_TEST(queried_with(b, "spread").size() > 0u);

    a.stop();
    bool dropped = co_await eventually([&] { return session->open_connections() == 2; });
    BOOST_TEST_REQUIRE(dropped);
    auto before = queried_with(b, "after").size();
    for (int i = 0; i < 10; ++i) {
      auto r = co_await session->query("after");
      BOOST_TEST(keyspace_of(proto::Response{r.result()}) == "after");
    }
    BOOST_TEST(queried_with(b, "after").size() == before + 10);
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(reconnect_attempts_back_off_exponentially) {
  asio::io_context io;
  ScriptedPeer peer(io);
  bool refuse = false;
  peer.on(Opcode::options, [&](const PeerConnectionPtr& c, const Seen& s) {
    if (refuse) return c->close();  // accepts, then hangs up: every attempt fails
    peer.answer_default(c, s);
  });
  run(io, [&]() -> asio::awaitable<void> {
    auto o = options_for({peer.endpoint()});
    o.reconnect_base = 20ms;
    o.reconnect_max = 1s;
    o.connection.connect_timeout = 10s;  // the query below waits for the next attempt
    auto session = co_await connect(o);
    refuse = true;
    peer.restart();
    auto before = peer.accepted();
    co_await sleep(1500ms);
    auto attempts = peer.accepted() - before;
    // Two loops reconnect, the pool's slot and the control connection. Waits of 20, 40,
    // 80... ms (at least half each with jitter) allow each about 8 attempts in 1.5 s;
    // retrying every 20 ms would make 150. A slow machine only makes fewer.
    BOOST_TEST(attempts >= 2u);
    BOOST_TEST(attempts <= 24u);
    BOOST_TEST(session->open_connections() == 0u);
    refuse = false;
    auto r = co_await failure_of(session->query("after the outage"));
    BOOST_TEST(!r.has_value(), (r ? r->what : ""));
    co_await session->close();
  });
}

BOOST_AUTO_TEST_CASE(callers_on_other_threads) {
  // The peer runs on its own thread; the session and its callers on a pool of three.
  asio::io_context peer_io;
  auto work = asio::make_work_guard(peer_io);
  ScriptedPeer peer(peer_io);
  std::thread peer_thread([&] { peer_io.run(); });
  asio::thread_pool pool(3);
  std::string failure;
  try {
    auto o = options_for({peer.endpoint()});
    o.pool_size = 2;
    auto session =
        asio::co_spawn(pool, proto::Session::connect(pool.get_executor(), o), asio::use_future)
            .get();
    std::vector<std::future<void>> callers;
    for (int t = 0; t < 4; ++t) {
      callers.push_back(std::async(std::launch::async, [&, t] {
        for (int i = 0; i < 25; ++i) {
          auto text = "t" + std::to_string(t) + "q" + std::to_string(i);
          auto r = asio::co_spawn(pool, session->query(text), asio::use_future).get();
          if (keyspace_of(proto::Response{r.result()}) != text) throw std::runtime_error(text);
          asio::co_spawn(pool, session->prepare("SELECT v FROM t"), asio::use_future).get();
          (void)session->open_connections();
        }
      }));
    }
    for (auto& c : callers)
      c.get();
    asio::co_spawn(pool, session->close(), asio::use_future).get();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  pool.join();
  asio::post(peer_io, [&] { peer.stop(); });
  work.reset();
  peer_thread.join();
  BOOST_TEST(failure.empty(), failure);
  BOOST_TEST(peer.count(Opcode::query) == 100u);
  BOOST_TEST(peer.count(Opcode::prepare) == 1u);
}

// Threads of this process, from /proc.
std::size_t thread_count() {
  std::size_t n = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/task"))
    ++n;
  return n;
}

BOOST_AUTO_TEST_CASE(io_threads_run_the_connections_and_end_with_the_session) {
  asio::io_context peer_io;
  auto work = asio::make_work_guard(peer_io);
  ScriptedPeer peer(peer_io);
  std::thread peer_thread([&] { peer_io.run(); });
  std::string failure;
  std::size_t before = 0, with_session = 0, after = 0, without_threads = 0;
  try {
    asio::io_context caller;  // the caller's loop, run by this thread only
    auto o = options_for({peer.endpoint()});
    o.pool_size = 4;
    before = thread_count();
    auto spread = [&]() -> asio::awaitable<void> {
      o.io_threads = 2;
      auto session = co_await connect(o);
      with_session = thread_count();
      // Statements from the caller's loop reach connections on the session's threads and
      // resume here, each with its own answer.
      std::vector<std::shared_ptr<Outcome<proto::QueryResult>>> runs;
      auto ex = co_await asio::this_coro::executor;
      for (int i = 0; i < 64; ++i)
        runs.push_back(start(ex, session->query("q" + std::to_string(i))));
      bool all = co_await eventually([&] {
        return std::all_of(runs.begin(), runs.end(), [](const auto& r) { return r->done; });
      });
      BOOST_TEST_REQUIRE(all);
      for (int i = 0; i < 64; ++i) {
        auto& r = runs[static_cast<std::size_t>(i)];
        BOOST_TEST_REQUIRE(r->value.has_value(), (r->failure ? r->failure->what : ""));
        BOOST_TEST(keyspace_of(proto::Response{r->value->result()}) == "q" + std::to_string(i));
      }
      // The pool fills in the background after the first connection (slowly under ASan).
      bool filled = co_await eventually([&] { return session->open_connections() == 4u; });
      BOOST_TEST(filled);
    };
    asio::co_spawn(caller, spread(), [&](std::exception_ptr e) {
      if (e) failure = "io_threads = 2 failed";
    });
    caller.run();
    // The session is gone: its threads end once its last work is done.
    for (int i = 0; i < 500 && thread_count() != before; ++i)
      std::this_thread::sleep_for(10ms);
    after = thread_count();
    caller.restart();
    auto none = [&]() -> asio::awaitable<void> {
      o.io_threads = 0;
      auto session = co_await connect(o);
      without_threads = thread_count();
      co_await session->query("no thread");
      co_await session->close();
    };
    asio::co_spawn(caller, none(), [&](std::exception_ptr e) {
      if (e) failure += " io_threads = 0 failed";
    });
    caller.run();
  } catch (const std::exception& e) {
    failure = e.what();
  }
  asio::post(peer_io, [&] { peer.stop(); });
  work.reset();
  peer_thread.join();
  BOOST_TEST(failure.empty(), failure);
  BOOST_TEST(with_session == before + 2);
  BOOST_TEST(after == before);
  BOOST_TEST(without_threads == before);
}

BOOST_AUTO_TEST_CASE(io_context_destroyed_with_session_work_in_flight) {
  // As for the connection: nothing is closed, the io_context destroys what is suspended.
  auto io = std::make_unique<asio::io_context>();
  auto peer = std::make_unique<ScriptedPeer>(*io);
  std::vector<std::pair<PeerConnectionPtr, Seen>> held;
  peer->on(Opcode::query,
           [&](const PeerConnectionPtr& c, const Seen& s) { held.emplace_back(c, s); });
  peer->on(Opcode::execute,
           [&](const PeerConnectionPtr& c, const Seen& s) { held.emplace_back(c, s); });
  std::shared_ptr<Outcome<proto::QueryResult>> query;
  std::shared_ptr<Outcome<std::optional<proto::QueryResult>>> page;
  std::optional<proto::Pager> pager;
  std::shared_ptr<proto::Session> session;  // kept: destroying it would close everything
  run(*io, [&]() -> asio::awaitable<void> {
    auto o = options_for({peer->endpoint()});
    o.pool_size = 2;
    session = co_await connect(o);
    auto ex = co_await asio::this_coro::executor;
    query = start(ex, session->query("held"));
    auto prepared = co_await session->prepare("SELECT v FROM t");
    pager.emplace(session->pages(prepared, {}));
    page = start(ex, pager->next());
    bool sent = co_await eventually([&] { return held.size() == 2; });
    BOOST_TEST_REQUIRE(sent);
  });
  held.clear();
  peer.reset();
  BOOST_TEST(!query->done);
  BOOST_TEST(!page->done);
  // Both post their closing to the io_context, which is never run again: it must exist.
  pager.reset();
  session.reset();
  io.reset();
  // Their frames are gone with the io_context (each completion handler held the other
  // reference), although each frame held a connection that held its wait.
  BOOST_TEST(query.use_count() == 1);
  BOOST_TEST(page.use_count() == 1);
}

BOOST_AUTO_TEST_SUITE_END()
