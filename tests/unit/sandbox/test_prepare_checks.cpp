// PREPARE refuses what Cassandra 4.0 refuses when it prepares a statement, with its words:
// UpdateStatement.ParsedInsert/ParsedUpdate and DeleteStatement.Parsed prepareInternal,
// ModificationStatement's constructor (a timestamp with conditions), StatementRestrictions
// (the WHERE clause), Constants.Literal.prepare (a literal against its column's type) and
// SelectStatement.RawStatement.prepare. The checks of a bound value's range (TTL, timestamp,
// LIMIT: Attributes and SelectStatement.getLimit) wait for EXECUTE, as in Cassandra.
#include "executor_fixture.hpp"

#include <string>

using namespace sandbox_test;

namespace {

struct PrepareFixture : ExecutorFixture {
  PrepareFixture() {
    ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
       "'replication_factor': 1}");
    ok("USE ks");
    ok("CREATE TABLE t (k int PRIMARY KEY, v int, l list<int>)");
  }
  // "" when `cql` prepares, else "Code: message".
  std::string prepare(const std::string& cql) { return error(ex.prepare(cql, state)); }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_prepare_checks, PrepareFixture)

BOOST_AUTO_TEST_CASE(statements_cassandra_refuses_at_prepare) {
  const std::pair<std::string, std::string> cases[] = {
      {"INSERT INTO t (v) VALUES (?)", "Invalid: Some partition key parts are missing: k"},
      {"INSERT INTO t (k, v) VALUES (?)", "Invalid: Unmatched column names/values"},
      {"INSERT INTO t (k, v, v) VALUES (?, ?, ?)", "Invalid: The column names contains duplicates"},
      {"INSERT INTO t (k, nope) VALUES (?, ?)", "Invalid: Undefined column name nope"},
      {"INSERT INTO t (k, v) VALUES (?, 'abc')",
       "Invalid: Invalid STRING constant (abc) for \"v\" of type int"},
      {"UPDATE t SET k = ? WHERE k = ?", "Invalid: PRIMARY KEY part k found in SET part"},
      {"UPDATE t SET v = ? WHERE v = ?",
       "Invalid: Non PRIMARY KEY columns found in where clause: v "},
      {"UPDATE t SET v = ? WHERE k > ?",
       "Invalid: Only EQ and IN relation are supported on the partition key (unless you use the "
       "token() function) for UPDATE statements"},
      {"UPDATE t SET v = ? WHERE k = ? IF k = ?",
       "Invalid: PRIMARY KEY column 'k' cannot have IF conditions"},
      {"UPDATE t USING TIMESTAMP ? SET v = ? WHERE k = ? IF v = ?",
       "Invalid: Cannot provide custom timestamp for conditional updates"},
      {"DELETE k FROM t WHERE k = ?",
       "Invalid: Invalid identifier k for deletion (should not be a PRIMARY KEY part)"},
      {"DELETE FROM t WHERE token(k) > ?",
       "Invalid: The token function cannot be used in WHERE clauses for DELETE statements"},
      {"SELECT nope FROM t WHERE k = ?", "Invalid: Undefined column name nope"},
  };
  for (const auto& [cql, expected] : cases) {
    BOOST_TEST(prepare(cql) == expected, cql);
  }
  BOOST_TEST(prepare("SELECT * FROM t WHERE v = ?").find("use ALLOW FILTERING") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(bound_value_ranges_wait_for_execute) {
  for (const std::string cql :
       {"INSERT INTO t (k, v) VALUES (?, ?) USING TTL ? AND TIMESTAMP ?",
        "INSERT INTO t (k, v) VALUES (1, 2) USING TTL -1", "SELECT * FROM t WHERE k IN ? LIMIT ?",
        "SELECT * FROM t LIMIT 0", "UPDATE t SET l = l + ?, v = ? WHERE k IN ? IF v = ?",
        "DELETE FROM t WHERE k = ? IF EXISTS"}) {
    BOOST_TEST(prepare(cql).empty(), cql);
  }
  BOOST_TEST(fails("INSERT INTO t (k, v) VALUES (1, 2) USING TTL -1") ==
             "Invalid: A TTL must be greater or equal to 0, but was -1");
  BOOST_TEST(fails("SELECT * FROM t LIMIT 0") == "Invalid: LIMIT must be strictly positive");
}

BOOST_AUTO_TEST_SUITE_END()
