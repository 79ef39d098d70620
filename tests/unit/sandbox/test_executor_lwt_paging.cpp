// Lightweight transactions ([applied] and the current row), paging that resumes exactly, and
// prepared statements (ids, bind metadata, Unprepared).
#include "executor_fixture.hpp"

#include <set>

using namespace sandbox_test;

namespace {

struct LwtFixture : ExecutorFixture {
  LwtFixture() {
    ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': "
       "1}");
    ok("USE ks");
    ok("CREATE TABLE t (k text PRIMARY KEY, data text, n int)");
  }

  // The k of every row, reading page by page with `page_size`.
  std::vector<std::string> paged_keys(const std::string& cql, int page_size, int* pages = nullptr,
                                      const std::function<void()>& between = {}) {
    std::vector<std::string> keys;
    pr::Bytes state_bytes;
    bool more = true;
    int count = 0;
    while (more) {
      pr::QueryParameters p;
      p.page_size = page_size;
      if (count > 0) p.paging_state = pr::BytesView(state_bytes);
      auto r = ok(cql, {}, p);
      ++count;
      for (const auto& row : rows(r))
        keys.emplace_back(row.as_array()[0].as_string());
      const auto& ps = rows_of(r).metadata.paging_state;
      more = ps.has_value();
      if (more) state_bytes.assign(ps->begin(), ps->end());
      if (between) between();
      BOOST_REQUIRE(count < 1000);
    }
    if (pages) *pages = count;
    return keys;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_executor_lwt, LwtFixture)

BOOST_AUTO_TEST_CASE(insert_if_not_exists) {
  auto r = ok("INSERT INTO t (k, data) VALUES ('a', 'one') IF NOT EXISTS");
  BOOST_TEST((column_names(r) == std::vector<std::string>{"[applied]"}));
  BOOST_TEST(json::serialize(rows(r)) == "[[true]]");
  auto again = ok("INSERT INTO t (k, data) VALUES ('a', 'two') IF NOT EXISTS");
  // Not applied: [applied] false and the row that is there, every column.
  BOOST_TEST((column_names(again) == std::vector<std::string>{"[applied]", "k", "data", "n"}));
  BOOST_TEST(json::serialize(rows(again)) == R"([[false,"a","one",null]])");
  BOOST_TEST(json::serialize(select("SELECT data FROM t WHERE k = 'a'")) == R"([["one"]])");
  BOOST_TEST(fails("INSERT INTO t (k) VALUES ('b') IF NOT EXISTS USING TIMESTAMP 5") ==
             "Invalid: Cannot provide custom timestamp for conditional updates");
}

BOOST_AUTO_TEST_CASE(update_if_column_compares_and_sets) {
  ok("INSERT INTO t (k, data) VALUES ('a', 'v1')");
  auto applied = ok("UPDATE t SET data = 'v2' WHERE k = 'a' IF data = 'v1'");
  BOOST_TEST(json::serialize(rows(applied)) == "[[true]]");
  auto lost = ok("UPDATE t SET data = 'v3' WHERE k = 'a' IF data = 'v1'");
  // Not applied: the columns of the condition, with what they hold now.
  BOOST_TEST((column_names(lost) == std::vector<std::string>{"[applied]", "data"}));
  BOOST_TEST(json::serialize(rows(lost)) == R"([[false,"v2"]])");
  // On a missing row: only [applied].
  auto missing = ok("UPDATE t SET data = 'x' WHERE k = 'zz' IF data = 'v1'");
  BOOST_TEST((column_names(missing) == std::vector<std::string>{"[applied]"}));
  BOOST_TEST(json::serialize(rows(missing)) == "[[false]]");
  BOOST_TEST(select("SELECT * FROM t WHERE k = 'zz'").empty());
  auto exists = ok("UPDATE t SET n = 1 WHERE k = 'a' IF EXISTS");
  BOOST_TEST(json::serialize(rows(exists)) == "[[true]]");
  auto gone = ok("DELETE FROM t WHERE k = 'a' IF data = 'v2'");
  BOOST_TEST(json::serialize(rows(gone)) == "[[true]]");
  BOOST_TEST(select("SELECT * FROM t").empty());
  BOOST_TEST(fails("UPDATE t SET data = 'x' WHERE k IN ('a', 'b') IF EXISTS") ==
             "Invalid: IN on the partition key is not supported with conditional updates");
}

BOOST_AUTO_TEST_CASE(paging_returns_every_row_once_in_token_order) {
  for (int i = 0; i < 25; ++i)
    ok("INSERT INTO t (k) VALUES ('key" + std::to_string(i) + "')");
  auto all = select("SELECT k FROM t");
  std::vector<std::string> expected;
  for (const auto& row : all)
    expected.emplace_back(row.as_array()[0].as_string());
  int pages = 0;
  auto keys = paged_keys("SELECT k FROM t", 10, &pages);
  BOOST_TEST(keys == expected);
  BOOST_TEST(pages == 3);
  // A LIMIT holds across pages.
  BOOST_TEST(paged_keys("SELECT k FROM t LIMIT 12", 5).size() == 12u);
  // pk IN pages too.
  BOOST_TEST(paged_keys("SELECT k FROM t WHERE k IN ('key1', 'key2', 'key3', 'key4')", 3).size() ==
             4u);
}

// Cassandra 4.0's pagers (service/pager/AbstractQueryPager.java, Pager.onClose): a page is the
// last when it counted fewer rows than asked, so one that fills exactly carries a paging state
// and the next comes back empty; a spent LIMIT ends paging (remaining == 0); one key is one row
// (SinglePartitionPager) and an IN ends with the pager of its last value
// (MultiPartitionPager.isExhausted).
BOOST_AUTO_TEST_CASE(a_page_that_fills_exactly_is_followed_by_an_empty_one) {
  for (int i = 0; i < 20; ++i)
    ok("INSERT INTO t (k) VALUES ('key" + std::to_string(i) + "')");
  int pages = 0;
  BOOST_TEST(paged_keys("SELECT k FROM t", 10, &pages).size() == 20u);
  BOOST_TEST(pages == 3);
  auto last = ok("SELECT k FROM t", {}, [] {
    pr::QueryParameters p;
    p.page_size = 20;
    return p;
  }());
  BOOST_TEST(rows(last).size() == 20u);
  BOOST_TEST(rows_of(last).metadata.paging_state.has_value());
  BOOST_TEST(paged_keys("SELECT k FROM t", 21, &pages).size() == 20u);
  BOOST_TEST(pages == 1);
  BOOST_TEST(paged_keys("SELECT k FROM t LIMIT 20", 10, &pages).size() == 20u);
  BOOST_TEST(pages == 2);
  BOOST_TEST(paged_keys("SELECT k FROM t WHERE k = 'key3'", 1, &pages).size() == 1u);
  BOOST_TEST(pages == 1);
  BOOST_TEST(
      paged_keys("SELECT k FROM t WHERE k IN ('key1', 'key2', 'key3', 'key4')", 2, &pages).size() ==
      4u);
  BOOST_TEST(pages == 2);
  // Values after the last row read keep an IN going, even with no row behind them.
  BOOST_TEST(paged_keys("SELECT k FROM t WHERE k IN ('key1', 'key2', 'nope')", 2, &pages).size() ==
             2u);
  BOOST_TEST(pages == 2);
}

BOOST_AUTO_TEST_CASE(system_tables_page_at_exact_boundaries_too) {
  const std::string cql = "SELECT keyspace_name FROM system_schema.keyspaces";
  const std::size_t n = select(cql).size();
  pr::QueryParameters p;
  p.page_size = static_cast<std::int32_t>(n);
  auto full = ok(cql, {}, p);
  BOOST_TEST(rows(full).size() == n);
  BOOST_REQUIRE(rows_of(full).metadata.paging_state.has_value());
  pr::Bytes next(rows_of(full).metadata.paging_state->begin(),
                 rows_of(full).metadata.paging_state->end());
  p.paging_state = pr::BytesView(next);
  auto empty = ok(cql, {}, p);
  BOOST_TEST(rows(empty).empty());
  BOOST_TEST(!rows_of(empty).metadata.paging_state.has_value());
  // One partition of a table without clustering columns is one row: no next page.
  pr::QueryParameters one;
  one.page_size = 1;
  auto local = ok("SELECT key FROM system.local WHERE key = 'local'", {}, one);
  BOOST_TEST(rows(local).size() == 1u);
  BOOST_TEST(!rows_of(local).metadata.paging_state.has_value());
}

// Pages of pk IN (...) follow the IN values in key order and resume after the paging state's
// key (Cassandra's MultiPartitionPager), with the LIMIT counted across pages.
BOOST_AUTO_TEST_CASE(in_pages_in_key_order) {
  for (std::string k : {"d", "a", "c", "b", "e", "f"})
    ok("INSERT INTO t (k) VALUES ('" + k + "')");
  const std::string in = "SELECT k FROM t WHERE k IN ('e', 'c', 'zz', 'a', 'f', 'c', 'b', 'd')";
  const std::vector<std::string> sorted{"a", "b", "c", "d", "e", "f"};
  int pages = 0;
  BOOST_TEST(paged_keys(in, 2, &pages) == sorted);
  // The third page ends at 'f' with 'zz' still to read: a fourth, empty, page.
  BOOST_TEST(pages == 4);
  BOOST_TEST((paged_keys(in + " LIMIT 3", 2) == std::vector<std::string>{"a", "b", "c"}));
  // A row deleted between pages is skipped; the rest keeps its order.
  bool deleted = false;
  auto keys = paged_keys(in, 2, nullptr, [&] {
    if (!deleted) ok("DELETE FROM t WHERE k = 'c'");
    deleted = true;
  });
  BOOST_TEST((keys == std::vector<std::string>{"a", "b", "d", "e", "f"}));

  // A paging state whose key is none of the IN values resumes with nothing, as in Cassandra.
  pr::QueryParameters p;
  p.page_size = 1;
  auto first = ok("SELECT k FROM t WHERE k IN ('e', 'f')", {}, p);
  const auto& ps = rows_of(first).metadata.paging_state;
  BOOST_REQUIRE(ps.has_value());
  pr::Bytes after_e(ps->begin(), ps->end());
  p.paging_state = pr::BytesView(after_e);
  BOOST_TEST(rows(ok("SELECT k FROM t WHERE k IN ('a', 'b')", {}, p)).empty());
  BOOST_TEST(json::serialize(rows(ok("SELECT k FROM t WHERE k IN ('f', 'a', 'e')", {}, p))) ==
             R"([["f"]])");
}

BOOST_AUTO_TEST_CASE(paging_resumes_exactly_with_writes_between_pages) {
  for (int i = 0; i < 30; ++i)
    ok("INSERT INTO t (k) VALUES ('key" + std::to_string(i) + "')");
  int round = 0;
  std::set<std::string> deleted, added;
  auto keys = paged_keys("SELECT k FROM t", 7, nullptr, [&] {
    // Between pages: delete one row and add another.
    std::string del = "key" + std::to_string(round * 5);
    std::string add = "new" + std::to_string(round);
    ok("DELETE FROM t WHERE k = '" + del + "'");
    ok("INSERT INTO t (k) VALUES ('" + add + "')");
    deleted.insert(del);
    added.insert(add);
    ++round;
  });
  std::set<std::string> seen(keys.begin(), keys.end());
  BOOST_TEST(seen.size() == keys.size());  // never a row twice
  for (int i = 0; i < 30; ++i) {
    std::string k = "key" + std::to_string(i);
    // Every row never deleted was seen.
    if (!deleted.contains(k)) BOOST_TEST(seen.contains(k), k);
  }
}

BOOST_AUTO_TEST_CASE(bad_paging_state_is_a_protocol_error) {
  pr::QueryParameters p;
  p.page_size = 5;
  pr::Bytes junk{1, 2, 3};
  p.paging_state = pr::BytesView(junk);
  auto r = ex.query("SELECT * FROM t", p, state);
  BOOST_TEST(error(r) == "Protocol_error: Invalid value for the paging state");
}

BOOST_AUTO_TEST_CASE(prepared_statements) {
  auto prep = ex.prepare("INSERT INTO t (k, data) VALUES (?, :d) USING TTL ?", state);
  const auto& pr_result = std::get<pr::PreparedResult>(std::get<pr::Result>(prep.message));
  BOOST_TEST(pr_result.id.size() == 16u);
  const auto& cols = pr_result.metadata.columns;
  BOOST_REQUIRE(cols.size() == 3u);
  BOOST_TEST(cols[0].name == "k");
  BOOST_TEST(cols[1].name == "d");
  BOOST_TEST(cols[2].name == "[ttl]");
  BOOST_TEST((cols[2].type.id == pr::TypeId::int_));
  BOOST_TEST((pr_result.metadata.pk_indices == std::vector<std::uint16_t>{0}));
  pr::Bytes id(pr_result.id.begin(), pr_result.id.end());
  // The same text in the same keyspace gets the same id, as on another node.
  auto again = ex.prepare("INSERT INTO t (k, data) VALUES (?, :d) USING TTL ?", state);
  BOOST_TEST(std::get<pr::PreparedResult>(std::get<pr::Result>(again.message)).id.size() == 16u);
  BOOST_TEST(again.prepared_id == id);

  pr::Bytes k = text("p1"), d = text("doc"), ttl = int_value(100);
  pr::QueryParameters p;
  p.values = {pr::Value::of(k), pr::Value::of(d), pr::Value::of(ttl)};
  BOOST_TEST(error(ex.execute(id, p, state)).empty());
  BOOST_TEST(json::serialize(select("SELECT data FROM t WHERE k = 'p1'")) == R"([["doc"]])");

  auto sel = ex.prepare("SELECT k, data FROM t WHERE k IN ?", state);
  const auto& sel_result = std::get<pr::PreparedResult>(std::get<pr::Result>(sel.message));
  BOOST_TEST(sel_result.metadata.columns.at(0).name == "in(k)");
  BOOST_TEST((sel_result.metadata.columns.at(0).type.id == pr::TypeId::list));
  BOOST_TEST(sel_result.result_metadata.columns.size() == 2u);

  ex.forget_prepared();  // as a restart does
  auto lost = ex.execute(id, p, state);
  const auto& err = std::get<pr::ServerError>(lost.message);
  BOOST_TEST((err.code == pr::ServerErrorCode::unprepared));
  const auto& details = std::get<pr::UnpreparedError>(err.details);
  BOOST_TEST((pr::Bytes(details.id.begin(), details.id.end()) == id));
  BOOST_TEST(error(ex.prepare("SELECT * FROM nope", state)) == "Invalid: unconfigured table nope");
}

// Issue 16 item 3: what PREPARED says of the rows. A statement that returns none of known
// columns (writes, LWT included, and DDL) gets Cassandra's ResultSet.ResultMetadata.EMPTY:
// flags No_metadata (0x0004), column count 0 and nothing more (cql3/ResultSet.java, its
// ResultMetadata codec; ModificationStatement.getResultMetadata returns EMPTY in 4.0). A
// SELECT describes its columns with Global_tables_spec (0x0001).
BOOST_AUTO_TEST_CASE(prepared_result_metadata_is_cassandras) {
  auto tail_of = [&](const std::string& cql) {
    auto r = ex.prepare(cql, state);
    BOOST_REQUIRE_MESSAGE(error(r).empty(), cql << ": " << error(r));
    const auto& prepared = std::get<pr::PreparedResult>(std::get<pr::Result>(r.message));
    pr::Bytes out;
    pr::Writer w(out);
    pr::write_result_metadata(w, prepared.result_metadata);
    return out;
  };
  const pr::Bytes empty{0, 0, 0, 4, 0, 0, 0, 0};
  for (const char* cql :
       {"INSERT INTO t (k, data) VALUES (?, ?)",
        "INSERT INTO t (k, data) VALUES (?, ?) IF NOT EXISTS", "UPDATE t SET data = ? WHERE k = ?",
        "UPDATE t SET data = ? WHERE k = ? IF data = ?", "DELETE FROM t WHERE k = ?",
        "DELETE FROM t WHERE k = ? IF EXISTS",
        "CREATE TABLE IF NOT EXISTS t2 (k text PRIMARY KEY)"}) {
    BOOST_TEST(tail_of(cql) == empty, cql);
  }
  const pr::Bytes select = tail_of("SELECT data FROM t WHERE k = ?");
  BOOST_REQUIRE(select.size() > 8u);
  BOOST_TEST((pr::Bytes(select.begin(), select.begin() + 8) ==
              pr::Bytes{0, 0, 0, 1, 0, 0, 0, 1}));  // Global_tables_spec, one column

  // The bind markers' metadata (PreparedMetadata): flags, count, then the partition key's
  // marker indexes.
  auto markers_of = [&](const std::string& cql) {
    auto r = ex.prepare(cql, state);
    pr::Bytes body;
    pr::Writer w(body);
    pr::write_body(w, std::get<pr::Result>(r.message));
    // [int kind][short bytes id: 2 + 16]
    BOOST_REQUIRE(body.size() >= 4u + 18u + 12u);
    return pr::Bytes(body.begin() + 22, body.begin() + 34);
  };
  BOOST_TEST((markers_of("INSERT INTO t (k, data) VALUES (?, ?)") ==
              pr::Bytes{0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1}));  // global, 2 markers, 1 pk
  BOOST_TEST((markers_of("SELECT data FROM t WHERE k = 'x'") ==
              pr::Bytes{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}));  // no marker: nothing
}

// Issue 12 item 11: Cassandra 4's ConsistencyLevel checks, with their InvalidRequest texts.
BOOST_AUTO_TEST_CASE(consistency_levels_are_checked_as_cassandra_does) {
  auto at = [](pr::Consistency c, std::optional<pr::Consistency> serial = std::nullopt) {
    pr::QueryParameters p;
    p.consistency = c;
    p.serial_consistency = serial;
    return p;
  };
  using C = pr::Consistency;
  const std::string serial_write =
      "Invalid: You must use conditional updates for serializable writes";
  for (C c : {C::serial, C::local_serial}) {
    BOOST_TEST(error(q("INSERT INTO t (k, data) VALUES ('a', 'x')", {}, at(c))) == serial_write);
    BOOST_TEST(error(q("UPDATE t SET data = 'x' WHERE k = 'a'", {}, at(c))) == serial_write);
    BOOST_TEST(error(q("DELETE FROM t WHERE k = 'a'", {}, at(c))) == serial_write);
    // A conditional write at a serial commit consistency.
    BOOST_TEST(error(q("INSERT INTO t (k, data) VALUES ('a', 'x') IF NOT EXISTS", {}, at(c))) ==
               "Invalid: " + std::string(pr::to_string(c)) +
                   " is not supported as conditional update commit consistency. Use ANY if you "
                   "mean \"make sure it is accepted but I don't care how many replicas commit "
                   "it for non-SERIAL reads\"");
    // Serial reads are fine.
    BOOST_TEST(error(q("SELECT * FROM t WHERE k = 'a'", {}, at(c))).empty());
  }
  BOOST_TEST(error(q("SELECT * FROM t WHERE k = 'a'", {}, at(C::any))) ==
             "Invalid: ANY ConsistencyLevel is only supported for writes");
  BOOST_TEST(error(q("SELECT * FROM system.local", {}, at(C::any))) ==
             "Invalid: ANY ConsistencyLevel is only supported for writes");
  BOOST_TEST(
      error(q("UPDATE t SET data = 'y' WHERE k = 'a' IF data = 'x'", {}, at(C::quorum, C::one))) ==
      "Invalid: Invalid consistency for conditional update. Must be one of SERIAL or "
      "LOCAL_SERIAL");
  // Nothing above was written; ANY is a valid write consistency, and LWTs commit at ANY.
  BOOST_TEST(rows(ok("SELECT * FROM t")).empty());
  BOOST_TEST(error(q("INSERT INTO t (k, data) VALUES ('a', 'x')", {}, at(C::any))).empty());
  BOOST_TEST(error(q("UPDATE t SET data = 'y' WHERE k = 'a' IF data = 'x'", {},
                     at(C::any, C::local_serial)))
                 .empty());
  // Which table comes first, as Cassandra prepares before it executes.
  BOOST_TEST(error(q("INSERT INTO nosuch (k) VALUES ('a')", {}, at(C::serial))) ==
             "Invalid: unconfigured table nosuch");
}

BOOST_AUTO_TEST_SUITE_END()
