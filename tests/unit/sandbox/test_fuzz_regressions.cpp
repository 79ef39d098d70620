// Bugs the sandbox fuzz targets found (fuzz/fuzz_cql_statement.cpp,
// fuzz/fuzz_server_request.cpp), one case each; the inputs are kept in
// fuzz/regressions/<target>/ and replayed by fuzz/run.sh.
#include "executor_fixture.hpp"

using namespace sandbox_test;

namespace {

// Every row of `cql` read page by page; checks each page's size on the way.
json::array read_paged(ExecutorFixture& f, const std::string& cql, int page_size,
                       int* pages = nullptr) {
  json::array all;
  pr::Bytes state;
  int count = 0;
  for (bool more = true; more; ++count) {
    BOOST_REQUIRE(count < 1000);
    pr::QueryParameters p;
    p.page_size = page_size;
    if (count > 0) p.paging_state = pr::BytesView(state);
    sb::Reply r = f.ok(cql, {}, p);
    json::array page = ExecutorFixture::rows(r);
    BOOST_TEST(page.size() <= static_cast<std::size_t>(page_size));
    for (auto& row : page)
      all.push_back(std::move(row));
    const auto& ps = ExecutorFixture::rows_of(r).metadata.paging_state;
    more = ps.has_value();
    if (more) state.assign(ps->begin(), ps->end());
  }
  if (pages) *pages = count;
  return all;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_fuzz_regressions, ExecutorFixture)

// fuzz_cql_statement, seed system_tables: a system table answered every row in one page,
// whatever the page_size (the spec makes it a maximum).
BOOST_AUTO_TEST_CASE(system_tables_answer_pages_of_page_size) {
  const std::string q = "SELECT keyspace_name, table_name FROM system_schema.tables";
  json::array whole = select(q);
  BOOST_REQUIRE(whole.size() > 10u);
  int pages = 0;
  BOOST_TEST(read_paged(*this, q, 3, &pages) == whole);
  // A last page that fills exactly is followed by an empty one, as Cassandra's pagers do.
  BOOST_TEST(pages == static_cast<int>(whole.size() / 3 + 1));

  const std::string limited = q + " LIMIT 5";
  BOOST_TEST(read_paged(*this, limited, 2, &pages) == select(limited));
  BOOST_TEST(pages == 3);

  // Aggregates are one row, never paged.
  BOOST_TEST(read_paged(*this, "SELECT count(*) FROM system_schema.tables", 1) ==
             select("SELECT count(*) FROM system_schema.tables"));
}

BOOST_AUTO_TEST_CASE(system_table_paging_state_is_checked) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("CREATE TABLE ks.t (k int PRIMARY KEY)");
  ok("INSERT INTO ks.t (k) VALUES (1)");
  ok("INSERT INTO ks.t (k) VALUES (2)");
  pr::QueryParameters p;
  p.page_size = 1;
  auto state_of = [&](const std::string& cql) {
    sb::Reply r = ok(cql, {}, p);
    const auto& ps = rows_of(r).metadata.paging_state;
    BOOST_REQUIRE(ps.has_value());
    return pr::Bytes(ps->begin(), ps->end());
  };
  const pr::Bytes user_state = state_of("SELECT * FROM ks.t");
  const pr::Bytes system_state = state_of("SELECT * FROM system_schema.keyspaces");
  // Each kind of table refuses the other's paging state, and garbage.
  p.paging_state = pr::BytesView(user_state);
  BOOST_TEST(error(q("SELECT * FROM system_schema.keyspaces", {}, p)) ==
             "Protocol_error: Invalid value for the paging state");
  p.paging_state = pr::BytesView(system_state);
  BOOST_TEST(error(q("SELECT * FROM ks.t", {}, p)) ==
             "Protocol_error: Invalid value for the paging state");
  const pr::Bytes garbage{0x4E, 0x02, 0xFF};
  p.paging_state = pr::BytesView(garbage);
  BOOST_TEST(error(q("SELECT * FROM system_schema.keyspaces", {}, p)) ==
             "Protocol_error: Invalid value for the paging state");
}

// fuzz_server_request, regression execute_after_drop_and_recreate: a statement prepared on a
// table that was then dropped and re-created with other columns still executed, answering rows
// of the new columns to a driver that skips metadata and decodes them by the old ones.
BOOST_AUTO_TEST_CASE(statements_of_a_dropped_table_are_unprepared) {
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("USE ks");
  ok("CREATE TABLE t (k int PRIMARY KEY, v text, l list<int>)");
  ok("INSERT INTO t (k, v) VALUES (1, 'one')");
  auto prepare = [&](const std::string& cql) {
    sb::Reply r = ex.prepare(cql, state);
    BOOST_REQUIRE_MESSAGE(error(r).empty(), error(r));
    return r.prepared_id;
  };
  auto unprepared = [](const sb::Reply& r) {
    const auto* e = std::get_if<pr::ServerError>(&r.message);
    return e && e->code == pr::ServerErrorCode::unprepared;
  };
  const pr::Bytes select = prepare("SELECT * FROM t");
  const pr::Bytes insert = prepare("INSERT INTO t (k, v) VALUES (?, ?)");
  const pr::Bytes local = prepare("SELECT release_version FROM system.local");
  BOOST_TEST(json::serialize(rows(ex.execute(select, {}, state))) == R"([[1,null,"one"]])");

  ok("DROP TABLE t");
  BOOST_TEST(unprepared(ex.execute(select, {}, state)));
  ok("CREATE TABLE t (k int PRIMARY KEY, x bigint)");
  ok("INSERT INTO t (k, x) VALUES (2, 2)");
  BOOST_TEST(unprepared(ex.execute(select, {}, state)));
  pr::Batch batch;
  pr::Bytes k = int_value(3), v = text("three");
  batch.statements.push_back({pr::BytesView(insert), {pr::Value::of(k), pr::Value::of(v)}});
  BOOST_TEST(unprepared(ex.batch(batch, state)));
  // System tables are never dropped: their statements stay prepared.
  BOOST_TEST(error(ex.execute(local, {}, state)).empty());

  // Prepared again, the statement describes and reads the new table.
  BOOST_TEST((prepare("SELECT * FROM t") == select));
  sb::Reply again = ex.execute(select, {}, state);
  BOOST_TEST(column_names(again) == (std::vector<std::string>{"k", "x"}));
  BOOST_TEST(json::serialize(rows(again)) == R"([[2,2]])");

  // A dropped keyspace takes its tables' statements along.
  ok("DROP KEYSPACE ks");
  ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
  ok("CREATE TABLE ks.t (k int PRIMARY KEY, x bigint)");
  BOOST_TEST(unprepared(ex.execute(select, {}, state)));
}

BOOST_AUTO_TEST_SUITE_END()
