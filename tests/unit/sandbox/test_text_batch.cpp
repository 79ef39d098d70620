// CQL text batches (BEGIN BATCH ... APPLY BATCH), checked against Cassandra 4.0's Parser.g
// (batchStatement: INSERT, UPDATE and DELETE only, ';' optional) and
// cql3/statements/BatchStatement.java (validate's errors, one timestamp, executeWithConditions
// and ModificationStatement.buildCasResultSet for a batch's [applied] rows); CQL3CasRequest for
// how conditions on one row combine.
#include "executor_fixture.hpp"

using namespace sandbox_test;

namespace {

struct BatchFixture : ExecutorFixture {
  BatchFixture() {
    ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
       "'replication_factor': 1}");
    ok("CREATE TABLE ks.t (k int PRIMARY KEY, a text, b int)");
    ok("CREATE TABLE ks.u (k int PRIMARY KEY, v text)");
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_text_batch, BatchFixture)

BOOST_AUTO_TEST_CASE(writes_of_several_tables_apply_together) {
  auto r =
      ok("BEGIN BATCH INSERT INTO ks.t (k, a) VALUES (1, 'one'); UPDATE ks.u SET v = 'x' WHERE k = "
         "2 DELETE FROM ks.t WHERE k = 3; APPLY BATCH");
  BOOST_TEST(std::holds_alternative<pr::VoidResult>(std::get<pr::Result>(r.message)));
  BOOST_TEST(select("SELECT k, a FROM ks.t") == parse_json(R"([[1,"one"]])"));
  BOOST_TEST(select("SELECT k, v FROM ks.u") == parse_json(R"([[2,"x"]])"));
  ok("BEGIN UNLOGGED BATCH USING TIMESTAMP 10 INSERT INTO ks.t (k, b) VALUES (1, 5) APPLY BATCH");
  // The batch's timestamp is its writes': an older write loses to it, a newer one wins.
  ok("UPDATE ks.t USING TIMESTAMP 9 SET b = 9 WHERE k = 1");
  BOOST_TEST(select("SELECT b FROM ks.t WHERE k = 1") == parse_json("[[5]]"));
  ok("UPDATE ks.t USING TIMESTAMP 11 SET b = 11 WHERE k = 1");
  BOOST_TEST(select("SELECT b FROM ks.t WHERE k = 1") == parse_json("[[11]]"));
  ok("BEGIN BATCH APPLY BATCH");
}

BOOST_AUTO_TEST_CASE(markers_are_numbered_across_the_batch) {
  ok("BEGIN BATCH INSERT INTO ks.t (k, a) VALUES (?, ?) INSERT INTO ks.u (k, v) VALUES (?, ?) "
     "APPLY BATCH",
     {int_value(1), text("a"), int_value(2), text("v")});
  BOOST_TEST(select("SELECT k, a FROM ks.t") == parse_json(R"([[1,"a"]])"));
  BOOST_TEST(select("SELECT k, v FROM ks.u") == parse_json(R"([[2,"v"]])"));
  auto prepared = ex.prepare(
      "BEGIN BATCH USING TIMESTAMP ? INSERT INTO ks.t (k, a) VALUES (?, ?) APPLY BATCH", state);
  BOOST_REQUIRE(error(prepared).empty());
  const auto& meta = std::get<pr::PreparedResult>(std::get<pr::Result>(prepared.message)).metadata;
  BOOST_REQUIRE_EQUAL(meta.columns.size(), 3u);
  BOOST_TEST(meta.columns[0].keyspace == "[batch]");
  BOOST_TEST(meta.columns[0].name == "[timestamp]");
  BOOST_TEST(meta.columns[1].name == "k");
  BOOST_TEST(meta.columns[2].table == "t");
}

BOOST_AUTO_TEST_CASE(cassandras_refusals) {
  BOOST_TEST(
      fails("BEGIN BATCH SELECT * FROM ks.t APPLY BATCH")
          .starts_with("Syntax_error: line 1:12 mismatched input 'SELECT' expecting K_APPLY"));
  BOOST_TEST(fails("BEGIN BATCH USING TTL 5 INSERT INTO ks.t (k) VALUES (1) APPLY BATCH") ==
             "Invalid: Global TTL on the BATCH statement is not supported.");
  BOOST_TEST(fails("BEGIN BATCH USING TIMESTAMP 5 INSERT INTO ks.t (k) VALUES (1) USING "
                   "TIMESTAMP 6 APPLY BATCH") ==
             "Invalid: Timestamp must be set either on BATCH or individual statements");
  BOOST_TEST(fails("BEGIN BATCH USING TIMESTAMP 5 INSERT INTO ks.t (k) VALUES (1) IF NOT EXISTS "
                   "APPLY BATCH") ==
             "Invalid: Cannot provide custom timestamp for conditional BATCH");
  BOOST_TEST(fails("BEGIN COUNTER BATCH UPDATE ks.t SET b = 1 WHERE k = 1 APPLY BATCH") ==
             "Invalid: Cannot include non-counter statement in a counter batch");
  BOOST_TEST(fails("BEGIN BATCH INSERT INTO ks.t (k) VALUES (1) IF NOT EXISTS INSERT INTO ks.u "
                   "(k) VALUES (1) APPLY BATCH") ==
             "Invalid: Batch with conditions cannot span multiple tables");
  BOOST_TEST(fails("BEGIN BATCH INSERT INTO ks.t (k) VALUES (1) IF NOT EXISTS INSERT INTO ks.t "
                   "(k) VALUES (2) APPLY BATCH") ==
             "Invalid: Batch with conditions cannot span multiple partitions");
  BOOST_TEST(fails("BEGIN BATCH INSERT INTO ks.t (k) VALUES (1) IF NOT EXISTS UPDATE ks.t SET a = "
                   "'x' WHERE k = 1 IF a = 'y' APPLY BATCH") ==
             "Invalid: Cannot mix IF conditions and IF NOT EXISTS for the same row");
  // Nothing of them was written.
  BOOST_TEST(select("SELECT k FROM ks.t").empty());
}

BOOST_AUTO_TEST_CASE(conditional_batches_answer_applied) {
  const std::string insert =
      "BEGIN BATCH INSERT INTO ks.t (k, a, b) VALUES (1, 'one', 1) IF NOT EXISTS "
      "UPDATE ks.t SET b = 2 WHERE k = 1 APPLY BATCH";
  BOOST_TEST(rows(ok(insert)) == parse_json("[[true]]"));
  BOOST_TEST(select("SELECT a, b FROM ks.t WHERE k = 1") == parse_json(R"([["one",2]])"));
  // Not applied after IF NOT EXISTS: every column of the row, as SELECT * orders them.
  auto again = ok(insert);
  BOOST_TEST(column_names(again) == (std::vector<std::string>{"[applied]", "k", "a", "b"}));
  BOOST_TEST(rows(again) == parse_json(R"([[false,1,"one",2]])"));
  // Column conditions: the key, then the conditions' columns.
  auto lost = ok(
      "BEGIN BATCH UPDATE ks.t SET a = 'uno' WHERE k = 1 IF b = 5 DELETE b FROM ks.t WHERE k = 1 "
      "IF a = 'one' APPLY BATCH");
  BOOST_TEST(column_names(lost) == (std::vector<std::string>{"[applied]", "k", "b", "a"}));
  BOOST_TEST(rows(lost) == parse_json(R"([[false,1,2,"one"]])"));
  auto won = ok(
      "BEGIN BATCH UPDATE ks.t SET a = 'uno' WHERE k = 1 IF b = 2 DELETE b FROM ks.t WHERE k = 1 "
      "IF a = 'one' APPLY BATCH");
  BOOST_TEST(rows(won) == parse_json("[[true]]"));
  BOOST_TEST(select("SELECT a, b FROM ks.t WHERE k = 1") == parse_json(R"([["uno",null]])"));
  // A condition on a missing row: [applied] false alone.
  BOOST_TEST(rows(ok("BEGIN BATCH UPDATE ks.t SET a = 'x' WHERE k = 9 IF a = 'y' APPLY BATCH")) ==
             parse_json("[[false]]"));
}

BOOST_AUTO_TEST_SUITE_END()
