// The parser on DESCRIBE, as Cassandra 4.0's Parser.g describeStatement reads it.
#include "sandbox_test_util.hpp"

using namespace sandbox_test;
using DKind = cql::Describe::Kind;

BOOST_AUTO_TEST_SUITE(sandbox_parser_describe)

BOOST_AUTO_TEST_CASE(plural_forms_cluster_and_schema) {
  BOOST_TEST((parse_as<cql::Describe>("DESCRIBE CLUSTER").kind == DKind::cluster));
  BOOST_TEST((parse_as<cql::Describe>("desc keyspaces;").kind == DKind::keyspaces));
  BOOST_TEST((parse_as<cql::Describe>("DESC TABLES").kind == DKind::tables));
  BOOST_TEST((parse_as<cql::Describe>("describe types").kind == DKind::types));
  BOOST_TEST((parse_as<cql::Describe>("DESCRIBE FUNCTIONS").kind == DKind::functions));
  BOOST_TEST((parse_as<cql::Describe>("DESCRIBE AGGREGATES").kind == DKind::aggregates));
  auto schema = parse_as<cql::Describe>("DESCRIBE SCHEMA");
  BOOST_TEST((schema.kind == DKind::schema));
  BOOST_TEST(!schema.full);
  auto full = parse_as<cql::Describe>("DESC FULL SCHEMA WITH INTERNALS");
  BOOST_TEST((full.kind == DKind::schema));
  BOOST_TEST(full.full);
  BOOST_TEST(full.with_internals);
}

BOOST_AUTO_TEST_CASE(keyspace_forms) {
  auto current = parse_as<cql::Describe>("DESCRIBE KEYSPACE");
  BOOST_TEST((current.kind == DKind::keyspace));
  BOOST_TEST(!current.keyspace.has_value());
  BOOST_TEST(!current.only);
  auto named = parse_as<cql::Describe>("DESCRIBE ONLY KEYSPACE \"MyKs\"");
  BOOST_TEST((named.kind == DKind::keyspace));
  BOOST_TEST(named.only);
  BOOST_TEST(*named.keyspace == "MyKs");
  auto internals = parse_as<cql::Describe>("DESC KEYSPACE Shop WITH INTERNALS");
  BOOST_TEST(*internals.keyspace == "shop");
  BOOST_TEST(internals.with_internals);
}

BOOST_AUTO_TEST_CASE(element_forms) {
  auto t = parse_as<cql::Describe>("DESCRIBE TABLE ks.Users");
  BOOST_TEST((t.kind == DKind::table));
  BOOST_TEST(*t.keyspace == "ks");
  BOOST_TEST(t.name == "users");
  auto cf = parse_as<cql::Describe>("desc columnfamily t");
  BOOST_TEST((cf.kind == DKind::table));
  BOOST_TEST(!cf.keyspace.has_value());
  BOOST_TEST((parse_as<cql::Describe>("DESCRIBE INDEX ks.i").kind == DKind::index));
  BOOST_TEST((parse_as<cql::Describe>("DESCRIBE MATERIALIZED VIEW v").kind == DKind::view));
  auto type = parse_as<cql::Describe>("DESCRIBE TYPE ks.address");
  BOOST_TEST((type.kind == DKind::type));
  BOOST_TEST(type.name == "address");
  BOOST_TEST((parse_as<cql::Describe>("DESCRIBE FUNCTION ks.f").kind == DKind::function));
  auto token = parse_as<cql::Describe>("DESCRIBE FUNCTION token");
  BOOST_TEST(token.name == "token");
  BOOST_TEST((parse_as<cql::Describe>("DESCRIBE AGGREGATE a").kind == DKind::aggregate));
}

BOOST_AUTO_TEST_CASE(generic_names) {
  auto g = parse_as<cql::Describe>("DESCRIBE shop");
  BOOST_TEST((g.kind == DKind::generic));
  BOOST_TEST(!g.keyspace.has_value());
  BOOST_TEST(g.name == "shop");
  auto q = parse_as<cql::Describe>("DESC shop.\"Items\" WITH INTERNALS");
  BOOST_TEST((q.kind == DKind::generic));
  BOOST_TEST(*q.keyspace == "shop");
  BOOST_TEST(q.name == "Items");
  BOOST_TEST(q.with_internals);
  // A keyword whose form cannot go on is a name (they are unreserved).
  auto type = parse_as<cql::Describe>("DESCRIBE type");
  BOOST_TEST((type.kind == DKind::generic));
  BOOST_TEST(type.name == "type");
  auto ks_table = parse_as<cql::Describe>("DESCRIBE type.t");
  BOOST_TEST((ks_table.kind == DKind::generic));
  BOOST_TEST(*ks_table.keyspace == "type");
  // KEYSPACE is reserved (as FULL, TABLE, INDEX, SCHEMA): never a name.
  BOOST_TEST(!parse_error("DESCRIBE keyspace.t").empty());
  BOOST_TEST(!parse_error("DESCRIBE full").empty());  // FULL is reserved
}

BOOST_AUTO_TEST_CASE(syntax_errors) {
  BOOST_TEST(!parse_error("DESCRIBE").empty());
  BOOST_TEST(!parse_error("DESCRIBE TABLE").empty());
  BOOST_TEST(!parse_error("DESCRIBE KEYSPACE ks WITH").empty());
  BOOST_TEST(!parse_error("DESCRIBE CLUSTER extra").empty());
  BOOST_TEST(!parse_error("DESCRIBE 42").empty());
}

BOOST_AUTO_TEST_SUITE_END()
