// What a service sees of the client and controls per call: log records for a node that goes
// and comes back (none holding the password), metrics that count a scripted run exactly, the
// request tracker's view of a speculative execution, traces read back, per-call TTL,
// timestamp and consistency, a deadline kept, bulk writes and the session under a client.
// Against multi-node sandboxes.
#include "cluster_fixture.hpp"

#include <nosqlc/nosql/memory.hpp>

#include <algorithm>
#include <mutex>
#include <regex>
#include <sstream>

using namespace cassandra_test;
using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

namespace {

// Every record a sink was given, copied: a sink's views last only during the call.
struct Captured {
  nosqlc::LogLevel level;
  std::string subsystem, message, host;
};
struct LogCapture {
  std::mutex mutex;
  std::vector<Captured> records;
  nosqlc::LogSink sink() {
    return [this](const nosqlc::LogRecord& r) {
      std::lock_guard lock(mutex);
      records.push_back(
          {r.level, std::string(r.subsystem), std::string(r.message), std::string(r.host)});
    };
  }
  // Whether a record of `subsystem` whose message starts with `prefix` names `host`.
  bool has(std::string_view subsystem, std::string_view prefix, std::string_view host) {
    std::lock_guard lock(mutex);
    return std::any_of(records.begin(), records.end(), [&](const Captured& c) {
      return c.subsystem == subsystem && c.message.starts_with(prefix) && c.host.starts_with(host);
    });
  }
  std::vector<Captured> copy() {
    std::lock_guard lock(mutex);
    return records;
  }
};

// A tracker that keeps what it is told.
struct Recorded {
  struct Attempt {
    std::uint64_t id;
    std::string host;
    std::size_t number;
    nosqlc::RequestTracker::AttemptKind kind;
  };
  std::mutex mutex;
  std::map<std::uint64_t, std::string> started;  // id -> statement
  std::vector<Attempt> attempts;
  std::map<std::uint64_t, bool> ended;  // id -> failed
};
struct KeepingTracker final : nosqlc::RequestTracker {
  explicit KeepingTracker(Recorded& r) : rec(r) {}
  void on_start(std::uint64_t id, std::string_view statement) override {
    std::lock_guard lock(rec.mutex);
    rec.started[id] = std::string(statement);
  }
  void on_attempt(std::uint64_t id, std::string_view host, std::size_t attempt,
                  AttemptKind kind) override {
    std::lock_guard lock(rec.mutex);
    rec.attempts.push_back({id, std::string(host), attempt, kind});
  }
  void on_end(std::uint64_t id, std::chrono::microseconds, const std::exception_ptr& e) override {
    std::lock_guard lock(rec.mutex);
    rec.ended[id] = e != nullptr;
  }
  Recorded& rec;
};

std::uint64_t sum_host(const nosqlc::Metrics& m, std::uint64_t nosqlc::HostMetrics::*field) {
  std::uint64_t n = 0;
  for (const auto& h : m.hosts)
    n += h.*field;
  return n;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(observability)

BOOST_AUTO_TEST_CASE(the_log_tells_of_a_node_stopped_and_restarted_and_never_holds_the_password) {
  if (real_cassandra_url()) return;
  sb::ServerOptions so;
  so.port = 0;
  so.nodes = 3;
  const std::string password = "pa55-w0rd-never-logged";
  so.users = {{"app", password}};
  sb::Server server(so);
  const std::string url = url_of(server, "logs", 3);
  LogCapture log;
  run([&]() -> asio::awaitable<void> {
    nosqlc::ClientObservers observers;
    observers.log_sink = log.sink();
    observers.log_level = nosqlc::LogLevel::debug;
    const nosqlc::Properties login{{"username", "app"}, {"password", password}};
    auto client = co_await nosqlc::DriverManager::get_client(url, login, observers);
    auto& col = client->get_collection("docs");
    co_await col.store("a", doc("{\"secret\":\"document-text\"}"));
    BOOST_TEST(log.has("host", "host added to the pool", server.address(1).host));
    BOOST_TEST(log.has("connection", "connection opened", server.address(1).host));
    // The operator stops node 1 and starts it again through sandbox.nodes, from node 0.
    auto ctl_options = one_contact(server, 0);
    ctl_options.connection.credentials = pr::Credentials{"app", password};
    ctl_options.host_filter = [a = server.address(0).host](const pr::HostInfo& h) {
      return h.address == a;
    };
    auto ctl = co_await pr::Session::connect(co_await asio::this_coro::executor, ctl_options);
    const std::string node1 = " WHERE address = '" + server.address(1).host + "'";
    co_await ctl->query("UPDATE sandbox.nodes SET up = false" + node1);
    BOOST_TEST(
        co_await eventually([&] { return log.has("host", "host DOWN", server.address(1).host); }));
    BOOST_TEST(log.has("connection", "connection closed", server.address(1).host));
    co_await ctl->query("UPDATE sandbox.nodes SET up = true" + node1);
    BOOST_TEST(
        co_await eventually([&] { return log.has("host", "host UP", server.address(1).host); }));
    for (int i = 0; i < 20; ++i)
      (void)co_await col.get("a");
    co_await ctl->close();
    co_await client->close();
  }());
  const auto records = log.copy();
  const auto debug = std::count_if(records.begin(), records.end(), [](const Captured& c) {
    return c.level == nosqlc::LogLevel::debug;
  });
  BOOST_TEST(debug > 0);  // the check below looked at a debug run
  for (const auto& r : records) {
    BOOST_TEST(r.message.find(password) == std::string::npos, r.message);
    BOOST_TEST(r.host.find(password) == std::string::npos, r.host);
    // Documents stay out of every level above debug.
    if (r.level != nosqlc::LogLevel::debug) {
      BOOST_TEST(r.message.find("document-text") == std::string::npos, r.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(metrics_count_exactly_the_requests_retries_and_errors_of_a_run) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  const std::string url = url_of(*server, "metrics", 3);
  const std::string ks = nosqlc::cassandra::parse_url(url).keyspace;
  run([&]() -> asio::awaitable<void> {
    {
      auto client = co_await nosqlc::DriverManager::get_client(url);
      co_await client->get_collection("docs").store("k", doc("{}"));
      co_await client->close();
    }
    auto o = one_contact(*server, 0);
    o.max_retries = 2;
    auto raw = co_await pr::Session::connect(co_await asio::this_coro::executor, o);
    co_await eventually([&] { return raw->open_connections() == 3; });
    auto get = co_await raw->prepare("SELECT data FROM " + ks + ".docs WHERE pk = ?");
    auto put = co_await raw->prepare("INSERT INTO " + ks + ".docs (pk, data) VALUES (?, ?)");
    const std::vector<pr::Value> key{pr::Value::of(bytes_of("k"))};
    const std::vector<pr::Value> row{pr::Value::of(bytes_of("k")), pr::Value::of(bytes_of("{}"))};
    const auto before = raw->metrics();
    for (int i = 0; i < 20; ++i)
      (void)co_await raw->execute(get, key);
    // Every node overloaded: each get tries 3 hosts (2 retries) and fails; a write, not
    // idempotent, is not retried.
    sb::Faults overloaded;
    overloaded.error = pr::ServerErrorCode::overloaded;
    for (std::size_t n = 0; n < 3; ++n)
      server->set_faults(n, overloaded);
    int failed = 0;
    for (int i = 0; i < 10; ++i) {
      try {
        (void)co_await raw->execute(get, key);
      } catch (const pr::CqlError&) {
        ++failed;
      }
    }
    for (int i = 0; i < 5; ++i) {
      try {
        (void)co_await raw->execute(put, row);
      } catch (const pr::CqlError&) {
        ++failed;
      }
    }
    for (std::size_t n = 0; n < 3; ++n)
      server->set_faults(n, {});
    try {
      (void)co_await raw->query("SELECT * FROM " + ks + ".no_such_table");
    } catch (const pr::CqlError&) {
      ++failed;
    }
    BOOST_TEST(failed == 16);
    const auto after = raw->metrics();
    BOOST_TEST(after.requests - before.requests == 36u);
    BOOST_TEST(after.errors - before.errors == 16u);
    BOOST_TEST(after.retries - before.retries == 20u);
    auto kind = [](const nosqlc::Metrics& m, const std::string& k) {
      auto it = m.errors_by_kind.find(k);
      return it == m.errors_by_kind.end() ? 0u : it->second;
    };
    BOOST_TEST(kind(after, "overloaded") - kind(before, "overloaded") == 15u);
    BOOST_TEST(kind(after, "invalid") - kind(before, "invalid") == 1u);
    // ERROR answers, host by host: 10 gets x 3 hosts, 5 writes, 1 invalid query.
    BOOST_TEST(sum_host(after, &nosqlc::HostMetrics::errors) -
                   sum_host(before, &nosqlc::HostMetrics::errors) ==
               36u);
    BOOST_TEST(after.hosts.size() == 3u);
    BOOST_TEST(after.connections == 3u);
    BOOST_TEST(after.prepared_statements == 2u);
    BOOST_TEST(after.bytes_sent > before.bytes_sent);
    BOOST_TEST(after.bytes_received > before.bytes_received);
    for (const auto& h : after.hosts) {
      BOOST_TEST(h.up);
      BOOST_TEST(h.latency.count > 0u);
      BOOST_TEST(h.latency.p50_us <= h.latency.p99_us);
      BOOST_TEST(h.latency.p99_us <= h.latency.max_us);
    }
    // The Prometheus text says the same, in the exposition format.
    const std::string text = nosqlc::write_prometheus(after);
    BOOST_TEST(text.find("\nnosqlc_requests_total " + std::to_string(after.requests) + "\n") !=
               std::string::npos);
    BOOST_TEST(text.find("nosqlc_errors_total{kind=\"overloaded\"} " +
                         std::to_string(kind(after, "overloaded")) + "\n") != std::string::npos);
    const std::regex line(
        R"(^(# (HELP|TYPE) .*|[a-z_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? [0-9.e+-]+)$)");
    std::istringstream lines(text);
    for (std::string l; std::getline(lines, l);)
      BOOST_TEST(std::regex_match(l, line), l);
    co_await raw->close();
  }());
}

BOOST_AUTO_TEST_CASE(the_tracker_sees_each_attempt_of_a_speculative_execution) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  // One replica per key; keys on node 1, which is slow: the first attempt goes there, and the
  // speculative one to another node after 50 ms.
  const std::string url =
      url_of(*server, "tracked", 1, "speculative_max=1&speculative_delay_ms=50");
  const std::string ks = nosqlc::cassandra::parse_url(url).keyspace;
  const std::string slow = server->address(1).host;
  Recorded rec;
  run([&]() -> asio::awaitable<void> {
    nosqlc::ClientObservers observers;
    observers.tracker = std::make_shared<KeepingTracker>(rec);
    const nosqlc::Properties none;
    auto client = co_await nosqlc::DriverManager::get_client(url, none, observers);
    auto& col = client->get_collection("docs");
    std::string key;
    for (int i = 0; key.empty(); ++i) {
      std::string k = "t" + std::to_string(i);
      auto replicas = server->replicas(ks, bytes_of(k));
      if (!replicas.empty() && replicas[0] == slow) key = k;
    }
    co_await col.store(key, doc("{}"));
    sb::Faults f;
    f.latency = 400ms;
    server->set_faults(1, f);
    const auto spec_before = client->metrics().speculative_executions;
    const auto start = Clock::now();
    auto got = co_await col.get(key);
    BOOST_TEST(ms_since(start) < 400.0);  // the speculative attempt answered
    BOOST_TEST(got.has_value());
    BOOST_TEST(client->metrics().speculative_executions - spec_before == 1u);
    server->set_faults(1, {});
    co_await client->close();
  }());
  std::lock_guard lock(rec.mutex);
  std::uint64_t get_id = 0;
  for (const auto& [id, statement] : rec.started) {
    if (statement.starts_with("SELECT data FROM")) get_id = id;
  }
  BOOST_REQUIRE(get_id != 0);
  std::vector<Recorded::Attempt> mine;
  for (const auto& a : rec.attempts) {
    if (a.id == get_id) mine.push_back(a);
  }
  BOOST_REQUIRE(mine.size() == 2u);
  BOOST_TEST((mine[0].kind == nosqlc::RequestTracker::AttemptKind::first));
  BOOST_TEST((mine[1].kind == nosqlc::RequestTracker::AttemptKind::speculative));
  BOOST_TEST(mine[0].number == 1u);
  BOOST_TEST(mine[1].number == 2u);
  BOOST_TEST(mine[0].host.starts_with(slow + ":"));
  BOOST_TEST(!mine[1].host.starts_with(slow + ":"));
  BOOST_TEST(rec.ended.at(get_id) == false);  // ended, without error
  // Every operation that started ended.
  BOOST_TEST(rec.ended.size() == rec.started.size());
}

BOOST_AUTO_TEST_CASE(a_traced_call_reads_back_its_trace_with_events) {
  Database db(1);
  const std::string url = db.url(fresh_keyspace("traced"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await col.store("a", doc("{\"v\":1}"));
    nosqlc::TraceIds ids;
    auto got = co_await col.get("a", {.trace = &ids});
    BOOST_TEST(got.has_value());
    BOOST_REQUIRE(ids.ids.size() == 1u);
    auto trace = co_await client->read_trace(ids.ids[0]);
    BOOST_TEST(trace.duration_us.has_value());
    BOOST_TEST(!trace.coordinator.empty());
    BOOST_TEST(!trace.request.empty());
    BOOST_TEST(!trace.events.empty());
    for (const auto& e : trace.events)
      BOOST_TEST(!e.activity.empty());
    // An update is several requests, each traced.
    nosqlc::TraceIds update_ids;
    co_await col.update("a", doc("{\"v\":2}"), {.trace = &update_ids});
    BOOST_TEST(update_ids.ids.size() == 2u);  // the read and the compare-and-set
    // Untraced calls leave none; a bad id is refused.
    auto bad = co_await nosqlc::attempt(client->read_trace("not-a-uuid"));
    BOOST_TEST((bad.error == nosqlc::make_error_code(nosqlc::errc::invalid_argument)));
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(per_call_ttl_expires_and_per_call_timestamps_order_writes) {
  Database db(1);
  const std::string url = db.url(fresh_keyspace("percall"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await col.store("short", doc("{\"v\":1}"), {.ttl = 1s});
    co_await col.store("long", doc("{\"v\":1}"), {.ttl = 3600s});
    BOOST_TEST((co_await col.get("long")).has_value());
    bool gone = false;
    for (int i = 0; i < 60 && !gone; ++i) {
      co_await pause(100ms);
      gone = !(co_await col.get("short")).has_value();
    }
    BOOST_TEST(gone);
    BOOST_TEST((co_await col.get("long")).has_value());
    // An update with a TTL sets it on the merged document.
    co_await col.update("long", doc("{\"w\":2}"), {.ttl = 1s});
    gone = false;
    for (int i = 0; i < 60 && !gone; ++i) {
      co_await pause(100ms);
      gone = !(co_await col.get("long")).has_value();
    }
    BOOST_TEST(gone);

    // The later timestamp wins, whatever order the writes arrive in.
    co_await col.store("ts", doc("{\"v\":2}"), {.timestamp = 2'000'000});
    co_await col.store("ts", doc("{\"v\":1}"), {.timestamp = 1'000'000});
    auto ts = co_await col.get("ts");
    BOOST_REQUIRE(ts.has_value());
    BOOST_TEST(ts->at("v").as_int64() == 2);
    co_await col.del("ts", {.timestamp = 1'500'000});  // older than the document: no effect
    BOOST_TEST((co_await col.get("ts")).has_value());
    co_await col.del("ts", {.timestamp = 3'000'000});
    BOOST_TEST(!(co_await col.get("ts")).has_value());

    // What a call's kind cannot take is refused before anything is sent.
    auto invalid = [](const auto& outcome) {
      return outcome.error == nosqlc::make_error_code(nosqlc::errc::invalid_argument);
    };
    BOOST_TEST(invalid(co_await nosqlc::attempt(col.get("a", {.ttl = 5s}))));
    BOOST_TEST(invalid(co_await nosqlc::attempt(col.update("a", doc("{}"), {.timestamp = 5}))));
    BOOST_TEST(invalid(co_await nosqlc::attempt(col.store("a", doc("{}"), {.ttl = 0s}))));
    BOOST_TEST(invalid(co_await nosqlc::attempt(
        col.update("a", doc("{}"), {.serial_consistency = nosqlc::Consistency::quorum}))));
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_per_call_consistency_reaches_the_server) {
  if (real_cassandra_url()) return;
  auto server = one_dc(3);
  const std::string url = url_of(*server, "consistency", 3);
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await col.store("a", doc("{}"));
    server->stop_node(2);
    // Two replicas of three are up: ALL is unavailable, QUORUM and the default are served.
    auto all = co_await nosqlc::attempt(col.get("a", {.consistency = nosqlc::Consistency::all}));
    BOOST_TEST((all.error == nosqlc::make_error_code(nosqlc::errc::server_error)), all.message);
    BOOST_TEST(all.message.find("ALL") != std::string::npos, all.message);
    BOOST_TEST((co_await col.get("a", {.consistency = nosqlc::Consistency::quorum})).has_value());
    BOOST_TEST((co_await col.get("a")).has_value());
    auto find_all =
        co_await nosqlc::attempt([&]() -> asio::awaitable<std::vector<nosqlc::Document>> {
          auto cursor =
              co_await col.find(nosqlc::filter::Ast{}, {.consistency = nosqlc::Consistency::all});
          co_return co_await cursor.documents();
        }());
    BOOST_TEST((find_all.error == nosqlc::make_error_code(nosqlc::errc::server_error)),
               find_all.message);
    server->restart_node(2);
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(a_call_deadline_is_honoured_within_ten_percent) {
  if (real_cassandra_url()) return;
  auto server = one_dc(1);
  const std::string url = url_of(*server, "deadline", 1, "request_timeout_ms=5000");
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    co_await col.store("a", doc("{}"));
    sb::Faults silent;
    silent.silent = true;
    server->set_faults(0, silent);
    for (auto d : {500ms, 1000ms}) {
      const auto start = Clock::now();
      auto r = co_await nosqlc::attempt(col.get("a", {.deadline = d}));
      const double took = ms_since(start);
      BOOST_TEST((r.error == nosqlc::make_error_code(nosqlc::errc::timeout)), r.message);
      BOOST_TEST(took >= static_cast<double>(d.count()));
      BOOST_TEST(took < 1.1 * static_cast<double>(d.count()));
    }
    server->set_faults(0, {});
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(store_many_and_delete_many_report_each_failure_and_do_the_rest) {
  Database db(1);
  const std::string url = db.url(fresh_keyspace("bulk"));
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    auto& col = client->get_collection("docs");
    std::vector<std::pair<std::string, nosqlc::Document>> items;
    std::vector<std::string> keys;
    for (int i = 0; i < 300; ++i) {
      std::string k = "b" + std::to_string(i);
      if (i == 7) k.clear();                      // an empty key
      if (i == 250) k = std::string(70000, 'x');  // longer than Cassandra keys may be
      items.emplace_back(k, doc("{\"i\":" + std::to_string(i) + "}"));
      keys.push_back(k);
    }
    auto stored = co_await col.store_many(items, {.concurrency = 16});
    BOOST_TEST(stored.succeeded == 298u);
    BOOST_REQUIRE(stored.failures.size() == 2u);
    BOOST_TEST(stored.failures[0].index == 7u);
    BOOST_TEST(stored.failures[1].index == 250u);
    for (const auto& f : stored.failures)
      BOOST_TEST((f.code == nosqlc::make_error_code(nosqlc::errc::invalid_argument)), f.message);
    auto all = co_await (co_await col.find()).documents();
    BOOST_TEST(all.size() == 298u);
    auto deleted = co_await col.delete_many(keys, {.concurrency = 3});
    BOOST_TEST(deleted.succeeded == 298u);
    BOOST_TEST(deleted.failures.size() == 2u);
    BOOST_TEST((co_await (co_await col.find()).documents()).empty());
    auto zero = co_await nosqlc::attempt(col.store_many({}, {.concurrency = 0}));
    BOOST_TEST((zero.error == nosqlc::make_error_code(nosqlc::errc::invalid_argument)));
    auto empty = co_await col.delete_many({});
    BOOST_TEST(empty.ok());
    BOOST_TEST(empty.succeeded == 0u);
    co_await client->close();
  }());
}

BOOST_AUTO_TEST_CASE(the_session_under_a_client_runs_raw_cql_on_the_same_pools) {
  Database db(1);
  const std::string ks = fresh_keyspace("under");
  const std::string url = db.url(ks);
  run([&]() -> asio::awaitable<void> {
    auto client = co_await nosqlc::DriverManager::get_client(url);
    co_await client->get_collection("docs").store("a", doc("{\"v\":1}"));
    auto session = nosqlc::cassandra_session(*client);
    const auto before = client->metrics().requests;
    auto r = co_await session->query("SELECT data FROM " + ks + ".docs WHERE pk = 'a'");
    BOOST_REQUIRE(r.rows() != nullptr);
    BOOST_TEST(r.rows()->row_count == 1);
    BOOST_TEST(client->metrics().requests - before == 1u);  // the client's own counters
    co_await client->close();
    auto closed = co_await nosqlc::attempt(session->query("SELECT now() FROM system.local"));
    BOOST_TEST(static_cast<bool>(closed.error));
    auto memory = co_await nosqlc::DriverManager::get_client("nosqlc:memory:");
    BOOST_CHECK_THROW(nosqlc::cassandra_session(*memory), nosqlc::Error);
  }());
}

BOOST_AUTO_TEST_SUITE_END()
