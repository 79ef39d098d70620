// The parser on every statement form of the subset.
#include "sandbox_test_util.hpp"

using namespace sandbox_test;
using nosqlc::protocol::DataType;
using nosqlc::protocol::TypeId;
using Kind = cql::Constant::Kind;
using Role = cql::MarkerInfo::Role;

BOOST_AUTO_TEST_SUITE(sandbox_parser_statements)

BOOST_AUTO_TEST_CASE(create_keyspace_simple) {
  auto ck = parse_as<cql::CreateKeyspace>(
      "CREATE KEYSPACE IF NOT EXISTS Shop WITH replication = "
      "{'class': 'SimpleStrategy', 'replication_factor': 1};");
  BOOST_TEST(ck.name == "shop");
  BOOST_TEST(ck.if_not_exists);
  BOOST_TEST(ck.replication.at("class") == "SimpleStrategy");
  BOOST_TEST(ck.replication.at("replication_factor") == "1");
  BOOST_TEST(!ck.durable_writes.has_value());
}

BOOST_AUTO_TEST_CASE(create_keyspace_nts_and_durable_writes) {
  auto ck = parse_as<cql::CreateKeyspace>(
      "create schema \"MyKs\" with REPLICATION = {'class' : 'NetworkTopologyStrategy', "
      "'dc1' : 3, 'dc2': '2'} AND durable_writes = false");
  BOOST_TEST(ck.name == "MyKs");
  BOOST_TEST(!ck.if_not_exists);
  BOOST_TEST(ck.replication.size() == 3u);
  BOOST_TEST(ck.replication.at("dc1") == "3");
  BOOST_TEST(ck.replication.at("dc2") == "2");
  BOOST_REQUIRE(ck.durable_writes.has_value());
  BOOST_TEST(!*ck.durable_writes);
  auto ck2 = parse_as<cql::CreateKeyspace>(
      "CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy'} AND durable_writes = "
      "'TRUE' AND graph_engine = 'Core'");
  BOOST_TEST(*ck2.durable_writes);
  BOOST_REQUIRE_EQUAL(ck2.other_properties.size(), 1u);
  BOOST_TEST(ck2.other_properties[0].name == "graph_engine");
}

BOOST_AUTO_TEST_CASE(drop_keyspace_and_use) {
  auto d = parse_as<cql::DropKeyspace>("DROP KEYSPACE IF EXISTS ks");
  BOOST_TEST(d.name == "ks");
  BOOST_TEST(d.if_exists);
  BOOST_TEST(!parse_as<cql::DropKeyspace>("drop keyspace ks").if_exists);
  BOOST_TEST(parse_as<cql::Use>("USE \"Quoted\";").keyspace == "Quoted");
  BOOST_TEST(parse_as<cql::Use>("use Folded").keyspace == "folded");
}

BOOST_AUTO_TEST_CASE(create_table_inline_primary_key) {
  auto ct = parse_as<cql::CreateTable>(
      "CREATE TABLE IF NOT EXISTS ks.Orders (pk text PRIMARY KEY, data text, qty int, "
      "tags set<text>, attrs map<text, frozen<list<int>>>, pos tuple<int, double>, "
      "\"Mixed\" varchar)");
  BOOST_TEST(ct.if_not_exists);
  BOOST_TEST((ct.table == cql::QualifiedName{"ks", "orders"}));
  BOOST_REQUIRE_EQUAL(ct.columns.size(), 7u);
  BOOST_TEST(ct.partition_key == std::vector<std::string>{"pk"});
  BOOST_TEST(ct.clustering.empty());
  BOOST_TEST((ct.columns[0].type == DataType::of(TypeId::varchar)));
  BOOST_TEST((ct.columns[2].type == DataType::of(TypeId::int_)));
  BOOST_TEST((ct.columns[3].type == DataType::set_of(DataType::of(TypeId::varchar))));
  BOOST_TEST(
      (ct.columns[4].type == DataType::map_of(DataType::of(TypeId::varchar),
                                              DataType::list_of(DataType::of(TypeId::int_)))));
  BOOST_TEST((ct.columns[5].type ==
              DataType::tuple_of({DataType::of(TypeId::int_), DataType::of(TypeId::double_)})));
  BOOST_TEST(ct.columns[6].name == "Mixed");
  BOOST_TEST((ct.columns[6].type == DataType::of(TypeId::varchar)));
}

BOOST_AUTO_TEST_CASE(create_table_primary_key_clause_and_options) {
  auto ct = parse_as<cql::CreateTable>(
      "CREATE TABLE t (k bigint, v blob, s int static, PRIMARY KEY (k)) WITH comment = 'x' "
      "AND compaction = {'class': 'LeveledCompactionStrategy'} AND gc_grace_seconds = 0 AND "
      "CLUSTERING ORDER BY (v DESC) AND COMPACT STORAGE");
  BOOST_TEST(!ct.table.keyspace.has_value());
  BOOST_TEST(ct.partition_key == std::vector<std::string>{"k"});
  BOOST_TEST(ct.columns[2].is_static);
  BOOST_REQUIRE_EQUAL(ct.options.size(), 5u);
  BOOST_TEST(ct.options[0].name == "comment");
  BOOST_TEST(std::get<std::string>(ct.options[0].value) == "x");
  BOOST_TEST(std::get<std::string>(ct.options[3].value) == "v DESC");

  auto composite = parse_as<cql::CreateTable>(
      "CREATE COLUMNFAMILY t (a int, b int, c int, d int, PRIMARY KEY ((a, b), c, d),)");
  BOOST_TEST((composite.partition_key == std::vector<std::string>{"a", "b"}));
  BOOST_TEST((composite.clustering == std::vector<std::string>{"c", "d"}));
}

BOOST_AUTO_TEST_CASE(every_native_type) {
  const std::pair<const char*, TypeId> natives[] = {
      {"ascii", TypeId::ascii},       {"bigint", TypeId::bigint},
      {"blob", TypeId::blob},         {"boolean", TypeId::boolean},
      {"counter", TypeId::counter},   {"decimal", TypeId::decimal},
      {"double", TypeId::double_},    {"float", TypeId::float_},
      {"int", TypeId::int_},          {"timestamp", TypeId::timestamp},
      {"uuid", TypeId::uuid},         {"text", TypeId::varchar},
      {"varchar", TypeId::varchar},   {"varint", TypeId::varint},
      {"timeuuid", TypeId::timeuuid}, {"inet", TypeId::inet},
      {"date", TypeId::date},         {"time", TypeId::time},
      {"smallint", TypeId::smallint}, {"tinyint", TypeId::tinyint},
      {"duration", TypeId::duration}, {"TEXT", TypeId::varchar},
  };
  for (const auto& [name, id] : natives) {
    BOOST_TEST_CONTEXT(name) {
      auto t = cql::parse_type(name);
      BOOST_REQUIRE(t.has_value());
      BOOST_TEST((*t == DataType::of(id)));
    }
  }
  auto custom = cql::parse_type("'org.apache.cassandra.db.marshal.DynamicCompositeType'");
  BOOST_REQUIRE(custom.has_value());
  BOOST_TEST((custom->id == TypeId::custom));
  BOOST_TEST(!cql::parse_type("list<int").has_value());
  BOOST_TEST(!cql::parse_type("map<int>").has_value());
  BOOST_TEST(!cql::parse_type("my_udt").has_value());
  BOOST_TEST(!cql::parse_type("int int").has_value());
}

BOOST_AUTO_TEST_CASE(drop_table_and_truncate) {
  auto d = parse_as<cql::DropTable>("DROP TABLE IF EXISTS ks.t");
  BOOST_TEST(d.if_exists);
  BOOST_TEST((d.table == cql::QualifiedName{"ks", "t"}));
  BOOST_TEST((parse_as<cql::Truncate>("TRUNCATE t").table == cql::QualifiedName{{}, "t"}));
  BOOST_TEST(
      (parse_as<cql::Truncate>("truncate table KS.T").table == cql::QualifiedName{"ks", "t"}));
}

BOOST_AUTO_TEST_CASE(insert_values_if_not_exists_using) {
  auto p = parse_ok(
      "INSERT INTO ks.t (pk, data, n) VALUES ('k1', ?, :n) IF NOT EXISTS USING TTL 86400 AND "
      "TIMESTAMP ?");
  const auto& in = std::get<cql::Insert>(p.statement);
  BOOST_TEST((in.columns == std::vector<std::string>{"pk", "data", "n"}));
  BOOST_REQUIRE_EQUAL(in.values.size(), 3u);
  BOOST_TEST((constant(in.values[0]) == cql::Constant{Kind::string, "k1"}));
  BOOST_TEST(in.if_not_exists);
  BOOST_TEST((constant(*in.using_.ttl) == cql::Constant{Kind::integer, "86400"}));
  BOOST_REQUIRE_EQUAL(p.markers.size(), 3u);
  BOOST_TEST((p.markers[0] == cql::MarkerInfo{0, std::nullopt, Role::column, "data"}));
  BOOST_TEST((p.markers[1] == cql::MarkerInfo{1, "n", Role::column, "n"}));
  BOOST_TEST((p.markers[2] == cql::MarkerInfo{2, std::nullopt, Role::timestamp, ""}));
  BOOST_TEST((std::get<cql::BindMarker>(in.values[2].value) == cql::BindMarker{1, "n"}));
}

BOOST_AUTO_TEST_CASE(insert_literals) {
  auto in = parse_as<cql::Insert>(
      "INSERT INTO t (a,b,c,d,e,f,g,h,i,j,k,l) VALUES ('it''s', -12, 3.25, true, FALSE, null, "
      "6ba7b810-9dad-11d1-80b4-00c04fd430c8, 0xABcd, NaN, -Infinity, [1, 2], {'x': 1.5})");
  const cql::Constant want[] = {
      {Kind::string, "it's"},
      {Kind::integer, "-12"},
      {Kind::float_, "3.25"},
      {Kind::boolean, "true"},
      {Kind::boolean, "false"},
      {Kind::null, ""},
      {Kind::uuid, "6ba7b810-9dad-11d1-80b4-00c04fd430c8"},
      {Kind::blob, "0xABcd"},
      {Kind::nan, "NaN"},
      {Kind::infinity, "-Infinity"},
  };
  for (std::size_t i = 0; i < std::size(want); ++i)
    BOOST_TEST((constant(in.values[i]) == want[i]));
  const auto& list = std::get<cql::CollectionLiteral>(in.values[10].value);
  BOOST_TEST((list.kind == cql::CollectionLiteral::Kind::list));
  BOOST_TEST(list.elements.size() == 2u);
  const auto& map = std::get<cql::CollectionLiteral>(in.values[11].value);
  BOOST_TEST((map.kind == cql::CollectionLiteral::Kind::map));
  BOOST_REQUIRE_EQUAL(map.entries.size(), 1u);
  BOOST_TEST((constant(map.entries[0].second) == cql::Constant{Kind::float_, "1.5"}));
}

BOOST_AUTO_TEST_CASE(collection_literals_and_their_markers) {
  auto p =
      parse_ok("INSERT INTO t (k, s, m, l, e) VALUES (?, {?, 'b'}, {?: ?}, [[?]], {}) USING TTL ?");
  const auto& in = std::get<cql::Insert>(p.statement);
  BOOST_TEST((std::get<cql::CollectionLiteral>(in.values[1].value).kind ==
              cql::CollectionLiteral::Kind::set));
  const auto& empty = std::get<cql::CollectionLiteral>(in.values[4].value);
  BOOST_TEST((empty.kind == cql::CollectionLiteral::Kind::map));
  BOOST_TEST(empty.entries.empty());
  BOOST_REQUIRE_EQUAL(p.markers.size(), 6u);
  BOOST_TEST((p.markers[0] == cql::MarkerInfo{0, {}, Role::column, "k"}));
  BOOST_TEST((p.markers[1] == cql::MarkerInfo{1, {}, Role::element, "s"}));
  BOOST_TEST((p.markers[2] == cql::MarkerInfo{2, {}, Role::map_key, "m"}));
  BOOST_TEST((p.markers[3] == cql::MarkerInfo{3, {}, Role::element, "m"}));
  BOOST_TEST((p.markers[4] == cql::MarkerInfo{4, {}, Role::other, ""}));  // nested list
  BOOST_TEST((p.markers[5] == cql::MarkerInfo{5, {}, Role::ttl, ""}));
}

BOOST_AUTO_TEST_CASE(function_calls_and_tuples_as_terms) {
  auto in = parse_as<cql::Insert>(
      "INSERT INTO t (id, ts, pair) VALUES (now(), toTimestamp(now()), (1, 'a'))");
  const auto& now = std::get<cql::FunctionCall>(in.values[0].value);
  BOOST_TEST(now.name == "now");
  BOOST_TEST(now.args.empty());
  const auto& ts = std::get<cql::FunctionCall>(in.values[1].value);
  BOOST_TEST(ts.name == "totimestamp");
  BOOST_REQUIRE_EQUAL(ts.args.size(), 1u);
  BOOST_TEST(std::get<cql::TupleLiteral>(in.values[2].value).elements.size() == 2u);
}

BOOST_AUTO_TEST_CASE(update_forms) {
  auto p = parse_ok(
      "UPDATE ks.t USING TTL 10 SET data = ?, n = n + 1, l = [?] + l, m['k'] = ? WHERE pk = ? "
      "IF data = 'old' AND n != null");
  const auto& up = std::get<cql::Update>(p.statement);
  BOOST_TEST(up.using_.ttl.has_value());
  BOOST_REQUIRE_EQUAL(up.assignments.size(), 4u);
  BOOST_TEST((up.assignments[0].kind == cql::Assignment::Kind::set));
  BOOST_TEST((up.assignments[1].kind == cql::Assignment::Kind::add));
  BOOST_TEST((up.assignments[2].kind == cql::Assignment::Kind::prepend));
  BOOST_TEST((up.assignments[3].kind == cql::Assignment::Kind::set_element));
  BOOST_TEST((constant(*up.assignments[3].key) == cql::Constant{Kind::string, "k"}));
  BOOST_REQUIRE_EQUAL(up.where.size(), 1u);
  BOOST_TEST(up.where[0].columns == std::vector<std::string>{"pk"});
  BOOST_TEST((up.conditions.kind == cql::Conditions::Kind::columns));
  BOOST_REQUIRE_EQUAL(up.conditions.columns.size(), 2u);
  BOOST_TEST((up.conditions.columns[1].op == cql::Operator::ne));
  BOOST_REQUIRE_EQUAL(p.markers.size(), 4u);
  BOOST_TEST((p.markers[0] == cql::MarkerInfo{0, {}, Role::column, "data"}));
  BOOST_TEST((p.markers[1] == cql::MarkerInfo{1, {}, Role::element, "l"}));
  BOOST_TEST((p.markers[2] == cql::MarkerInfo{2, {}, Role::element, "m"}));
  BOOST_TEST((p.markers[3] == cql::MarkerInfo{3, {}, Role::column, "pk"}));

  auto exists = parse_as<cql::Update>("UPDATE t SET a = 1 WHERE k = 2 IF EXISTS");
  BOOST_TEST((exists.conditions.kind == cql::Conditions::Kind::exists));
  auto sub = parse_as<cql::Update>("UPDATE t SET c = c - 3 WHERE k = 2");
  BOOST_TEST((sub.assignments[0].kind == cql::Assignment::Kind::subtract));
}

BOOST_AUTO_TEST_CASE(delete_forms) {
  auto whole = parse_as<cql::Delete>("DELETE FROM ks.t WHERE pk = 'a'");
  BOOST_TEST(whole.columns.empty());
  BOOST_TEST((whole.conditions.kind == cql::Conditions::Kind::none));
  auto cols = parse_as<cql::Delete>(
      "DELETE data, n FROM t USING TIMESTAMP 1234 WHERE pk = ? IF data = 'x'");
  BOOST_TEST((cols.columns == std::vector<std::string>{"data", "n"}));
  BOOST_TEST((constant(*cols.using_.timestamp) == cql::Constant{Kind::integer, "1234"}));
  BOOST_TEST((cols.conditions.kind == cql::Conditions::Kind::columns));
  auto lwt = parse_as<cql::Delete>("DELETE FROM t WHERE pk = 1 IF EXISTS");
  BOOST_TEST((lwt.conditions.kind == cql::Conditions::Kind::exists));
}

BOOST_AUTO_TEST_CASE(select_forms) {
  auto star = parse_as<cql::Select>("SELECT * FROM ks.t");
  BOOST_TEST(star.star);
  BOOST_TEST(star.where.empty());

  auto cols = parse_as<cql::Select>(
      "select pk, data AS \"D\", token(pk), writetime(data) from t where pk = 'a' limit 10 "
      "allow filtering;");
  BOOST_REQUIRE_EQUAL(cols.selectors.size(), 4u);
  BOOST_TEST(cols.selectors[1].name == "data");
  BOOST_TEST(*cols.selectors[1].alias == "D");
  BOOST_TEST((cols.selectors[2].kind == cql::Selector::Kind::function));
  BOOST_TEST(cols.selectors[2].name == "token");
  BOOST_TEST((cols.selectors[3].kind == cql::Selector::Kind::writetime));
  BOOST_TEST(cols.selectors[3].name == "data");
  BOOST_TEST((constant(*cols.limit) == cql::Constant{Kind::integer, "10"}));
  BOOST_TEST(cols.allow_filtering);

  auto count = parse_as<cql::Select>("SELECT COUNT(*) AS n FROM t");
  BOOST_TEST((count.selectors[0].kind == cql::Selector::Kind::count_star));
  BOOST_TEST(*count.selectors[0].alias == "n");
  BOOST_TEST((parse_as<cql::Select>("SELECT count(1) FROM t").selectors[0].kind ==
              cql::Selector::Kind::count_star));
  // Unreserved keywords are column names.
  auto kw = parse_as<cql::Select>("SELECT count, key, ttl, json, distinct FROM t");
  BOOST_TEST(kw.selectors.size() == 5u);
  BOOST_TEST(kw.selectors[4].name == "distinct");
  BOOST_TEST(parse_as<cql::Select>("SELECT DISTINCT pk FROM t").distinct);
}

// Parser.g's selectionAddition / selectionMultiplication / selectionGroup / selectionFunction.
BOOST_AUTO_TEST_CASE(selector_expressions) {
  using SK = cql::Selector::Kind;
  auto s = parse_as<cql::Select>(
      "SELECT system.blobAsInt(intAsBlob(v)), CAST(v AS text), (bigint)?, v + 2 * -w, (v), "
      "'it''s', ttl(v) FROM t");
  BOOST_REQUIRE_EQUAL(s.selectors.size(), 7u);
  const auto& call = s.selectors[0];
  BOOST_TEST((call.kind == SK::function));
  BOOST_TEST(call.name == "blobasint");
  BOOST_REQUIRE_EQUAL(call.args.size(), 1u);
  BOOST_TEST(call.args[0].name == "intasblob");
  BOOST_TEST(call.args[0].args[0].name == "v");
  BOOST_TEST((s.selectors[1].kind == SK::cast));
  BOOST_TEST(s.selectors[1].text == "text");
  BOOST_TEST(
      (s.selectors[1].type == nosqlc::protocol::DataType::of(nosqlc::protocol::TypeId::varchar)));
  BOOST_TEST((s.selectors[2].kind == SK::hint));
  BOOST_TEST(s.selectors[2].text == "bigint");
  BOOST_TEST((s.selectors[2].args[0].kind == SK::term));
  // * binds tighter than +, unary minus tighter than both.
  const auto& sum = s.selectors[3];
  BOOST_TEST((sum.kind == SK::operation));
  BOOST_TEST(sum.name == "+");
  BOOST_TEST(sum.args[1].name == "*");
  BOOST_TEST(sum.args[1].args[1].name == "-");
  BOOST_TEST(sum.args[1].args[1].args.size() == 1u);
  BOOST_TEST((s.selectors[4].kind == SK::parens));
  BOOST_TEST(s.selectors[5].text == "'it''s'");  // as written: Cassandra names the column so
  BOOST_TEST((s.selectors[6].kind == SK::ttl));
  // Markers in the list are numbered with the rest of the statement's.
  auto m = cql::parse("SELECT intAsBlob(?) FROM t WHERE k = ?");
  BOOST_REQUIRE(m.has_value());
  BOOST_REQUIRE_EQUAL(m->markers.size(), 2u);
  BOOST_TEST((m->markers[0].role == cql::MarkerInfo::Role::selection));
  BOOST_TEST((m->markers[1].role == cql::MarkerInfo::Role::column));
}

BOOST_AUTO_TEST_CASE(alter_keyspace) {
  auto ak = parse_as<cql::AlterKeyspace>(
      "ALTER KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 3} "
      "AND durable_writes = false AND other = 1");
  BOOST_TEST(ak.name == "ks");
  BOOST_TEST(ak.replication.at("replication_factor") == "3");
  BOOST_TEST((ak.durable_writes == std::optional<bool>(false)));
  BOOST_REQUIRE_EQUAL(ak.other_properties.size(), 1u);
  BOOST_TEST(ak.other_properties[0].name == "other");
  auto only_durable = parse_as<cql::AlterKeyspace>("ALTER SCHEMA ks WITH durable_writes = true");
  BOOST_TEST(only_durable.replication.empty());
  BOOST_TEST(!cql::parse("ALTER KEYSPACE ks").has_value());
}

BOOST_AUTO_TEST_CASE(json_forms) {
  auto sel = parse_as<cql::Select>("SELECT JSON DISTINCT k FROM t");
  BOOST_TEST(sel.json);
  BOOST_TEST(sel.distinct);
  BOOST_TEST(!parse_as<cql::Select>("SELECT json FROM t").json);  // a column named json
  auto ins = parse_as<cql::Insert>(
      R"(INSERT INTO t JSON '{"k": 1}' DEFAULT UNSET IF NOT EXISTS USING TTL 5)");
  BOOST_REQUIRE(ins.json.has_value());
  BOOST_TEST((constant(*ins.json) == cql::Constant{Kind::string, R"({"k": 1})"}));
  BOOST_TEST(ins.json_default_unset);
  BOOST_TEST(ins.if_not_exists);
  BOOST_TEST(ins.using_.ttl.has_value());
  auto null_default = parse_as<cql::Insert>("INSERT INTO t JSON ? DEFAULT NULL");
  BOOST_TEST(!null_default.json_default_unset);
  BOOST_TEST(!cql::parse("INSERT INTO t JSON 3").has_value());
  BOOST_TEST(!cql::parse("INSERT INTO t JSON '{}' DEFAULT nothing").has_value());
}

BOOST_AUTO_TEST_CASE(select_in_and_token_relations) {
  auto p = parse_ok("SELECT * FROM t WHERE pk IN ('a', ?, 'c')");
  const auto& in = std::get<cql::Select>(p.statement);
  BOOST_TEST((in.where[0].op == cql::Operator::in));
  BOOST_TEST(in.where[0].in_values.size() == 3u);
  BOOST_TEST((p.markers[0] == cql::MarkerInfo{0, {}, Role::column, "pk"}));

  auto pm = parse_ok("SELECT * FROM t WHERE pk IN ? LIMIT ?");
  const auto& inq = std::get<cql::Select>(pm.statement);
  BOOST_TEST(inq.where[0].in_values.empty());
  BOOST_TEST(inq.where[0].value.has_value());
  BOOST_TEST((pm.markers[0] == cql::MarkerInfo{0, {}, Role::in_values, "pk"}));
  BOOST_TEST((pm.markers[1] == cql::MarkerInfo{1, {}, Role::limit, ""}));

  BOOST_TEST(parse_as<cql::Select>("SELECT * FROM t WHERE pk IN ()").where[0].in_values.empty());

  auto tp = parse_ok("SELECT pk FROM t WHERE token(pk) > ? AND TOKEN(pk) <= 9223372036854775807");
  const auto& tr = std::get<cql::Select>(tp.statement);
  BOOST_REQUIRE_EQUAL(tr.where.size(), 2u);
  BOOST_TEST(tr.where[0].token);
  BOOST_TEST((tr.where[0].op == cql::Operator::gt));
  BOOST_TEST((tr.where[1].op == cql::Operator::lte));
  BOOST_TEST((tp.markers[0] == cql::MarkerInfo{0, {}, Role::token, ""}));
  for (const char* op : {">", ">=", "<", "<="}) {
    BOOST_TEST_CONTEXT(op) {
      parse_ok(std::string("SELECT * FROM t WHERE token(pk) ") + op + " -5");
    }
  }
}

BOOST_AUTO_TEST_CASE(system_table_selects) {
  auto local = parse_as<cql::Select>("SELECT * FROM system.local WHERE key='local'");
  BOOST_TEST((local.table == cql::QualifiedName{"system", "local"}));
  BOOST_TEST(local.where[0].columns == std::vector<std::string>{"key"});
  auto peers = parse_as<cql::Select>("SELECT peer, rpc_address FROM system.peers");
  BOOST_TEST(peers.selectors.size() == 2u);
  auto schema = parse_as<cql::Select>(
      "SELECT * FROM system_schema.tables WHERE keyspace_name = 'ks' AND table_name = 't'");
  BOOST_TEST(schema.where.size() == 2u);
  auto contains = parse_as<cql::Select>(
      "SELECT * FROM t WHERE tags CONTAINS 'x' AND m CONTAINS KEY 'k' AND n >= 3 ALLOW "
      "FILTERING");
  BOOST_TEST((contains.where[0].op == cql::Operator::contains));
  BOOST_TEST((contains.where[1].op == cql::Operator::contains_key));
  BOOST_TEST((contains.where[2].op == cql::Operator::gte));
}

BOOST_AUTO_TEST_CASE(comments_semicolons_and_layout) {
  auto s = parse_as<cql::Select>(
      "-- leading comment\n/* block\ncomment */ SELECT // trailing\n * FROM t ;;");
  BOOST_TEST(s.star);
  parse_ok("  \n\tUSE ks\n");
}

BOOST_AUTO_TEST_SUITE_END()
