// The executor's schema statements: keyspaces, tables, USE, TRUNCATE, with Cassandra's answers
// and errors.
#include "cql/parser.hpp"
#include "executor_fixture.hpp"

using namespace sandbox_test;

BOOST_FIXTURE_TEST_SUITE(sandbox_executor_schema, ExecutorFixture)

BOOST_AUTO_TEST_CASE(create_keyspace_answers_schema_change_once) {
  auto r =
      ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
         "'replication_factor': 1}");
  const auto& sc = std::get<pr::SchemaChange>(std::get<pr::Result>(r.message));
  BOOST_TEST(sc.keyspace == "ks");
  BOOST_TEST((sc.target == pr::SchemaTarget::keyspace));
  BOOST_TEST((sc.change == pr::SchemaChangeType::created));
  BOOST_REQUIRE(r.schema_change.has_value());
  BOOST_TEST(r.schema_change->keyspace == "ks");

  BOOST_TEST(fails("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
                   "'replication_factor': 1}") ==
             "Already_exists: Cannot add existing keyspace \"ks\"");
  // IF NOT EXISTS on an existing keyspace changes nothing and says nothing.
  auto again =
      ok("CREATE KEYSPACE IF NOT EXISTS ks WITH replication = {'class': "
         "'SimpleStrategy', 'replication_factor': 1}");
  BOOST_TEST(std::holds_alternative<pr::VoidResult>(std::get<pr::Result>(again.message)));
  BOOST_TEST(!again.schema_change.has_value());
}

BOOST_AUTO_TEST_CASE(replication_is_checked) {
  BOOST_TEST(fails("CREATE KEYSPACE k1 WITH replication = {'class': 'SimpleStrategy'}") ==
             "Config_error: SimpleStrategy requires a replication_factor strategy option.");
  BOOST_TEST(fails("CREATE KEYSPACE k1 WITH replication = {'class': 'Nope'}")
                 .starts_with("Config_error: Unable to find replication strategy class"));
  ok("CREATE KEYSPACE k2 WITH replication = {'class': 'NetworkTopologyStrategy', 'dc1': 3}");
  auto ks = store.keyspace("k2");
  BOOST_REQUIRE(ks.has_value());
  BOOST_TEST(ks->replication.at("class") == "org.apache.cassandra.locator.NetworkTopologyStrategy");
  BOOST_TEST(ks->replication.at("dc1") == "3");
}

BOOST_AUTO_TEST_CASE(use_sets_the_keyspace) {
  BOOST_TEST(fails("USE nowhere") == "Invalid: Keyspace 'nowhere' does not exist");
  BOOST_TEST(fails("CREATE TABLE t (k int PRIMARY KEY)")
                 .starts_with("Invalid: No keyspace has been specified."));
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  auto r = ok("USE ks");
  BOOST_TEST(std::get<pr::SetKeyspaceResult>(std::get<pr::Result>(r.message)).keyspace == "ks");
  BOOST_TEST(state.keyspace == "ks");
  ok("CREATE TABLE t (k int PRIMARY KEY, v text)");
  BOOST_TEST(store.table("ks", "t").has_value());
}

BOOST_AUTO_TEST_CASE(tables_are_created_and_dropped) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  auto r = ok("CREATE TABLE ks.\"Docs\" (pk text PRIMARY KEY, data text, n int)");
  const auto& sc = std::get<pr::SchemaChange>(std::get<pr::Result>(r.message));
  BOOST_TEST((sc.target == pr::SchemaTarget::table));
  BOOST_TEST(sc.name == "Docs");
  auto t = store.table("ks", "Docs");
  BOOST_REQUIRE(t.has_value());
  BOOST_TEST((*t)->columns.size() == 3u);
  BOOST_TEST((*t)->columns[(*t)->partition_key].name == "pk");

  BOOST_TEST(fails("CREATE TABLE ks.\"Docs\" (pk text PRIMARY KEY)") ==
             "Already_exists: Cannot add already existing table \"Docs\" to keyspace \"ks\"");
  ok("CREATE TABLE IF NOT EXISTS ks.\"Docs\" (pk text PRIMARY KEY)");
  ok("DROP TABLE ks.\"Docs\"");
  BOOST_TEST(!store.table("ks", "Docs").has_value());
  BOOST_TEST(fails("DROP TABLE ks.\"Docs\"") == "Invalid: Table 'ks.Docs' doesn't exist");
  ok("DROP TABLE IF EXISTS ks.\"Docs\"");
  ok("DROP KEYSPACE ks");
  BOOST_TEST(!store.keyspace("ks").has_value());
}

BOOST_AUTO_TEST_CASE(outside_the_subset_is_invalid_not_wrong) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  BOOST_TEST(
      fails("CREATE TABLE ks.t (a int, b int, c int, PRIMARY KEY (a, b))")
          .starts_with("Invalid: The nosqlc sandbox supports only a single-column PRIMARY KEY"));
  BOOST_TEST(fails("CREATE TABLE ks.t (a int PRIMARY KEY, c counter)")
                 .starts_with("Invalid: The nosqlc sandbox does not support counter columns"));
  BOOST_TEST(fails("CREATE TABLE ks.t (a list<int> PRIMARY KEY)")
                 .starts_with("Invalid: Invalid non-frozen collection type for PRIMARY KEY"));
  BOOST_TEST(fails("CREATE TABLE ks.t (a int, b int)")
                 .starts_with("Invalid: No PRIMARY KEY specifed for table 't'"));
  BOOST_TEST(fails("CREATE TABLE ks.t (a int PRIMARY KEY, a text)") ==
             "Invalid: Multiple definition of identifier a");
  BOOST_TEST(fails("SELEC * FROM ks.t").starts_with("Syntax_error: line 1:0"));
  BOOST_TEST(!store.table("ks", "t").has_value());
}

BOOST_AUTO_TEST_CASE(system_keyspaces_are_read_only) {
  BOOST_TEST(fails("DROP KEYSPACE system") ==
             "Unauthorized: system keyspace is not user-modifiable.");
  BOOST_TEST(fails("INSERT INTO system.local (key) VALUES ('x')") ==
             "Unauthorized: system keyspace is not user-modifiable.");
  BOOST_TEST(fails("SELECT * FROM system.nope") == "Invalid: unconfigured table nope");
}

BOOST_AUTO_TEST_CASE(truncate_removes_every_row) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("CREATE TABLE ks.t (k int PRIMARY KEY, v text)");
  for (int i = 0; i < 5; ++i)
    ok("INSERT INTO ks.t (k, v) VALUES (" + std::to_string(i) + ", 'x')");
  BOOST_TEST(select("SELECT * FROM ks.t").size() == 5u);
  ok("TRUNCATE ks.t");
  BOOST_TEST(select("SELECT * FROM ks.t").empty());
  BOOST_TEST(fails("TRUNCATE ks.nope") == "Invalid: unconfigured table nope");
}

BOOST_AUTO_TEST_CASE(markers_in_schema_statements_are_refused) {
  BOOST_TEST(fails("USE ?", {text("ks")}).starts_with("Syntax_error"));
}

// Cassandra 4.0 bounds nested types by nothing but its stack; the DataStax Python driver's
// tests use tuples 128 deep (test_can_insert_nested_tuples). The sandbox takes them whole.
BOOST_AUTO_TEST_CASE(tuples_nest_128_deep) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  std::string type = "int", literal = "7";
  pr::Bytes expected = int_value(7);
  for (int i = 0; i < 128; ++i) {
    type = "tuple<" + type + ">";
    literal = "(" + literal + ")";
    pr::Bytes outer = int_value(static_cast<std::int32_t>(expected.size()));
    outer.insert(outer.end(), expected.begin(), expected.end());
    expected = std::move(outer);
  }
  ok("CREATE TABLE ks.deep (k int PRIMARY KEY, v " + type + ")");
  ok("INSERT INTO ks.deep (k, v) VALUES (1, " + literal + ")");
  auto r = ok("SELECT v FROM ks.deep WHERE k = 1");
  BOOST_TEST((rows_of(r).metadata.columns.at(0).type == *sb::cql::parse_type(type)));
  std::size_t count = 0;
  for (auto row : rows_of(r).rows()) {
    for (auto cell : row) {
      BOOST_REQUIRE(cell.has_value());
      BOOST_TEST(pr::Bytes(cell->begin(), cell->end()) == expected);
    }
    ++count;
  }
  BOOST_TEST(count == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
