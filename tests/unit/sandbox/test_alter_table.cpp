// ALTER TABLE, checked against Cassandra 4.0's AlterTableStatement (ADD, DROP, RENAME, WITH,
// its errors and the UPDATED TABLE schema change) and TableMetadata.Builder.recordColumnDrop
// (system_schema.dropped_columns; what a dropped column wrote stays dropped).
#include "executor_fixture.hpp"

using namespace sandbox_test;

namespace {

struct AlterFixture : ExecutorFixture {
  AlterFixture() {
    ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
       "'replication_factor': 1}");
    ok("CREATE TABLE ks.t (k int PRIMARY KEY, a text, b int)");
  }
  json::array columns() {
    return select(
        "SELECT column_name, kind, type FROM system_schema.columns WHERE keyspace_name = 'ks' "
        "AND table_name = 't'");
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_alter_table, AlterFixture)

BOOST_AUTO_TEST_CASE(add_answers_updated_table_and_lists_the_column) {
  auto r = ok("ALTER TABLE ks.t ADD c list<int>");
  const auto& sc = std::get<pr::SchemaChange>(std::get<pr::Result>(r.message));
  BOOST_TEST((sc.change == pr::SchemaChangeType::updated));
  BOOST_TEST((sc.target == pr::SchemaTarget::table));
  BOOST_TEST(sc.keyspace == "ks");
  BOOST_TEST(sc.name == "t");
  BOOST_REQUIRE(r.schema_change.has_value());
  ok("ALTER TABLE ks.t ADD (d text, e frozen<set<int>>)");
  BOOST_TEST(columns() == parse_json(R"([["a","regular","text"],["b","regular","int"],
      ["c","regular","list<int>"],["d","regular","text"],["e","regular","frozen<set<int>>"],
      ["k","partition_key","int"]])"));
  ok("INSERT INTO ks.t (k, a, c) VALUES (1, 'x', [1, 2])");
  BOOST_TEST(select("SELECT * FROM ks.t") == parse_json(R"([[1,"x",null,[1,2],null,null]])"));
}

BOOST_AUTO_TEST_CASE(cassandras_errors) {
  BOOST_TEST(fails("ALTER TABLE ks.t ADD a int") == "Invalid: Column with name 'a' already exists");
  BOOST_TEST(fails("ALTER TABLE ks.t ADD k int") == "Invalid: Column with name 'k' already exists");
  BOOST_TEST(fails("ALTER TABLE ks.t DROP k") == "Invalid: Cannot drop PRIMARY KEY column k");
  BOOST_TEST(fails("ALTER TABLE ks.t DROP z") == "Invalid: Column z was not found in table 'ks.t'");
  BOOST_TEST(fails("ALTER TABLE ks.t RENAME a TO z") ==
             "Invalid: Cannot rename non PRIMARY KEY column a");
  BOOST_TEST(fails("ALTER TABLE ks.t RENAME k TO a") ==
             "Invalid: Cannot rename column k to a in table 'ks.t'; another column with that "
             "name already exists");
  BOOST_TEST(fails("ALTER TABLE ks.t RENAME z TO y") ==
             "Invalid: Column z was not found in table ks.t");
  BOOST_TEST(fails("ALTER TABLE ks.t ALTER a TYPE blob") ==
             "Invalid: Altering column types is no longer supported");
  BOOST_TEST(fails("ALTER TABLE ks.nope ADD c int") == "Invalid: Table 'ks.nope' doesn't exist");
  BOOST_TEST(fails("ALTER TABLE ks.t ADD s int static") ==
             "Invalid: Static columns are only useful (and thus allowed) if the table has at "
             "least one clustering column");
  BOOST_TEST(fails("ALTER TABLE ks.t WITH bogus = 1") == "Syntax_error: Unknown property 'bogus'");
  BOOST_TEST(fails("ALTER TABLE ks.t WITH id = 'a1a2a3a4-b1b2-c1c2-d1d2-e1e2e3e4e5e6'") ==
             "Config_error: Cannot alter table id.");
}

BOOST_AUTO_TEST_CASE(dropped_values_disappear_and_stay_dropped) {
  ok("INSERT INTO ks.t (k, a, b) VALUES (1, 'one', 10) USING TIMESTAMP 1000");
  ok("INSERT INTO ks.t (k, a) VALUES (2, 'two') USING TIMESTAMP 1000");
  ok("ALTER TABLE ks.t DROP b USING TIMESTAMP 5000");
  BOOST_TEST(select("SELECT * FROM ks.t WHERE k = 1") == parse_json(R"([[1,"one"]])"));
  BOOST_TEST(select("SELECT table_name, column_name, kind, type, dropped_time FROM "
                    "system_schema.dropped_columns WHERE keyspace_name = 'ks'") ==
             parse_json(R"([["t","b","regular","int","1970-01-01T00:00:00.005Z"]])"));
  BOOST_TEST(fails("ALTER TABLE ks.t ADD b text") ==
             "Invalid: Cannot re-add previously dropped column 'b' of type text, incompatible "
             "with previous type int");
  ok("ALTER TABLE ks.t ADD b int");
  BOOST_TEST(select("SELECT b FROM ks.t WHERE k = 1") == parse_json("[[null]]"));
  // Written before the drop (by its timestamp): still dropped. After it: there.
  ok("UPDATE ks.t USING TIMESTAMP 4000 SET b = 4 WHERE k = 1");
  ok("UPDATE ks.t USING TIMESTAMP 6000 SET b = 6 WHERE k = 2");
  BOOST_TEST(select("SELECT k, b FROM ks.t WHERE k IN (1, 2)") ==
             parse_json(R"([[1,null],[2,6]])"));
}

BOOST_AUTO_TEST_CASE(rename_of_the_key_keeps_the_rows) {
  ok("INSERT INTO ks.t (k, a) VALUES (1, 'one')");
  ok("ALTER TABLE ks.t RENAME k TO id");
  BOOST_TEST(select("SELECT id, a FROM ks.t WHERE id = 1") == parse_json(R"([[1,"one"]])"));
  BOOST_TEST(fails("SELECT k FROM ks.t").starts_with("Invalid: Undefined column name k"));
}

BOOST_AUTO_TEST_CASE(options_change_and_keep_the_rest) {
  ok("ALTER TABLE ks.t WITH comment = 'c' AND default_time_to_live = 60");
  ok("ALTER TABLE ks.t WITH gc_grace_seconds = 10");
  BOOST_TEST(select("SELECT comment, default_time_to_live, gc_grace_seconds FROM "
                    "system_schema.tables WHERE keyspace_name = 'ks' AND table_name = 't'") ==
             parse_json(R"([["c",60,10]])"));
  ok("INSERT INTO ks.t (k, a) VALUES (1, 'one')");
  test_now() += 59'000'000;
  BOOST_TEST(select("SELECT k FROM ks.t WHERE k = 1") == parse_json("[[1]]"));
  test_now() += 2'000'000;
  BOOST_TEST(select("SELECT k FROM ks.t WHERE k = 1").empty());
}

BOOST_AUTO_TEST_CASE(a_prepared_statement_of_changed_columns_is_unprepared) {
  pr::QueryParameters params;
  auto prepared = ex.prepare("SELECT * FROM ks.t", state);
  BOOST_REQUIRE(!prepared.prepared_id.empty());
  BOOST_TEST(error(ex.execute(prepared.prepared_id, params, state)).empty());
  ok("ALTER TABLE ks.t WITH comment = 'only options'");
  BOOST_TEST(error(ex.execute(prepared.prepared_id, params, state)).empty());
  ok("ALTER TABLE ks.t ADD c int");
  BOOST_TEST(error(ex.execute(prepared.prepared_id, params, state)).starts_with("Unprepared"));
}

BOOST_AUTO_TEST_SUITE_END()
