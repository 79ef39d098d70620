// Faults injected through the sandbox.nodes table (silent, error, error_share, close_after,
// clock_skew_ms): each column set, read back and validated, and each fault's effect on a
// client; clock skew deciding which of two writes without client timestamps wins.
#include "server_fixture.hpp"

#include <nosqlc/protocol/client_errors.hpp>
#include <nosqlc/protocol/value_forms.hpp>

#include <boost/json.hpp>

using namespace sandbox_test;
using namespace std::chrono_literals;
namespace json = boost::json;

namespace {

// The rows of `r` as JSON, cells decoded by their column types.
json::array rows_of(const pr::QueryResult& r) {
  BOOST_REQUIRE(r.rows() != nullptr);
  json::array out;
  for (auto row : r.rows()->rows()) {
    json::array cells;
    std::size_t i = 0;
    for (auto cell : row) {
      json::value v;
      BOOST_REQUIRE(pr::decode_to_json(r.columns().at(i++).type, cell, v).ok());
      cells.push_back(std::move(v));
    }
    out.push_back(std::move(cells));
  }
  return out;
}

// The error `op` fails with ("" when it succeeds).
template <class Op>
asio::awaitable<std::string> error_of(Op op) {
  try {
    co_await op();
  } catch (const pr::CqlError& e) {
    co_return std::string(pr::to_string(e.server_code())) + ": " + e.server_message();
  }
  co_return "";
}

constexpr const char* kFaultColumns =
    "SELECT silent, error, error_share, close_after, clock_skew_ms, latency_ms FROM "
    "sandbox.nodes WHERE address = '127.0.0.2'";

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox_faults)

BOOST_AUTO_TEST_CASE(nodes_table_sets_shows_and_validates_each_fault_column) {
  sb::Server server(free_port(2));
  asio::io_context io;
  auto body = [&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(io.get_executor(), session_to(server, 0));
    std::string shown;
    auto all = co_await s->query("SELECT * FROM sandbox.nodes");
    std::vector<std::string> names;
    for (const auto& c : all.columns())
      names.push_back(c.name);
    BOOST_TEST(
        (names == std::vector<std::string>{"address", "clock_skew_ms", "close_after", "dc", "error",
                                           "error_share", "latency_ms", "rack", "silent", "up"}));
    shown = json::serialize(rows_of(co_await s->query(kFaultColumns)));
    BOOST_TEST(shown == R"([[false,null,1E0,0,0,0]])");

    co_await s->query(
        "UPDATE sandbox.nodes SET error = 'read_timeout', error_share = 0.25, close_after = 7, "
        "clock_skew_ms = -1500, latency_ms = 3 WHERE address = '127.0.0.2'");
    shown = json::serialize(rows_of(co_await s->query(kFaultColumns)));
    BOOST_TEST(shown == R"([[false,"ReadTimeout",2.5E-1,7,-1500,3]])");
    const sb::Faults f = server.faults(1);
    BOOST_TEST((f.error == pr::ServerErrorCode::read_timeout));
    BOOST_TEST(f.error_share == 0.25);
    BOOST_TEST(f.close_after == 7u);
    BOOST_TEST(f.clock_skew.count() == -1500);
    BOOST_TEST(f.latency.count() == 3);
    BOOST_TEST((server.faults(0) == sb::Faults{}));  // the other node keeps its own

    // Bound values too; null clears the error, the rest stays.
    auto update = co_await s->prepare(
        "UPDATE sandbox.nodes SET error = ?, close_after = ? WHERE address = '127.0.0.2'");
    pr::Bytes zero;
    pr::encode_int(0, zero);
    // (Values built apart from co_await: GCC 12 cannot keep an initializer list across it.)
    std::vector<pr::Value> values{pr::Value::null(), pr::Value::of(zero)};
    co_await s->execute(update, std::move(values));
    shown = json::serialize(rows_of(co_await s->query(kFaultColumns)));
    BOOST_TEST(shown == R"([[false,null,2.5E-1,0,-1500,3]])");

    const std::vector<std::pair<std::string, std::string>> bad = {
        {"error = 'Bogus'",
         "Invalid: error must be null or one of Overloaded, Unavailable, ReadTimeout, "
         "WriteTimeout, IsBootstrapping, TruncateError, ServerError, got 'Bogus'"},
        {"error_share = 1.5", "Invalid: error_share must be between 0 and 1, got 1.5"},
        {"error_share = -0.1", "Invalid: error_share must be between 0 and 1, got -0.1"},
        {"close_after = -1", "Invalid: close_after must be between 0 and 2147483647, got -1"},
        {"clock_skew_ms = 86400001",
         "Invalid: clock_skew_ms must be between -86400000 and 86400000, got 86400001"},
        {"clock_skew_ms = -86400001",
         "Invalid: clock_skew_ms must be between -86400000 and 86400000, got -86400001"},
        {"silent = 1", ""},  // not a boolean: the type check's own error
    };
    for (const auto& [set, expected] : bad) {
      BOOST_TEST_CONTEXT(set) {
        std::string e = co_await error_of([&]() -> asio::awaitable<void> {
          co_await s->query("UPDATE sandbox.nodes SET " + set + " WHERE address = '127.0.0.2'");
        });
        if (expected.empty()) {
          BOOST_TEST(e.starts_with("Invalid: "), e);
        } else {
          BOOST_TEST(e == expected);
        }
      }
    }
    // Nothing changed by the failed updates.
    shown = json::serialize(rows_of(co_await s->query(kFaultColumns)));
    BOOST_TEST(shown == R"([[false,null,2.5E-1,0,-1500,3]])");

    // A node added with faults of its own.
    co_await s->query(
        "INSERT INTO sandbox.nodes (address, dc, error, clock_skew_ms, silent) VALUES "
        "('127.0.0.3', 'datacenter1', 'IsBootstrapping', 250, false)");
    shown = json::serialize(rows_of(co_await s->query(
        "SELECT error, clock_skew_ms FROM sandbox.nodes WHERE address = '127.0.0.3'")));
    BOOST_TEST(shown == R"([["IsBootstrapping",250]])");
    co_await s->close();
  };
  run(io, body());
}

BOOST_AUTO_TEST_CASE(silent_and_close_after_through_the_nodes_table) {
  sb::Server server(free_port(2));
  asio::io_context io;
  auto body = [&]() -> asio::awaitable<void> {
    auto control = co_await pr::Session::connect(io.get_executor(), session_to(server, 0));
    auto s = co_await pr::Session::connect(io.get_executor(), session_to(server, 1));
    co_await control->query("UPDATE sandbox.nodes SET silent = true WHERE address = '127.0.0.2'");
    pr::StatementOptions quick;
    quick.timeout = 100ms;
    try {
      co_await s->query("SELECT * FROM system.local", {}, quick);
      BOOST_FAIL("a silent node answered");
    } catch (const pr::ClientError& e) {
      BOOST_TEST((e.code() == pr::make_error_code(pr::client_errc::timeout)), e.what());
    }
    co_await control->query(
        "UPDATE sandbox.nodes SET silent = false, close_after = 2 WHERE address = '127.0.0.2'");
    co_await s->close();
    co_await control->close();
  };
  run(io, body());
  // Two statements answered per connection, the third closes it.
  for (int connection = 0; connection < 2; ++connection) {
    RawClient c(server, 1);
    c.startup();
    pr::Query q;
    q.query = "SELECT * FROM system.local";
    for (std::int16_t stream = 1; stream <= 2; ++stream) {
      c.send(q, stream);
      BOOST_TEST(std::holds_alternative<pr::Result>(c.receive()));
    }
    c.send(q, 3);
    BOOST_TEST(c.closed_by_peer());
  }
}

BOOST_AUTO_TEST_CASE(each_error_name_is_answered_with_its_code_and_fields) {
  sb::Server server(free_port(2));
  asio::io_context io;
  auto body = [&]() -> asio::awaitable<void> {
    auto control = co_await pr::Session::connect(io.get_executor(), session_to(server, 0));
    co_await control->query(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 2}");
    co_await control->query("CREATE TABLE ks.t (k int PRIMARY KEY, v int)");
    auto s = co_await pr::Session::connect(io.get_executor(), session_to(server, 1));
    auto sel = co_await s->prepare("SELECT v FROM ks.t WHERE k = 1");
    struct Case {
      std::string name;
      pr::ServerErrorCode code;
      std::string message;
    };
    const std::vector<Case> cases = {
        {"Overloaded", pr::ServerErrorCode::overloaded,
         "Server is in overloaded state. Cannot accept more requests at this point"},
        {"Unavailable", pr::ServerErrorCode::unavailable, "Cannot achieve consistency level ONE"},
        {"ReadTimeout", pr::ServerErrorCode::read_timeout,
         "Operation timed out - received only 0 responses."},
        {"WriteTimeout", pr::ServerErrorCode::write_timeout,
         "Operation timed out - received only 0 responses."},
        {"IsBootstrapping", pr::ServerErrorCode::is_bootstrapping,
         "Cannot read from a bootstrapping node"},
        {"TruncateError", pr::ServerErrorCode::truncate_error,
         "Error during truncate: Truncate timed out - received only 0 responses"},
        {"ServerError", pr::ServerErrorCode::server_error,
         "java.lang.RuntimeException: error injected by nosqlc-sandbox"},
    };
    for (const Case& c : cases) {
      BOOST_TEST_CONTEXT(c.name) {
        co_await control->query("UPDATE sandbox.nodes SET error = '" + c.name +
                                "', error_share = 1 WHERE address = '127.0.0.2'");
        try {
          co_await s->execute(sel, {});
          BOOST_ERROR("answered despite error_share 1");
        } catch (const pr::CqlError& e) {
          BOOST_TEST((e.server_code() == c.code));
          BOOST_TEST(e.server_message() == c.message);
          if (const auto* u = std::get_if<pr::UnavailableError>(&e.details())) {
            BOOST_TEST((u->consistency == pr::Consistency::one));
            BOOST_TEST(u->required == 1);
            BOOST_TEST(u->alive == 0);
          } else if (const auto* r = std::get_if<pr::ReadTimeoutError>(&e.details())) {
            BOOST_TEST(r->block_for == 1);
            BOOST_TEST(r->received == 0);
          } else if (const auto* w = std::get_if<pr::WriteTimeoutError>(&e.details())) {
            BOOST_TEST(w->write_type == "SIMPLE");
            BOOST_TEST(w->block_for == 1);
          } else {
            BOOST_TEST(std::holds_alternative<std::monostate>(e.details()));
          }
        }
        // QUERY is spared: the node can still be read, and healed through itself.
        co_await s->query("SELECT v FROM ks.t WHERE k = 1");
        co_await s->query("UPDATE sandbox.nodes SET error_share = 0 WHERE address = '127.0.0.2'");
        for (int i = 0; i < 20; ++i)
          co_await s->execute(sel, {});
      }
    }
    co_await s->close();
    co_await control->close();
  };
  run(io, body());
}

BOOST_AUTO_TEST_CASE(clock_skew_decides_between_writes_without_client_timestamps) {
  sb::Server server(free_port(2));
  asio::io_context io;
  auto body = [&]() -> asio::awaitable<void> {
    // The coordinators stamp the writes: the client's own timestamps are off.
    auto unstamped = [&](std::size_t node) {
      auto o = session_to(server, node);
      o.client_timestamps = false;
      return o;
    };
    auto ahead = co_await pr::Session::connect(io.get_executor(), unstamped(0));
    auto behind = co_await pr::Session::connect(io.get_executor(), unstamped(1));
    co_await ahead->query(
        "UPDATE sandbox.nodes SET clock_skew_ms = 1000 WHERE address = '127.0.0.1'");
    co_await ahead->query(
        "UPDATE sandbox.nodes SET clock_skew_ms = -1000 WHERE address = '127.0.0.2'");
    co_await ahead->query(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 1}");
    co_await ahead->query("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
    std::string shown;
    auto value = [&]() -> asio::awaitable<std::string> {
      auto r = co_await ahead->query("SELECT v FROM ks.t WHERE k = 1");
      co_return json::serialize(rows_of(r));
    };
    // Made first, the write through the node 1 s ahead is stamped 2 s after the other's and
    // wins, as in Cassandra: whatever the node behind writes next loses to it.
    co_await ahead->query("INSERT INTO ks.t (k, v) VALUES (1, 'first')");
    co_await behind->query("INSERT INTO ks.t (k, v) VALUES (1, 'second')");
    shown = co_await value();
    BOOST_TEST(shown == R"([["first"]])");
    co_await behind->query("UPDATE ks.t SET v = 'update' WHERE k = 1");
    shown = co_await value();
    BOOST_TEST(shown == R"([["first"]])");
    auto insert = co_await behind->prepare("INSERT INTO ks.t (k, v) VALUES (1, ?)");
    pr::Bytes batched{'b'};
    std::vector<pr::Session::BatchItem> items(1);
    items[0].prepared = insert;
    items[0].values.push_back(pr::Value::of(batched));
    co_await behind->batch(pr::BatchType::logged, std::move(items));
    shown = co_await value();
    BOOST_TEST(shown == R"([["first"]])");
    co_await behind->query("DELETE FROM ks.t WHERE k = 1");
    shown = co_await value();
    BOOST_TEST(shown == R"([["first"]])");
    // Through the node ahead, later writes win as usual.
    co_await ahead->query("INSERT INTO ks.t (k, v) VALUES (1, 'third')");
    shown = co_await value();
    BOOST_TEST(shown == R"([["third"]])");

    // With client timestamps the nodes' clocks do not matter: the later one wins.
    const std::int64_t now = std::chrono::duration_cast<std::chrono::microseconds>(
                                 std::chrono::system_clock::now().time_since_epoch())
                                 .count();
    pr::StatementOptions at;
    at.timestamp = now + 5'000'000;  // after everything above
    co_await ahead->query("INSERT INTO ks.t (k, v) VALUES (1, 'client 1')", {}, at);
    at.timestamp = *at.timestamp + 1;
    co_await behind->query("INSERT INTO ks.t (k, v) VALUES (1, 'client 2')", {}, at);
    shown = co_await value();
    BOOST_TEST(shown == R"([["client 2"]])");
    co_await ahead->close();
    co_await behind->close();
  };
  run(io, body());
}

BOOST_AUTO_TEST_CASE(per_node_faults_from_the_options) {
  auto o = free_port(3);
  o.faults.latency = 1ms;
  o.node_faults.resize(2, o.faults);
  o.node_faults[0].clock_skew = -1000ms;
  o.node_faults[1].clock_skew = 1000ms;
  sb::Server server(o);
  BOOST_TEST(server.faults(0).clock_skew.count() == -1000);
  BOOST_TEST(server.faults(1).clock_skew.count() == 1000);
  BOOST_TEST(server.faults(2).clock_skew.count() == 0);
  BOOST_TEST(server.faults(2).latency.count() == 1);
  o.node_faults.resize(4);
  BOOST_CHECK_THROW(sb::Server{o}, std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
