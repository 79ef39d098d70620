// The executor's data statements: INSERT, UPDATE, DELETE and SELECT, literals of every type,
// collections, TTL and timestamps, BATCH, and their errors.
#include "executor_fixture.hpp"

using namespace sandbox_test;

namespace {

struct DataFixture : ExecutorFixture {
  DataFixture() {
    ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
       "1}");
    ok("USE ks");
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_executor_data, DataFixture)

BOOST_AUTO_TEST_CASE(insert_then_select_by_key_and_star_order) {
  ok("CREATE TABLE t (pk text PRIMARY KEY, zeta int, alpha text)");
  ok("INSERT INTO t (pk, zeta, alpha) VALUES ('a', 1, 'x')");
  ok("INSERT INTO t (zeta, pk) VALUES (2, 'b')");
  auto r = ok("SELECT * FROM t WHERE pk = 'a'");
  // SELECT *: the partition key, then the other columns by name.
  BOOST_TEST((column_names(r) == std::vector<std::string>{"pk", "alpha", "zeta"}));
  BOOST_TEST(json::serialize(rows(r)) == R"([["a","x",1]])");
  BOOST_TEST(json::serialize(select("SELECT alpha, zeta FROM t WHERE pk = 'b'")) ==
             R"([[null,2]])");
  BOOST_TEST(select("SELECT * FROM t WHERE pk = 'nope'").empty());
  const auto& meta = rows_of(r).metadata;
  BOOST_TEST(meta.columns[0].keyspace == "ks");
  BOOST_TEST(meta.columns[0].table == "t");
}

BOOST_AUTO_TEST_CASE(literals_of_every_native_type) {
  ok("CREATE TABLE ty (k int PRIMARY KEY, a ascii, b bigint, bl blob, bo boolean, d date, "
     "de decimal, do double, du duration, f float, i inet, s smallint, te text, ti time, "
     "ts timestamp, tu timeuuid, tn tinyint, u uuid, vc varchar, vi varint)");
  ok("INSERT INTO ty (k, a, b, bl, bo, d, de, do, du, f, i, s, te, ti, ts, tu, tn, u, vc, vi) "
     "VALUES (1, 'abc', -9223372036854775808, 0xCAFE, true, '2024-02-29', 123.450, 1.5e3, "
     "1h30m, -2.5, '2001:db8::1', -32768, 'héllo', '13:14:15.123456789', "
     "'2011-02-03 04:05:06.007+0100', 50554d6e-29bb-11e5-b345-feff819cdc9f, 127, "
     "01234567-0123-4567-89ab-0123456789ab, 'v', 123456789012345678901234567890)");
  auto got = select("SELECT * FROM ty");
  BOOST_REQUIRE(got.size() == 1u);
  json::object by_name;
  auto names = column_names(ok("SELECT * FROM ty"));
  for (std::size_t i = 0; i < names.size(); ++i)
    by_name[names[i]] = got[0].as_array()[i];
  BOOST_TEST(by_name["a"] == json::value("abc"));
  BOOST_TEST(by_name["b"] == json::value(INT64_MIN));
  BOOST_TEST(by_name["bl"] == json::value("0xcafe"));
  BOOST_TEST(by_name["bo"] == json::value(true));
  BOOST_TEST(by_name["d"] == json::value("2024-02-29"));
  BOOST_TEST(by_name["de"] == json::value("123.450"));
  BOOST_TEST(by_name["do"] == json::value(1500.0));
  BOOST_TEST(by_name["du"] == json::value("1h30m"));
  BOOST_TEST(by_name["f"] == json::value(-2.5));
  BOOST_TEST(by_name["i"] == json::value("2001:db8::1"));
  BOOST_TEST(by_name["s"] == json::value(-32768));
  BOOST_TEST(by_name["te"] == json::value("héllo"));
  BOOST_TEST(by_name["ti"] == json::value("13:14:15.123456789"));
  BOOST_TEST(by_name["ts"] == json::value("2011-02-03T03:05:06.007Z"));  // the +0100 applied
  BOOST_TEST(by_name["tu"] == json::value("50554d6e-29bb-11e5-b345-feff819cdc9f"));
  BOOST_TEST(by_name["tn"] == json::value(127));
  BOOST_TEST(by_name["u"] == json::value("01234567-0123-4567-89ab-0123456789ab"));
  BOOST_TEST(by_name["vi"] == json::value("123456789012345678901234567890"));
}

BOOST_AUTO_TEST_CASE(bad_literals_are_invalid_naming_the_column) {
  ok("CREATE TABLE t (k int PRIMARY KEY, v int, a ascii, tu timeuuid)");
  BOOST_TEST(fails("INSERT INTO t (k, v) VALUES (1, 'x')") ==
             "Invalid: Invalid STRING constant (x) for \"v\" of type int");
  BOOST_TEST(fails("INSERT INTO t (k, v) VALUES (1, 3000000000)") ==
             "Invalid: Invalid INTEGER constant (3000000000) for \"v\" of type int");
  BOOST_TEST(fails("INSERT INTO t (k, a) VALUES (1, 'é')").starts_with("Invalid: Invalid STRING"));
  // A version 4 UUID is not a timeuuid.
  BOOST_TEST(fails("INSERT INTO t (k, tu) VALUES (1, 01234567-0123-4567-89ab-0123456789ab)")
                 .starts_with("Invalid: Invalid UUID constant"));
  BOOST_TEST(fails("INSERT INTO t (k, nope) VALUES (1, 2)") ==
             "Invalid: Undefined column name nope");
  BOOST_TEST(fails("INSERT INTO t (v) VALUES (2)") ==
             "Invalid: Some partition key parts are missing: k");
  BOOST_TEST(fails("INSERT INTO t (k, v) VALUES (null, 2)") ==
             "Invalid: Invalid null value in condition for column k");
  // UpdateStatement.ParsedInsert.prepareInternal (Cassandra 4.0) checks names for duplicates
  // before it looks them up.
  BOOST_TEST(fails("INSERT INTO t (k, k) VALUES (1, 2)") ==
             "Invalid: The column names contains duplicates");
  BOOST_TEST(fails("INSERT INTO t (k, nope, nope) VALUES (1, 2, 3)") ==
             "Invalid: The column names contains duplicates");
  BOOST_TEST(fails("INSERT INTO t (k, v) VALUES (?, ?)", {int_value(1), text("abc")})
                 .starts_with("Invalid: Invalid value for v of type int"));
  BOOST_TEST(fails("INSERT INTO t (k, v) VALUES (?, ?)", {int_value(1)}) ==
             "Invalid: There were 2 markers(?) in CQL but 1 bound variables");
  BOOST_TEST(select("SELECT * FROM t").empty());
}

BOOST_AUTO_TEST_CASE(update_upserts_and_delete_removes) {
  ok("CREATE TABLE t (k text PRIMARY KEY, a int, b int)");
  ok("UPDATE t SET a = 1 WHERE k = 'x'");
  BOOST_TEST(json::serialize(select("SELECT k, a, b FROM t")) == R"([["x",1,null]])");
  ok("UPDATE t SET a = 2, b = 3 WHERE k IN ('x', 'y')");
  BOOST_TEST(select("SELECT * FROM t").size() == 2u);
  ok("DELETE b FROM t WHERE k = 'x'");
  BOOST_TEST(json::serialize(select("SELECT a, b FROM t WHERE k = 'x'")) == R"([[2,null]])");
  // A row that only UPDATE wrote disappears once its cells are gone (no row marker).
  ok("DELETE a FROM t WHERE k = 'x'");
  BOOST_TEST(select("SELECT * FROM t WHERE k = 'x'").empty());
  ok("DELETE FROM t WHERE k = 'y'");
  BOOST_TEST(select("SELECT * FROM t").empty());
  // An INSERTed row stays while its key lives, even with every other cell null.
  ok("INSERT INTO t (k) VALUES ('z')");
  BOOST_TEST(json::serialize(select("SELECT * FROM t")) == R"([["z",null,null]])");
  BOOST_TEST(fails("UPDATE t SET a = 1 WHERE a = 2") ==
             "Invalid: Non PRIMARY KEY columns found in where clause: a ");
  BOOST_TEST(fails("UPDATE t SET k = 'q' WHERE k = 'z'") ==
             "Invalid: PRIMARY KEY part k found in SET part");
  BOOST_TEST(fails("DELETE FROM t WHERE token(k) > 0").starts_with("Invalid: The token function"));
}

BOOST_AUTO_TEST_CASE(collections_are_sorted_and_operated_on) {
  ok("CREATE TABLE c (k int PRIMARY KEY, l list<int>, s set<text>, m map<int, text>)");
  ok("INSERT INTO c (k, l, s, m) VALUES (1, [3, 1, 3], {'b', 'a', 'b'}, {2: 'two', 1: 'one'})");
  BOOST_TEST(json::serialize(select("SELECT l, s, m FROM c")) ==
             R"([[[3,1,3],["a","b"],[[1,"one"],[2,"two"]]]])");
  ok("UPDATE c SET l = l + [4], s = s + {'0'}, m = m + {0: 'zero', 2: 'TWO'} WHERE k = 1");
  ok("UPDATE c SET l = [0] + l WHERE k = 1");
  BOOST_TEST(json::serialize(select("SELECT l, s, m FROM c")) ==
             R"([[[0,3,1,3,4],["0","a","b"],[[0,"zero"],[1,"one"],[2,"TWO"]]]])");
  ok("UPDATE c SET l = l - [3], s = s - {'a'}, m = m - {1} WHERE k = 1");
  ok("UPDATE c SET m[5] = 'five', l[0] = 9 WHERE k = 1");
  BOOST_TEST(json::serialize(select("SELECT l, s, m FROM c")) ==
             R"([[[9,1,4],["0","b"],[[0,"zero"],[2,"TWO"],[5,"five"]]]])");
  BOOST_TEST(fails("UPDATE c SET l[7] = 1 WHERE k = 1") ==
             "Invalid: List index 7 out of bound, list has size 3");
  BOOST_TEST(json::serialize(select("SELECT l FROM c")) == R"([[[9,1,4]]])");
  // Removing the last elements leaves null, as in Cassandra.
  ok("UPDATE c SET s = s - {'0', 'b'} WHERE k = 1");
  BOOST_TEST(json::serialize(select("SELECT s FROM c")) == R"([[null]])");
  BOOST_TEST(fails("INSERT INTO c (k, l) VALUES (2, [1, null])") ==
             "Invalid: null is not supported inside collections");
  BOOST_TEST(fails("UPDATE c SET s = s + [1] WHERE k = 1").starts_with("Invalid"));
}

// Drivers read frozen<> from system_schema.columns (the Python driver's cql_type, the Node.js
// driver's options.frozen); the sandbox used to lose it for a top-level collection.
BOOST_AUTO_TEST_CASE(frozen_collections_are_described_and_replaced_whole) {
  ok("CREATE TABLE f (k frozen<set<int>> PRIMARY KEY, l frozen<list<int>>, "
     "m frozen<map<int, text>>, s set<int>, t frozen<tuple<int, text>>, "
     "n map<int, frozen<list<int>>>)");
  BOOST_TEST(json::serialize(select("SELECT column_name, type FROM system_schema.columns WHERE "
                                    "keyspace_name = 'ks' AND table_name = 'f'")) ==
             R"([["k","frozen<set<int>>"],["l","frozen<list<int>>"],)"
             R"(["m","frozen<map<int, text>>"],["n","map<int, frozen<list<int>>>"],)"
             R"(["s","set<int>"],["t","frozen<tuple<int, text>>"]])");
  // A frozen set as the key: written and read in any element order, it is one key.
  ok("INSERT INTO f (k, l) VALUES ({2, 1}, [3, 1])");
  BOOST_TEST(json::serialize(select("SELECT k, l FROM f WHERE k = {1, 2}")) ==
             R"([[[1,2],[3,1]]])");
  ok("UPDATE f SET l = [5] WHERE k = {1, 2}");
  BOOST_TEST(json::serialize(select("SELECT l FROM f WHERE k = {2, 1}")) == R"([[[5]]])");
  BOOST_TEST(fails("UPDATE f SET l = l + [4] WHERE k = {1, 2}") ==
             "Invalid: Invalid operation (l = l + ...) for frozen collection column l");
  BOOST_TEST(fails("UPDATE f SET l = [0] + l WHERE k = {1, 2}") ==
             "Invalid: Invalid operation (l = ... + l) for frozen collection column l");
  BOOST_TEST(fails("UPDATE f SET m = m - {1} WHERE k = {1, 2}") ==
             "Invalid: Invalid operation (m = m - ...) for frozen collection column m");
  BOOST_TEST(fails("UPDATE f SET m[1] = 'one' WHERE k = {1, 2}") ==
             "Invalid: Invalid operation (m[?] = ...) for frozen collection column m");
  ok("UPDATE f SET s = s + {7} WHERE k = {1, 2}");  // not frozen
  BOOST_TEST(fails("CREATE TABLE g (k int PRIMARY KEY, v frozen<int>)") ==
             "Invalid: frozen<> is only allowed on collections, tuples, and user-defined types "
             "(got int)");
  BOOST_TEST(fails("CREATE TABLE g (k set<int> PRIMARY KEY)") ==
             "Invalid: Invalid non-frozen collection type for PRIMARY KEY component k");
}

// Cassandra's CQL3Type.RawCollection.prepare refuses a non-frozen collection directly inside a
// non-frozen one, quoting the type as written; the sandbox used to store it frozen instead.
BOOST_AUTO_TEST_CASE(non_frozen_collections_inside_collections_are_invalid) {
  const std::string prefix = "Invalid: Non-frozen collections are not allowed inside collections: ";
  // The keyspace and the table are looked for first.
  BOOST_TEST(fails("CREATE TABLE k.t (a int PRIMARY KEY, b list<list<int>>)") ==
             "Invalid: Keyspace 'k' doesn't exist");
  ok("CREATE KEYSPACE k WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  BOOST_TEST(fails("CREATE TABLE k.t (a int PRIMARY KEY, b list<list<int>>)") ==
             prefix + "list<list<int>>");
  ok("CREATE TABLE k.t (a int PRIMARY KEY)");
  ok("CREATE TABLE IF NOT EXISTS k.t (a int PRIMARY KEY, b list<list<int>>)");
  BOOST_TEST(fails("CREATE TABLE k.t (a int PRIMARY KEY, b list<list<int>>)") ==
             "Already_exists: Cannot add already existing table \"t\" to keyspace \"k\"");
  BOOST_TEST(fails("CREATE TABLE n (a int PRIMARY KEY, b set<frozen<list<int>>>, "
                   "c map<varchar, set<int>>)") == prefix + "map<varchar, set<int>>");
  BOOST_TEST(fails("CREATE TABLE n (a int PRIMARY KEY, b map<frozen<set<int>>, list<int>>)") ==
             prefix + "map<frozen<set<int>>, list<int>>");
  BOOST_TEST(fails("CREATE TABLE n (a int PRIMARY KEY, b map<list<int>, int>)") ==
             prefix + "map<list<int>, int>");
  // One level down: the outer list is fine, the set inside it is not.
  BOOST_TEST(fails("CREATE TABLE n (a int PRIMARY KEY, b list<frozen<list<int>>>, "
                   "c set<frozen<list<map<int, list<int>>>>>, d list<set<frozen<list<int>>>>)") ==
             prefix + "list<set<frozen<list<int>>>>");
  // Before anything about the key (Cassandra prepares the types first).
  BOOST_TEST(fails("CREATE TABLE n (a set<int> PRIMARY KEY, b list<list<int>>)") ==
             prefix + "list<list<int>>");
  BOOST_TEST(fails("CREATE TABLE n (a int PRIMARY KEY, b frozen<int>, c list<list<int>>)") ==
             prefix + "list<list<int>>");
  BOOST_TEST(
      select("SELECT table_name FROM system_schema.tables WHERE keyspace_name = 'ks'").empty());

  // Frozen inside, frozen outside (which freezes everything in it), and tuples (which freeze
  // what they hold) are all accepted.
  ok("CREATE TABLE f (a int PRIMARY KEY, b list<frozen<list<int>>>, "
     "c frozen<list<list<int>>>, d map<frozen<set<int>>, frozen<map<int, list<int>>>>, "
     "e list<tuple<int, list<int>>>, g frozen<map<text, set<int>>>)");
  BOOST_TEST(json::serialize(select("SELECT column_name, type FROM system_schema.columns WHERE "
                                    "keyspace_name = 'ks' AND table_name = 'f'")) ==
             R"([["a","int"],["b","list<frozen<list<int>>>"],)"
             R"(["c","frozen<list<frozen<list<int>>>>"],)"
             R"(["d","map<frozen<set<int>>, frozen<map<int, frozen<list<int>>>>>"],)"
             R"(["e","list<frozen<tuple<int, frozen<list<int>>>>>"],)"
             R"(["g","frozen<map<text, frozen<set<int>>>>"]])");
  ok("INSERT INTO f (a, b, c) VALUES (1, [[1, 2], [3]], [[4]])");
  BOOST_TEST(json::serialize(select("SELECT b, c FROM f WHERE a = 1")) ==
             R"([[[[1,2],[3]],[[4]]]])");
}

BOOST_AUTO_TEST_CASE(ttl_expires_and_timestamps_decide) {
  ok("CREATE TABLE t (k int PRIMARY KEY, v text)");
  ok("INSERT INTO t (k, v) VALUES (1, 'short') USING TTL 10");
  BOOST_TEST(select("SELECT * FROM t").size() == 1u);
  test_now() += 11'000'000;
  BOOST_TEST(select("SELECT * FROM t").empty());
  ok("INSERT INTO t (k, v) VALUES (2, 'new') USING TIMESTAMP 2000");
  ok("INSERT INTO t (k, v) VALUES (2, 'old') USING TIMESTAMP 1000");  // loses
  BOOST_TEST(json::serialize(select("SELECT v FROM t WHERE k = 2")) == R"([["new"]])");
  ok("DELETE FROM t USING TIMESTAMP 1500 WHERE k = 2");  // older than the write: no effect
  BOOST_TEST(select("SELECT v FROM t WHERE k = 2").size() == 1u);
  BOOST_TEST(fails("INSERT INTO t (k, v) VALUES (3, 'x') USING TTL -1")
                 .starts_with("Invalid: A TTL must be greater or equal to 0"));
}

BOOST_AUTO_TEST_CASE(select_forms) {
  ok("CREATE TABLE t (k int PRIMARY KEY, v int)");
  for (int i = 0; i < 20; ++i)
    ok("INSERT INTO t (k, v) VALUES (" + std::to_string(i) + ", " + std::to_string(i % 3) + ")");
  BOOST_TEST(json::serialize(select("SELECT COUNT(*) FROM t")) == R"([[20]])");
  BOOST_TEST(json::serialize(select("SELECT count(*) FROM t LIMIT 5")) == R"([[5]])");
  BOOST_TEST(select("SELECT * FROM t LIMIT 7").size() == 7u);
  auto in = select("SELECT k FROM t WHERE k IN (3, 1, 3, 99)");
  BOOST_TEST(in.size() == 2u);  // each once, missing keys absent
  // Rows come in token order: token(k) never decreases.
  auto all = select("SELECT token(k), k FROM t");
  BOOST_REQUIRE(all.size() == 20u);
  for (std::size_t i = 1; i < all.size(); ++i)
    BOOST_TEST(all[i - 1].as_array()[0].as_int64() <= all[i].as_array()[0].as_int64());
  // A token range returns exactly the rows whose tokens are in it.
  std::int64_t mid = all[10].as_array()[0].as_int64();
  auto upper = select("SELECT k FROM t WHERE token(k) > " + std::to_string(mid));
  BOOST_TEST(upper.size() == 9u);
  auto lower = select("SELECT k FROM t WHERE token(k) <= " + std::to_string(mid));
  BOOST_TEST(lower.size() == 11u);
  BOOST_TEST(fails("SELECT * FROM t WHERE v = 1").find("use ALLOW FILTERING") != std::string::npos);
  BOOST_TEST(select("SELECT * FROM t WHERE v = 1 ALLOW FILTERING").size() == 7u);
  BOOST_TEST(fails("SELECT * FROM t WHERE k > 3").starts_with("Invalid: Only EQ and IN relation"));
  BOOST_TEST(fails("SELECT * FROM t LIMIT 0") == "Invalid: LIMIT must be strictly positive");
  BOOST_TEST(fails("SELECT nope FROM t") == "Invalid: Undefined column name nope");
  auto aliased = ok("SELECT v AS value FROM t WHERE k = 1");
  BOOST_TEST((column_names(aliased) == std::vector<std::string>{"value"}));
}

// Cassandra 4 reads pk IN (...) partitions in the order of the key type's comparator, each
// value once (PartitionKeySingleRestrictionSet.values into MultiCBuilder's sorted set), and the
// LIMIT counts rows in that order; token order would differ.
BOOST_AUTO_TEST_CASE(in_returns_partitions_sorted_by_the_key_type) {
  ok("CREATE TABLE i (k int PRIMARY KEY, v text)");
  for (int k : {-2147483647 - 1, -70000, -3, 0, 5, 7, 100, 65536, 2147483647})
    ok("INSERT INTO i (k, v) VALUES (" + std::to_string(k) + ", 'x')");
  const std::string in =
      "SELECT k FROM i WHERE k IN (100, 5, -3, 999, 7, -3, 2147483647, 0, "
      "-70000, 65536, 5, -2147483648)";
  BOOST_TEST(json::serialize(select(in)) ==
             "[[-2147483648],[-70000],[-3],[0],[5],[7],[100],[65536],[2147483647]]");
  BOOST_TEST(json::serialize(select(in + " LIMIT 4")) == "[[-2147483648],[-70000],[-3],[0]]");
  // Not the token order, which a scan keeps.
  auto scan = select("SELECT k FROM i");
  BOOST_TEST(json::serialize(scan) != json::serialize(select(in)));
  // A bound list: the same order.
  std::vector<pr::Bytes> elems;
  for (int k : {65536, -3, 7, -3})
    elems.push_back(int_value(k));
  std::vector<pr::BytesView> views(elems.begin(), elems.end());
  pr::Bytes list;
  BOOST_REQUIRE(pr::encode_collection(views, list).ok());
  BOOST_TEST(json::serialize(rows(ok("SELECT k FROM i WHERE k IN ?", {list}))) ==
             "[[-3],[7],[65536]]");

  // Text as unsigned UTF-8 bytes: 'B' < 'a' < 'ab' < 'b' < 'é'.
  ok("CREATE TABLE s (k text PRIMARY KEY, n int)");
  for (std::string k : {"a", "ab", "b", "B", "\xC3\xA9"})
    ok("INSERT INTO s (k, n) VALUES ('" + k + "', 1)");
  const std::string text_in =
      "SELECT k FROM s WHERE k IN ('b', '\xC3\xA9', 'a', 'B', 'zz', 'ab', 'a')";
  BOOST_TEST(json::serialize(select(text_in)) ==
             "[[\"B\"],[\"a\"],[\"ab\"],[\"b\"],[\"\xC3\xA9\"]]");
  BOOST_TEST(json::serialize(select(text_in + " LIMIT 2")) == "[[\"B\"],[\"a\"]]");
  // varint by value, whatever its length (as bytes, 255 = 00 ff would come before -1 = ff).
  ok("CREATE TABLE n (k varint PRIMARY KEY, n int)");
  for (std::string k : {"-1", "255", "256", "-256", "100000000000000000000"})
    ok("INSERT INTO n (k, n) VALUES (" + k + ", 1)");
  BOOST_TEST(json::serialize(select("SELECT k FROM n WHERE k IN (256, 100000000000000000000, "
                                    "-1, 255, -256)")) ==
             R"([[-256],[-1],[255],[256],["100000000000000000000"]])");
}

BOOST_AUTO_TEST_CASE(batch_applies_everything_or_nothing) {
  ok("CREATE TABLE t (k int PRIMARY KEY, v text)");
  pr::Batch b;
  std::string s1 = "INSERT INTO t (k, v) VALUES (1, 'a')";
  std::string s2 = "INSERT INTO t (k, v) VALUES (2, 'b')";
  std::string bad = "INSERT INTO t (k, nope) VALUES (3, 'c')";
  b.statements = {
      {std::string_view(s1), {}}, {std::string_view(s2), {}}, {std::string_view(bad), {}}};
  auto r = ex.batch(b, state);
  BOOST_TEST(error(r) == "Invalid: Undefined column name nope");
  BOOST_TEST(select("SELECT * FROM t").empty());
  b.statements.pop_back();
  auto r2 = ex.batch(b, state);
  BOOST_TEST(error(r2).empty());
  BOOST_TEST(select("SELECT * FROM t").size() == 2u);
  std::string sel = "SELECT * FROM t";
  b.statements = {{std::string_view(sel), {}}};
  BOOST_TEST(error(ex.batch(b, state)).starts_with("Invalid: Invalid statement in batch"));
}

BOOST_AUTO_TEST_CASE(functions_in_values) {
  ok("CREATE TABLE t (k int PRIMARY KEY, tu timeuuid, u uuid, ts timestamp)");
  ok("INSERT INTO t (k, tu, u, ts) VALUES (1, now(), uuid(), toTimestamp(now()))");
  auto got = select("SELECT tu, u, ts FROM t");
  BOOST_REQUIRE(got.size() == 1u);
  std::string tu(got[0].as_array()[0].as_string());
  std::string u(got[0].as_array()[1].as_string());
  BOOST_TEST(tu[14] == '1');  // version 1
  BOOST_TEST(u[14] == '4');   // version 4
  BOOST_TEST(fails("INSERT INTO t (k, ts) VALUES (2, now())")
                 .starts_with("Invalid: Type error: cannot assign result of function system.now"));
  BOOST_TEST(fails("INSERT INTO t (k, u) VALUES (2, nosuch())") ==
             "Invalid: Unknown function 'nosuch'");
}

BOOST_AUTO_TEST_CASE(cassandra_edge_cases) {
  ok("CREATE TABLE e (k int PRIMARY KEY, s set<int>, fs frozen<set<int>>, d double, "
     "ts timestamp, v int)");
  // An empty non-frozen collection is no cells: null. A frozen one is a value.
  ok("INSERT INTO e (k, s, fs) VALUES (1, {}, {})");
  BOOST_TEST(json::serialize(select("SELECT s, fs FROM e WHERE k = 1")) == R"([[null,[]]])");
  ok("UPDATE e SET s = {} WHERE k = 1");
  BOOST_TEST(json::serialize(select("SELECT s FROM e WHERE k = 1")) == R"([[null]])");
  // Too large for a double is infinite, as Java parses it.
  ok("INSERT INTO e (k, d) VALUES (2, 1e999)");
  BOOST_TEST(json::serialize(select("SELECT d FROM e WHERE k = 2")) == R"([["Infinity"]])");
  // Zone offsets beyond 18 hours do not exist.
  BOOST_TEST(fails("INSERT INTO e (k, ts) VALUES (3, '2020-01-01 00:00:00+9999')")
                 .starts_with("Invalid: Invalid STRING constant"));
  ok("CREATE TABLE du (k int PRIMARY KEY, d duration)");
  ok("INSERT INTO du (k, d) VALUES (1, -2mo3D4h5m6s7ms8us9ns)");
  BOOST_TEST(json::serialize(select("SELECT d FROM du")) == R"([["-2mo3d4h5m6s7ms8us9ns"]])");
  BOOST_TEST(fails("INSERT INTO du (k, d) VALUES (2, 12)")
                 .starts_with("Invalid: Invalid INTEGER constant (12) for \"d\" of type duration"));
  BOOST_TEST(fails("SELECT * FROM e WHERE v = 1 AND v = 2 ALLOW FILTERING") ==
             "Invalid: v cannot be restricted by more than one relation if it includes an Equal");
  pr::Batch counter;
  counter.type = pr::BatchType::counter;
  std::string stmt = "INSERT INTO e (k, v) VALUES (9, 9)";
  counter.statements = {{std::string_view(stmt), {}}};
  BOOST_TEST(error(ex.batch(counter, state)) ==
             "Invalid: Cannot include non-counter statement in a counter batch");
  BOOST_TEST(select("SELECT * FROM e WHERE k = 9").empty());
}

BOOST_AUTO_TEST_SUITE_END()
