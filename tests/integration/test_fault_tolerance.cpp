// What the client does when nodes fail under it: retries by idempotence within deadlines,
// speculative executions around a slow node, a rolling restart without errors or repeated
// PREPAREs, a scan that survives its node, and client timestamps ordering writes across
// skewed coordinators. Against multi-node sandboxes (their faults are the sandbox's).
#include "cluster_fixture.hpp"

#include <algorithm>
#include <atomic>
#include <set>

using namespace cassandra_test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

sb::Faults slow(int ms) {
  sb::Faults f;
  f.latency = std::chrono::milliseconds(ms);
  return f;
}

double percentile(std::vector<double> v, double p) {
  std::sort(v.begin(), v.end());
  return v[std::min(v.size() - 1, static_cast<std::size_t>(p / 100.0 * v.size()))];
}

// A session that sends everything to node `node` alone: to drive sandbox.nodes from a node
// other than the one being stopped.
asio::awaitable<std::shared_ptr<pr::Session>> pinned(const sb::Server& s, std::size_t node) {
  auto o = one_contact(s, node);
  o.host_filter = [address = s.address(node).host](const pr::HostInfo& h) {
    return h.address == address;
  };
  co_return co_await pr::Session::connect(co_await asio::this_coro::executor, o);
}

// Stores documents {"i": i} at keys prefix0 .. prefix<n-1>, `workers` at a time.
asio::awaitable<void> store_numbered(nosqlc::Collection& col, std::string prefix, int n,
                                     int workers) {
  auto store = [&](int w) -> asio::awaitable<void> {
    for (int i = w; i < n; i += workers)
      co_await col.store(prefix + std::to_string(i), doc("{\"i\":" + std::to_string(i) + "}"));
  };
  co_await concurrently(workers, store);
}

// Creates the keyspace and the "docs" table of `url` through the document API.
asio::awaitable<void> create_docs_table(const std::string& url) {
  auto client = co_await nosqlc::DriverManager::get_client(url);
  co_await client->get_collection("docs").store("x", doc("{}"));
  co_await client->close();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(fault_tolerance)

BOOST_AUTO_TEST_CASE(gets_in_flight_on_a_node_that_stops_are_retried_within_their_deadline) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  const std::string url = url_of(*server, "retry", 3, "deadline_ms=3000&request_timeout_ms=2000");
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await store_numbered(col, "k", 1000, 50);
    // Node 1 answers late, so that gets are waiting on it when it stops.
    server->set_faults(1, slow(300));
    const auto executes_before = server->node_stats(1).executes;
    std::vector<double> took(1000, 0);
    std::atomic<int> wrong{0};
    auto get = [&](int i) -> asio::awaitable<void> {
      if (i == 1000) {
        co_await pause(100ms);
        server->stop_node(1);
        co_return;
      }
      const auto start = Clock::now();
      auto d = co_await col.get("k" + std::to_string(i));
      took[static_cast<std::size_t>(i)] = ms_since(start);
      if (!d || d->at("i") != json::value(i)) ++wrong;
    };
    co_await concurrently(1001, get);  // rethrows the first failure
    BOOST_TEST(wrong == 0);
    BOOST_TEST(server->node_stats(1).executes > executes_before);  // some went to node 1
    BOOST_TEST(*std::max_element(took.begin(), took.end()) < 3000 + 500);
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_write_not_marked_idempotent_fails_naming_the_host_and_is_not_repeated) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  const std::string url = url_of(*server, "once", 3);
  const std::string ks = nosqlc::cassandra::parse_url(url).keyspace;
  run([&]() -> asio::awaitable<void> {
    co_await create_docs_table(url);
    auto raw =
        co_await pr::Session::connect(co_await asio::this_coro::executor, one_contact(*server, 0));
    co_await eventually([&] { return raw->open_connections() == 3; });
    const std::string insert = "INSERT INTO " + ks + ".docs (pk, data) VALUES (?, ?)";
    const std::size_t runs_before = server->times_run(insert);
    auto prepared = co_await raw->prepare(insert);
    BOOST_TEST(!prepared->idempotent);
    server->set_faults(2, slow(300));
    const std::string stopped = server->address(2).host;
    std::atomic<int> ok{0}, failed{0}, unnamed{0};
    auto write = [&](int i) -> asio::awaitable<void> {
      if (i == 300) {
        co_await pause(100ms);
        server->stop_node(2);
        co_return;
      }
      const std::string key = "w" + std::to_string(i);
      try {
        std::vector<pr::Value> values;  // (g++ 12: no braced list inside co_await)
        values.push_back(pr::Value::of(bytes_of(key)));
        values.push_back(pr::Value::null());
        co_await raw->execute(prepared, std::move(values));
        ++ok;
      } catch (const pr::ClientError& e) {
        ++failed;
        if (std::string(e.what()).find(stopped) == std::string::npos) ++unnamed;
      }
    };
    co_await concurrently(301, write);
    BOOST_TEST(failed > 0);  // those in flight on the node that stopped
    BOOST_TEST(unnamed == 0);
    BOOST_TEST(ok + failed == 300);
    // Each write ran once: none was sent again to another host.
    BOOST_TEST(server->times_run(insert) - runs_before == 300u);
    co_await raw->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_call_deadline_bounds_get_store_delete_and_update) {
  if (real_cassandra_url()) return;
  auto server = one_dc(1);
  const std::string url = url_of(*server, "deadline", 1);
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await col.store("a", doc("{\"v\":1}"));
    co_await col.store("c", doc("{\"v\":1}"));
    server->set_faults(0, slow(400));
    const nosqlc::CallOptions quick{.deadline = 100ms};
    auto timed_out = [](const auto& outcome) {
      return outcome.error == nosqlc::make_error_code(nosqlc::errc::timeout);
    };
    const auto start = Clock::now();
    auto g = co_await nosqlc::attempt(col.get("a", quick));
    auto s = co_await nosqlc::attempt(col.store("b", doc("{}"), quick));
    auto d = co_await nosqlc::attempt(col.del("a", quick));
    auto u = co_await nosqlc::attempt(col.update("a", doc("{\"v\":2}"), quick));
    BOOST_TEST(timed_out(g), g.message);
    BOOST_TEST(timed_out(s), s.message);
    BOOST_TEST(timed_out(d), d.message);
    BOOST_TEST(timed_out(u), u.message);
    BOOST_TEST(ms_since(start) < 4 * 400.0);  // none waited for its answer
    // Without one, a call waits for the slow answer and succeeds. (The calls above ran on the
    // server all the same: their answers came late, not the work.)
    auto slow_get = co_await col.get("c");
    BOOST_TEST(slow_get.has_value());
    server->set_faults(0, {});
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(retries_stop_at_max_retries_and_the_error_names_every_attempt) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  const std::string url = url_of(*server, "overloaded", 3);
  const std::string ks = nosqlc::cassandra::parse_url(url).keyspace;
  run([&]() -> asio::awaitable<void> {
    co_await create_docs_table(url);
    sb::Faults overloaded;
    overloaded.error = pr::ServerErrorCode::overloaded;
    overloaded.error_share = 1;
    for (std::size_t n = 0; n < 3; ++n)
      server->set_faults(n, overloaded);
    auto o = one_contact(*server, 0);
    const std::string select = "SELECT data FROM " + ks + ".docs WHERE pk = ?";
    const std::string insert = "INSERT INTO " + ks + ".docs (pk, data) VALUES (?, ?)";
    for (std::size_t max_retries : {1u, 5u}) {
      o.max_retries = max_retries;
      auto raw = co_await pr::Session::connect(co_await asio::this_coro::executor, o);
      co_await eventually([&] { return raw->open_connections() == 3; });
      auto get = co_await raw->prepare(select);
      auto put = co_await raw->prepare(insert);
      const auto selects = server->times_run(select);
      std::string message;
      try {
        std::vector<pr::Value> values{pr::Value::of(bytes_of("x"))};
        co_await raw->execute(get, std::move(values));
      } catch (const pr::CqlError& e) {
        BOOST_TEST((e.server_code() == pr::ServerErrorCode::overloaded));
        message = e.what();
      }
      // Each attempt on another host: 2 with max_retries 1, every host (3) with more.
      const std::size_t attempts = max_retries == 1 ? 2 : 3;
      BOOST_TEST(message.find(std::to_string(attempts) + " attempts") != std::string::npos,
                 message);
      BOOST_TEST(server->times_run(select) - selects == 0u);  // refused before running
      std::size_t hosts_named = 0;
      for (std::size_t n = 0; n < 3; ++n)
        hosts_named += message.find(server->address(n).host + ":") != std::string::npos;
      BOOST_TEST(hosts_named == attempts, message);
      // A write that is not idempotent is not tried elsewhere.
      std::string once;
      try {
        std::vector<pr::Value> values{pr::Value::of(bytes_of("y")), pr::Value::null()};
        co_await raw->execute(put, std::move(values));
      } catch (const pr::CqlError& e) {
        once = e.what();
      }
      BOOST_TEST(once.find("attempts") == std::string::npos, once);
      BOOST_TEST(!once.empty());
      co_await raw->close();
    }
    for (std::size_t n = 0; n < 3; ++n)
      server->set_faults(n, {});
  }());
}

BOOST_AUTO_TEST_CASE(an_update_whose_answer_is_lost_reads_back_instead_of_repeating) {
  if (real_cassandra_url()) return;
  auto server = one_dc(2);
  // Answers from node 0 come after the request timeout: its compare-and-set is applied but
  // the client cannot know.
  const std::string url = url_of(*server, "unknown", 2, "request_timeout_ms=150");
  const std::string ks = nosqlc::cassandra::parse_url(url).keyspace;
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    std::string key;  // one whose first replica (the CAS coordinator) is node 0
    for (int i = 0; key.empty(); ++i) {
      std::string k = "u" + std::to_string(i);
      auto r = server->replicas(ks, bytes_of(k));
      if (!r.empty() && r[0] == server->address(0).host) key = k;
    }
    co_await col.store(key, doc("{\"a\":1}"));
    const std::string cas = "UPDATE " + ks + ".docs SET data = ? WHERE pk = ? IF data = ?";
    const auto cas_before = server->times_run(cas);
    server->set_faults(0, slow(300));
    co_await col.update(key, doc("{\"b\":2}"));             // succeeds: it found its write
    BOOST_TEST(server->times_run(cas) - cas_before == 1u);  // sent once, never repeated
    server->set_faults(0, {});
    auto d = co_await col.get(key);
    BOOST_REQUIRE(d.has_value());
    BOOST_TEST(d->at("a") == json::value(1));
    BOOST_TEST(d->at("b") == json::value(2));
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(speculative_execution_bounds_the_latency_of_a_slow_replica) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  // One replica per key, and only keys on node 1, which is slow: without speculation every
  // get waits for it.
  const std::string url = url_of(*server, "spec", 1);
  const std::string ks = nosqlc::cassandra::parse_url(url).keyspace;
  const std::string slow_node = server->address(1).host;
  run([&]() -> asio::awaitable<void> {
    std::vector<std::string> keys;
    {
      auto client = co_await nosqlc::DriverManager::get_client(url);
      auto& col = client->get_collection("docs");
      co_await col.store("seed", doc("{}"));
      for (int i = 0; keys.size() < 50; ++i) {
        std::string k = "s" + std::to_string(i);
        auto replicas = server->replicas(ks, bytes_of(k));
        if (!replicas.empty() && replicas[0] == slow_node) keys.push_back(k);
      }
      for (const auto& k : keys)
        co_await col.store(k, doc("{}"));
      co_await client->close();
    }
    // Both clients connected to every node before node 1 slows down (its handshakes would be
    // slow too, and requests go elsewhere meanwhile).
    auto speculating = co_await nosqlc::DriverManager::get_client(
        url + "&speculative_max=1&speculative_delay_ms=20");
    auto waiting = co_await nosqlc::DriverManager::get_client(url);
    for (auto* c : {speculating.get(), waiting.get()})
      (void)co_await c->get_collection("docs").get(keys[0]);
    co_await pause(300ms);
    server->set_faults(1, slow(500));
    auto p99_of = [&](nosqlc::Client& client, int gets, int workers) -> asio::awaitable<double> {
      auto& col = client.get_collection("docs");
      std::vector<double> took;
      auto get = [&](int w) -> asio::awaitable<void> {
        for (int i = w; i < gets; i += workers) {
          const auto start = Clock::now();
          auto d = co_await col.get(keys[static_cast<std::size_t>(i) % keys.size()]);
          took.push_back(ms_since(start));
          BOOST_TEST(d.has_value());
        }
      };
      co_await concurrently(workers, get);
      co_return percentile(took, 99);
    };
    const auto slow_before = server->node_stats(1).executes;
    const double with = co_await p99_of(*speculating, 2000, 20);
    const double without = co_await p99_of(*waiting, 2000, 100);
    BOOST_TEST_MESSAGE("p99 with speculation " << with << " ms, without " << without << " ms");
    BOOST_TEST(server->node_stats(1).executes - slow_before >= 4000);  // each tried node 1
    co_await speculating->close();
    co_await waiting->close();
    BOOST_TEST(with < 100.0);
    BOOST_TEST(without > 400.0);
  }());
}

BOOST_AUTO_TEST_CASE(a_rolling_restart_reaches_no_caller_and_prepares_once_per_node) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  const std::string url = url_of(*server, "rolling", 3, "deadline_ms=5000");
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await col.store("warm", doc("{}"));  // the collection's statements are prepared
    auto ctl0 = co_await pinned(*server, 0);
    auto ctl1 = co_await pinned(*server, 1);
    co_await ctl0->query("TRUNCATE sandbox.node_stats");
    std::atomic<bool> done{false};
    std::atomic<int> errors{0}, ops{0};
    std::string first_error;
    auto work = [&](int w) -> asio::awaitable<void> {
      if (w == 8) {  // the operator: each node stopped and started again in turn
        for (std::size_t n = 0; n < 3; ++n) {
          auto& ctl = n == 0 ? ctl1 : ctl0;
          const std::string where = " WHERE address = '" + server->address(n).host + "'";
          co_await ctl->query("UPDATE sandbox.nodes SET up = false" + where);
          co_await pause(300ms);
          co_await ctl->query("UPDATE sandbox.nodes SET up = true" + where);
          co_await pause(500ms);
        }
        done = true;
        co_return;
      }
      for (int i = 0; !done; ++i) {
        const std::string key = "m" + std::to_string(w) + "_" + std::to_string(i % 50);
        try {
          switch (i % 3) {
            case 0:
              co_await col.store(key, doc("{\"i\":1}"));
              break;
            case 1:
              (void)co_await col.get(key);
              break;
            default:
              co_await col.del(key);
          }
          ++ops;
        } catch (const std::exception& e) {
          if (errors++ == 0) first_error = e.what();
        }
      }
    };
    co_await concurrently(9, work);
    BOOST_TEST(errors == 0, first_error);
    BOOST_TEST(ops > 1000);
    // The client's six statements, prepared once on each node when it came back (none met
    // Unprepared and prepared again).
    for (std::size_t n = 0; n < 3; ++n) {
      BOOST_TEST(server->node_stats(n).prepares <= 6, "node " << n);
    }
    co_await ctl0->close();
    co_await ctl1->close();
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_scan_whose_node_stops_mid_scan_yields_every_document_once) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  const std::string url = url_of(*server, "survive", 3);
  constexpr int kDocs = 100'000;
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await store_numbered(col, "d", kDocs, 200);
    auto ctl = co_await pinned(*server, 0);
    co_await ctl->query("TRUNCATE sandbox.node_stats");
    auto cursor = co_await col.find(nosqlc::filter::Ast{},
                                    nosqlc::FindOptions{.page_size = 1000, .scan_concurrency = 1});
    std::vector<std::string> seen;
    // (Not `size < n && co_await next()`: g++ 12 evaluates the co_await even when the left
    // side is false.)
    while (seen.size() < 3000) {
      if (!co_await cursor.next()) break;
      seen.push_back(cursor.document().at("_id").as_string().c_str());
    }
    // The node that served the scan so far (the only statements since the TRUNCATE).
    std::size_t serving = 3;
    for (std::size_t n = 0; n < 3; ++n) {
      if (server->node_stats(n).executes > 0) serving = n;
    }
    BOOST_REQUIRE(serving < 3);
    server->stop_node(serving);
    while (co_await cursor.next())
      seen.push_back(cursor.document().at("_id").as_string().c_str());
    std::sort(seen.begin(), seen.end());
    BOOST_TEST(seen.size() == static_cast<std::size_t>(kDocs));
    BOOST_TEST((std::adjacent_find(seen.begin(), seen.end()) == seen.end()));
    co_await ctl->close();
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_scan_resumes_from_its_position_without_reading_anything_twice) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  const std::string url = url_of(*server, "resume", 2);
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await store_numbered(col, "r", 3000, 50);
    for (std::size_t concurrency : {1u, 5u}) {
      std::vector<std::string> seen;
      std::optional<std::string> position;
      // Stop after every 700 documents, and go on from where the cursor said.
      for (int round = 0; round < 100; ++round) {
        nosqlc::FindOptions o{.page_size = 100, .scan_concurrency = concurrency};
        o.resume_from = position;
        auto cursor = co_await col.find(nosqlc::filter::Ast{}, o);
        std::size_t taken = 0;
        while (taken < 700) {
          if (!co_await cursor.next()) break;
          seen.push_back(cursor.document().at("_id").as_string().c_str());
          ++taken;
        }
        position = cursor.resume_position();
        BOOST_REQUIRE(position.has_value());
        co_await cursor.close();
        if (position->empty()) break;
      }
      std::sort(seen.begin(), seen.end());
      BOOST_TEST(seen.size() == 3000u, "concurrency " << concurrency << ": " << seen.size());
      BOOST_TEST((std::adjacent_find(seen.begin(), seen.end()) == seen.end()));
    }
    nosqlc::FindOptions elsewhere;  // named: g++ 12 mishandles such temporaries in co_await
    elsewhere.resume_from = "elsewhere:1:2";
    auto bad = co_await nosqlc::attempt(col.find(nosqlc::filter::Ast{}, elsewhere));
    BOOST_TEST((bad.error == nosqlc::make_error_code(nosqlc::errc::invalid_argument)), bad.message);
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(client_timestamps_order_writes_through_coordinators_with_skewed_clocks) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  // Node 0's clock runs a second ahead, node 2's a second behind.
  for (std::size_t n : {0u, 2u}) {
    sb::Faults f;
    f.clock_skew = std::chrono::milliseconds(n == 0 ? 1000 : -1000);
    server->set_faults(n, f);
  }
  const std::string base = url_of(*server, "clocks", 3);
  const std::string ks = nosqlc::cassandra::parse_url(base).keyspace;
  run([&]() -> asio::awaitable<void> {
    // A client per coordinator.
    auto clients_for =
        [&](std::string extra) -> asio::awaitable<std::vector<std::shared_ptr<nosqlc::Client>>> {
      std::vector<std::shared_ptr<nosqlc::Client>> out;
      for (std::size_t n = 0; n < 3; ++n) {
        out.push_back(co_await nosqlc::DriverManager::get_client(
            base + "&allowed_hosts=" + server->address(n).host + extra));
      }
      co_return out;
    };
    auto clients = co_await clients_for("");
    int lost = 0;
    for (int i = 0; i < 10'000; ++i) {
      auto& writer = clients[static_cast<std::size_t>(i) % 3]->get_collection("docs");
      co_await writer.store("k", doc("{\"i\":" + std::to_string(i) + "}"));
      auto& reader = clients[static_cast<std::size_t>(i + 1) % 3]->get_collection("docs");
      auto d = co_await reader.get("k");
      if (!d || d->at("i") != json::value(i)) ++lost;
    }
    BOOST_TEST(lost == 0);
    for (auto& c : clients)
      co_await c->close();
    // The control: stamped by their coordinators, a write through node 2 after one through
    // node 0 loses (the skew is real).
    auto stamped_by_server = co_await clients_for("&client_timestamps=false");
    co_await stamped_by_server[0]->get_collection("docs").store("c", doc("{\"i\":0}"));
    co_await stamped_by_server[2]->get_collection("docs").store("c", doc("{\"i\":1}"));
    auto d = co_await stamped_by_server[1]->get_collection("docs").get("c");
    BOOST_REQUIRE(d.has_value());
    BOOST_TEST(d->at("i") == json::value(0));
    for (auto& c : stamped_by_server)
      co_await c->close();
  }());
}

BOOST_AUTO_TEST_SUITE_END()
