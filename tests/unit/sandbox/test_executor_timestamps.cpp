// Last write wins by timestamp, as Cassandra reconciles writes: USING TIMESTAMP and the
// protocol's default_timestamp on every write path (INSERT, UPDATE, DELETE of rows and of
// columns, the protocol's BATCH), older writes never overwriting newer ones, deletions shadowing
// only what is older, and ties settled as Cassandra settles them.
#include "executor_fixture.hpp"

using namespace sandbox_test;

namespace {

struct TimestampFixture : ExecutorFixture {
  TimestampFixture() {
    ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
       "1}");
    ok("USE ks");
    ok("CREATE TABLE t (k int PRIMARY KEY, a text, b text)");
  }
  // Runs `cql` with the protocol's default timestamp `ts`.
  void at(std::int64_t ts, const std::string& cql) {
    pr::QueryParameters p;
    p.default_timestamp = ts;
    ok(cql, {}, p);
  }
  std::string row(int k = 1) {
    return json::serialize(select("SELECT a, b FROM t WHERE k = " + std::to_string(k)));
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_executor_timestamps, TimestampFixture)

BOOST_AUTO_TEST_CASE(writes_in_any_order_end_as_the_newest) {
  struct Case {
    std::string name;
    std::vector<std::string> statements;  // in the order run
    std::string expected;
  };
  const std::vector<Case> cases = {
      {"older insert after newer",
       {"INSERT INTO t (k, a) VALUES (1, 'new') USING TIMESTAMP 20",
        "INSERT INTO t (k, a) VALUES (1, 'old') USING TIMESTAMP 10"},
       R"([["new",null]])"},
      {"older update after newer insert",
       {"INSERT INTO t (k, a) VALUES (1, 'new') USING TIMESTAMP 20",
        "UPDATE t USING TIMESTAMP 10 SET a = 'old', b = 'b' WHERE k = 1"},
       R"([["new","b"]])"},
      {"row deletion shadows older writes made after it",
       {"DELETE FROM t USING TIMESTAMP 20 WHERE k = 1",
        "INSERT INTO t (k, a) VALUES (1, 'old') USING TIMESTAMP 10",
        "UPDATE t USING TIMESTAMP 20 SET b = 'tie' WHERE k = 1"},
       "[]"},
      {"row deletion spares newer cells",
       {"INSERT INTO t (k, a) VALUES (1, 'x') USING TIMESTAMP 10",
        "UPDATE t USING TIMESTAMP 30 SET b = 'newer' WHERE k = 1",
        "DELETE FROM t USING TIMESTAMP 20 WHERE k = 1"},
       R"([[null,"newer"]])"},
      {"a newer insert revives the row, not the older cells",
       {"INSERT INTO t (k, a, b) VALUES (1, 'a', 'b') USING TIMESTAMP 10",
        "DELETE FROM t USING TIMESTAMP 20 WHERE k = 1",
        "INSERT INTO t (k, a) VALUES (1, 'again') USING TIMESTAMP 30"},
       R"([["again",null]])"},
      {"column deletion older than the value",
       {"INSERT INTO t (k, a, b) VALUES (1, 'a', 'b') USING TIMESTAMP 20",
        "DELETE a FROM t USING TIMESTAMP 10 WHERE k = 1"},
       R"([["a","b"]])"},
      {"column deletion newer than a later-made value",
       {"DELETE a FROM t USING TIMESTAMP 20 WHERE k = 1",
        "INSERT INTO t (k, a, b) VALUES (1, 'a', 'b') USING TIMESTAMP 10"},
       R"([[null,"b"]])"},
      {"a tie: the greater value wins, whatever the order",
       {"INSERT INTO t (k, a) VALUES (1, 'b') USING TIMESTAMP 10",
        "INSERT INTO t (k, a) VALUES (1, 'a') USING TIMESTAMP 10"},
       R"([["b",null]])"},
      {"a tie: the deletion wins",
       {"INSERT INTO t (k, a, b) VALUES (1, 'a', 'b') USING TIMESTAMP 10",
        "DELETE a FROM t USING TIMESTAMP 10 WHERE k = 1"},
       R"([[null,"b"]])"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      ok("TRUNCATE t");
      for (const std::string& st : c.statements) {
        sb::Reply r = q(st);
        BOOST_TEST(error(r).empty(), st << ": " << error(r));
      }
      BOOST_TEST(row() == c.expected);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_protocol_default_timestamp_decides_as_using_timestamp_does) {
  at(2000, "INSERT INTO t (k, a) VALUES (1, 'new')");
  at(1000, "INSERT INTO t (k, a) VALUES (1, 'old')");
  at(1000, "UPDATE t SET a = 'old' WHERE k = 1");
  at(1500, "DELETE FROM t WHERE k = 1");
  BOOST_TEST(row() == R"([["new",null]])");
  at(2500, "DELETE a FROM t WHERE k = 1");  // the INSERT's row marker keeps the row
  BOOST_TEST(row() == "[[null,null]]");
  // USING TIMESTAMP overrides the request's.
  at(1000, "INSERT INTO t (k, a) VALUES (1, 'explicit') USING TIMESTAMP 3000");
  at(2900, "INSERT INTO t (k, a) VALUES (1, 'default')");
  BOOST_TEST(row() == R"([["explicit",null]])");
}

BOOST_AUTO_TEST_CASE(a_batch_s_default_timestamp_does_not_overwrite_newer_writes) {
  at(2000, "INSERT INTO t (k, a, b) VALUES (1, 'new', 'b')");
  pr::Batch batch;
  batch.default_timestamp = 1000;
  batch.statements.push_back({std::string_view("INSERT INTO t (k, a) VALUES (1, 'old')"), {}});
  batch.statements.push_back({std::string_view("DELETE b FROM t WHERE k = 1"), {}});
  batch.statements.push_back({std::string_view("INSERT INTO t (k, a) VALUES (2, 'two')"), {}});
  sb::Reply r = ex.batch(batch, state);
  BOOST_TEST(error(r).empty(), error(r));
  BOOST_TEST(row() == R"([["new","b"]])");
  BOOST_TEST(row(2) == R"([["two",null]])");
}

BOOST_AUTO_TEST_CASE(writes_without_a_timestamp_are_stamped_by_the_clock) {
  // A client timestamp from the future wins over the store's clock...
  const std::int64_t future = test_now().load() + 60'000'000;
  ok("INSERT INTO t (k, a) VALUES (1, 'future') USING TIMESTAMP " + std::to_string(future));
  ok("INSERT INTO t (k, a) VALUES (1, 'now')");
  BOOST_TEST(row() == R"([["future",null]])");
  // ... until the clock passes it.
  test_now() += 120'000'000;
  ok("INSERT INTO t (k, a) VALUES (1, 'later')");
  BOOST_TEST(row() == R"([["later",null]])");
}

BOOST_AUTO_TEST_SUITE_END()
