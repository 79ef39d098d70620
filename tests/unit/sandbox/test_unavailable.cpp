// Down replicas: a keyed request or a scan whose consistency level the replicas up cannot meet
// is answered Unavailable with Cassandra's consistency, required, alive and message; one that
// can be met is served, reads and writes alike.
#include "server_fixture.hpp"

#include <nosqlc/protocol/client_errors.hpp>
#include <nosqlc/protocol/values.hpp>

#include <limits>

using namespace sandbox_test;
using namespace std::chrono_literals;
using C = pr::Consistency;

namespace {

struct Outcome {
  bool served = false;
  std::string message;
  pr::UnavailableError details;
};

asio::awaitable<Outcome> attempt(pr::Session& s, std::string cql, C cl,
                                 std::optional<C> serial = std::nullopt) {
  pr::StatementOptions o;
  o.consistency = cl;
  o.serial_consistency = serial;
  Outcome out;
  try {
    co_await s.query(std::move(cql), {}, o);
    out.served = true;
  } catch (const pr::CqlError& e) {
    BOOST_TEST((e.server_code() == pr::ServerErrorCode::unavailable), e.server_message());
    out.message = e.server_message();
    if (const auto* u = std::get_if<pr::UnavailableError>(&e.details())) out.details = *u;
  }
  co_return out;
}

// Requires `o` to be Unavailable for `cl` with these counts.
void unavailable(const Outcome& o, C cl, int required, int alive, std::string suffix = "") {
  BOOST_TEST(!o.served);
  BOOST_TEST(o.message ==
             "Cannot achieve consistency level " + std::string(pr::to_string(cl)) + suffix);
  BOOST_TEST((o.details.consistency == cl));
  BOOST_TEST(o.details.required == required);
  BOOST_TEST(o.details.alive == alive);
}

pr::Bytes int_key(std::int32_t k) {
  pr::Bytes out;
  pr::encode_int(k, out);
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(sandbox_unavailable)

BOOST_AUTO_TEST_CASE(quorum_with_two_of_three_replicas_down) {
  sb::Server server(free_port(3));
  asio::io_context io;
  auto body = [&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(io.get_executor(), session_to(server, 0));
    co_await s->query(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 3}");
    co_await s->query("CREATE TABLE ks.t (k int PRIMARY KEY, v int)");
    co_await s->query("INSERT INTO ks.t (k, v) VALUES (1, 1)");
    // One of three down: QUORUM and LOCAL_ONE are served.
    server.stop_node(2);
    for (C cl : {C::one, C::local_one, C::quorum, C::local_quorum, C::two}) {
      BOOST_TEST_CONTEXT(pr::to_string(cl)) {
        BOOST_TEST((co_await attempt(*s, "SELECT v FROM ks.t WHERE k = 1", cl)).served);
        BOOST_TEST((co_await attempt(*s, "INSERT INTO ks.t (k, v) VALUES (2, 2)", cl)).served);
        BOOST_TEST((co_await attempt(*s, "SELECT * FROM ks.t", cl)).served);
      }
    }
    unavailable(co_await attempt(*s, "SELECT v FROM ks.t WHERE k = 1", C::all), C::all, 3, 2);
    unavailable(co_await attempt(*s, "SELECT v FROM ks.t WHERE k = 1", C::three), C::three, 3, 2);

    server.stop_node(1);
    for (const char* cql :
         {"SELECT v FROM ks.t WHERE k = 1", "SELECT v FROM ks.t WHERE k IN (1, 2)",
          "INSERT INTO ks.t (k, v) VALUES (3, 3)", "UPDATE ks.t SET v = 4 WHERE k = 1",
          "DELETE FROM ks.t WHERE k = 1", "SELECT * FROM ks.t",
          "SELECT * FROM ks.t WHERE token(k) > 0"}) {
      BOOST_TEST_CONTEXT(cql) {
        unavailable(co_await attempt(*s, cql, C::quorum), C::quorum, 2, 1);
        unavailable(co_await attempt(*s, cql, C::local_quorum), C::local_quorum, 2, 1);
        BOOST_TEST((co_await attempt(*s, cql, C::one)).served);
        BOOST_TEST((co_await attempt(*s, cql, C::local_one)).served);
      }
    }
    // Nothing written by the refused writes.
    unavailable(co_await attempt(*s, "INSERT INTO ks.t (k, v) VALUES (9, 9)", C::quorum), C::quorum,
                2, 1);
    auto r = co_await s->query("SELECT v FROM ks.t WHERE k = 9");
    BOOST_TEST(r.rows()->row_count == 0);
    // Writes at ANY are always taken (a hint would do).
    BOOST_TEST((co_await attempt(*s, "INSERT INTO ks.t (k, v) VALUES (5, 5)", C::any)).served);
    // A conditional write needs a quorum of the replicas for its Paxos round.
    unavailable(co_await attempt(*s, "INSERT INTO ks.t (k, v) VALUES (6, 6) IF NOT EXISTS", C::one,
                                 C::serial),
                C::serial, 2, 1);
    unavailable(
        co_await attempt(*s, "UPDATE ks.t SET v = 7 WHERE k = 1 IF v = 1", C::one, C::local_serial),
        C::local_serial, 2, 1);
    // BATCH: its consistency for every key.
    auto insert = co_await s->prepare("INSERT INTO ks.t (k, v) VALUES (?, ?)");
    pr::StatementOptions quorum;
    quorum.consistency = C::quorum;
    pr::Bytes k = int_key(8), v = int_key(8);
    try {
      // (Built apart from co_await: GCC 12 cannot keep an initializer list across it.)
      std::vector<pr::Session::BatchItem> items(1);
      items[0].prepared = insert;
      items[0].values = {pr::Value::of(k), pr::Value::of(v)};
      co_await s->batch(pr::BatchType::logged, std::move(items), quorum);
      BOOST_ERROR("a BATCH at QUORUM was served with 1 replica of 3");
    } catch (const pr::CqlError& e) {
      BOOST_TEST((e.server_code() == pr::ServerErrorCode::unavailable));
      BOOST_TEST(std::get<pr::UnavailableError>(e.details()).alive == 1);
    }
    server.restart_node(1);
    BOOST_TEST((co_await attempt(*s, "SELECT v FROM ks.t WHERE k = 1", C::quorum)).served);
    co_await s->close();
  };
  run(io, body());
}

BOOST_AUTO_TEST_CASE(a_key_whose_only_replica_is_down_and_scans_over_its_range) {
  // One token per node: node i owns the i-th third of the ring, the last up to its maximum.
  auto o = free_port(3);
  o.num_tokens = 1;
  sb::Server server(o);
  const std::uint64_t step = std::numeric_limits<std::uint64_t>::max() / 3;
  const auto first_token = static_cast<std::int64_t>(
      step + static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::min()));
  asio::io_context io;
  auto body = [&]() -> asio::awaitable<void> {
    auto s = co_await pr::Session::connect(io.get_executor(), session_to(server, 0));
    co_await s->query(
        "CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
        "'replication_factor': 1}");
    co_await s->query("CREATE TABLE ks.t (k int PRIMARY KEY, v int)");
    server.stop_node(2);
    int down_key = -1, up_key = -1;
    for (int k = 0; k < 100 && (down_key < 0 || up_key < 0); ++k) {
      auto replicas = server.replicas("ks", int_key(k));
      BOOST_REQUIRE(replicas.size() == 1u);
      (replicas[0] == "127.0.0.3" ? down_key : up_key) = k;
    }
    const std::string down = std::to_string(down_key), up = std::to_string(up_key);
    unavailable(co_await attempt(*s, "SELECT * FROM ks.t WHERE k = " + down, C::one), C::one, 1, 0);
    unavailable(
        co_await attempt(*s, "INSERT INTO ks.t (k, v) VALUES (" + down + ", 1)", C::local_one),
        C::local_one, 1, 0);
    BOOST_TEST(
        (co_await attempt(*s, "INSERT INTO ks.t (k, v) VALUES (" + up + ", 1)", C::one)).served);
    unavailable(
        co_await attempt(*s, "SELECT * FROM ks.t WHERE k IN (" + up + ", " + down + ")", C::one),
        C::one, 1, 0);
    // Scans: only the ranges they cover count.
    const std::string t0 = std::to_string(first_token);
    unavailable(co_await attempt(*s, "SELECT * FROM ks.t", C::one), C::one, 1, 0);
    BOOST_TEST((co_await attempt(*s, "SELECT * FROM ks.t WHERE token(k) <= " + t0, C::one)).served);
    BOOST_TEST((co_await attempt(*s,
                                 "SELECT * FROM ks.t WHERE token(k) > " +
                                     std::to_string(first_token - 1000) +
                                     " AND token(k) <= " + std::to_string(first_token + 1000),
                                 C::one))
                   .served);
    unavailable(co_await attempt(*s, "SELECT * FROM ks.t WHERE token(k) > 0", C::one), C::one, 1,
                0);
    co_await s->close();
  };
  run(io, body());
}

BOOST_AUTO_TEST_CASE(local_quorum_counts_the_coordinator_s_data_centre) {
  auto o = free_port();
  o.dcs = {{"dc1", 3, 1}, {"dc2", 3, 1}};
  sb::Server server(o);
  asio::io_context io;
  auto body = [&]() -> asio::awaitable<void> {
    auto in_dc1 = co_await pr::Session::connect(io.get_executor(), session_to(server, 0));
    auto in_dc2 = co_await pr::Session::connect(io.get_executor(), session_to(server, 3));
    co_await in_dc1->query(
        "CREATE KEYSPACE ks WITH replication = {'class': 'NetworkTopologyStrategy', "
        "'dc1': 3, 'dc2': 3}");
    co_await in_dc1->query("CREATE TABLE ks.t (k int PRIMARY KEY, v int)");
    server.stop_node(4);
    server.stop_node(5);
    const std::string read = "SELECT v FROM ks.t WHERE k = 1";
    const std::string write = "INSERT INTO ks.t (k, v) VALUES (1, 1)";
    for (const std::string& cql : {read, write, std::string("SELECT * FROM ks.t")}) {
      BOOST_TEST_CONTEXT(cql) {
        BOOST_TEST((co_await attempt(*in_dc1, cql, C::local_quorum)).served);
        BOOST_TEST((co_await attempt(*in_dc1, cql, C::quorum)).served);  // 4 of 6
        unavailable(co_await attempt(*in_dc2, cql, C::local_quorum), C::local_quorum, 2, 1);
        BOOST_TEST((co_await attempt(*in_dc2, cql, C::local_one)).served);
        unavailable(co_await attempt(*in_dc1, cql, C::each_quorum), C::each_quorum, 2, 1,
                    " in DC dc2");
        unavailable(co_await attempt(*in_dc1, cql, C::all), C::all, 6, 4);
      }
    }
    server.stop_node(3);
    unavailable(co_await attempt(*in_dc1, read, C::quorum), C::quorum, 4, 3);
    // A keyspace without replicas in the coordinator's data centre.
    co_await in_dc1->query(
        "CREATE KEYSPACE only2 WITH replication = {'class': 'NetworkTopologyStrategy', "
        "'dc2': 1}");
    co_await in_dc1->query("CREATE TABLE only2.t (k int PRIMARY KEY)");
    unavailable(co_await attempt(*in_dc1, "SELECT * FROM only2.t WHERE k = 1", C::local_one),
                C::local_one, 1, 0);
    co_await in_dc1->close();
    co_await in_dc2->close();
  };
  run(io, body());
}

BOOST_AUTO_TEST_SUITE_END()
