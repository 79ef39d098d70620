// RESULT responses, native_protocol_v4.spec section 4.2.5: every kind byte-exact, the Rows
// metadata flags, zero-copy row iteration, the Rows encoder and hostile counts.
#include "hex.hpp"

#include <boost/test/unit_test.hpp>

#include <vector>

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;

namespace {

constexpr std::uint8_t kId[] = {0xca, 0xfe, 0xba, 0xbe};
constexpr std::uint8_t kPaging[] = {0xab, 0xcd};
constexpr std::uint8_t kRowA[] = {0x00, 0x00, 0x00, 0x01, 'a'};  // one [bytes] cell: 'a'

ColumnSpec col(std::string table, std::string name, DataType type) {
  return ColumnSpec{"ks", std::move(table), std::move(name), std::move(type)};
}

DataType of(TypeId id) {
  return DataType::of(id);
}

// The Rows of 4.2.5.2 with a global table spec: ks.t (k text, v int), rows ('a', 1), ('b', null).
const std::string kRowsGlobal =
    "00000002"                       // kind Rows
    "00000001 00000002"              // Global_tables_spec, 2 columns
    "0002 6b73 0001 74"              // ks, t
    "0001 6b 000d"                   // k varchar
    "0001 76 0009"                   // v int
    "00000002"                       // 2 rows
    "00000001 61 00000004 00000001"  // 'a', 1
    "00000001 62 ffffffff";          // 'b', null

RowsResult rows_global_metadata_only() {
  RowsResult r;
  r.metadata =
      ResultMetadata::of({col("t", "k", of(TypeId::varchar)), col("t", "v", of(TypeId::int_))});
  return r;
}

RowsResult rows_paged() {
  RowsResult r;
  r.metadata.no_metadata = true;
  r.metadata.column_count = 1;
  r.metadata.paging_state = BytesView(kPaging);
  return r;
}

// An EXECUTE's rows without metadata, as Cassandra sends them: Global_tables_spec kept.
RowsResult rows_skipped_metadata() {
  RowsResult r;
  r.metadata.no_metadata = true;
  r.metadata.global_tables_spec = true;
  r.metadata.column_count = 2;
  return r;
}

RowsResult rows_paged_with_metadata() {
  RowsResult r;
  r.metadata = ResultMetadata::of({col("t", "k", of(TypeId::varchar))});
  r.metadata.paging_state = BytesView(kPaging);
  r.row_count = 1;
  r.content = kRowA;
  return r;
}

RowsResult rows_two_tables() {
  RowsResult r;
  r.metadata = ResultMetadata::of(
      {col("t1", "a", of(TypeId::int_)), col("t2", "b", DataType::list_of(of(TypeId::varchar)))});
  return r;
}

RowsResult rows_complex_types() {
  DataType udt = of(TypeId::udt);
  udt.udt_keyspace = "ks";
  udt.udt_name = "addr";
  udt.field_names = {"street", "zip"};
  udt.params = {of(TypeId::varchar), of(TypeId::int_)};
  DataType custom = of(TypeId::custom);
  custom.custom_class = "org.example.MyType";
  RowsResult r;
  r.metadata = ResultMetadata::of({
      col("t", "m", DataType::map_of(of(TypeId::varchar), of(TypeId::int_))),
      col("t", "s", DataType::set_of(of(TypeId::uuid))),
      col("t", "tu", DataType::tuple_of({of(TypeId::int_), of(TypeId::varchar)})),
      col("t", "u", udt),
      col("t", "c", custom),
  });
  return r;
}

PreparedResult prepared(std::vector<std::uint16_t> pk, std::vector<ColumnSpec> binds,
                        ResultMetadata result) {
  return PreparedResult{kId, PreparedMetadata{std::move(pk), std::move(binds)}, std::move(result)};
}

ResultMetadata no_metadata() {
  ResultMetadata m;
  m.no_metadata = true;
  return m;
}

std::vector<MessageCase<Response>> result_cases(const RowsResult& rows_global) {
  const auto k = col("t", "k", of(TypeId::varchar));
  const auto v = col("t", "v", of(TypeId::int_));
  return {
      {"4.2.5.1 Void", Result{VoidResult{}}, "00000001"},
      {"4.2.5.2 Rows global table spec", Result{rows_global}, kRowsGlobal},
      {"4.2.5.2 Rows Has_more_pages No_metadata", Result{rows_paged()},
       "00000002 00000006 00000001"  // Has_more_pages | No_metadata, 1 column
       "00000002 abcd"               // paging state
       "00000000"},                  // no rows
      {"4.2.5.2 Rows No_metadata keeping Global_tables_spec", Result{rows_skipped_metadata()},
       "00000002 00000005 00000002"  // Global_tables_spec | No_metadata, 2 columns
       "00000000"},                  // no rows
      {"4.2.5.2 Rows Has_more_pages with Global_tables_spec", Result{rows_paged_with_metadata()},
       "00000002 00000003 00000001"  // Global_tables_spec | Has_more_pages, 1 column
       "00000002 abcd"               // <paging_state> comes before <global_table_spec>
       "0002 6b73 0001 74"           // ks, t
       "0001 6b 000d"                // k varchar
       "00000001 00000001 61"},      // 1 row: 'a'
      {"4.2.5.2 Rows per-column table specs", Result{rows_two_tables()},
       "00000002 00000000 00000002"             // Rows, no flags, 2 columns
       "0002 6b73 0002 7431 0001 61 0009"       // ks.t1 a int
       "0002 6b73 0002 7432 0001 62 0020 000d"  // ks.t2 b list<text>
       "00000000"},
      {"4.2.5.2 Rows collection, tuple, udt, custom types", Result{rows_complex_types()},
       "00000002 00000001 00000005 0002 6b73 0001 74"            // global ks.t, 5 columns
       "0001 6d 0021 000d 0009"                                  // m map<text, int>
       "0001 73 0022 000c"                                       // s set<uuid>
       "0002 7475 0031 0002 0009 000d"                           // tu tuple<int, text>
       "0001 75 0030 0002 6b73 0004 61646472"                    // u ks.addr
       "0002 0006 737472656574 000d 0003 7a6970 0009"            // street text, zip int
       "0001 63 0000 0012 6f72672e6578616d706c652e4d7954797065"  // c custom
       "00000000"},
      {"4.2.5.3 Set_keyspace", Result{SetKeyspaceResult{"ks"}}, "00000003 0002 6b73"},
      {"4.2.5.4 Prepared INSERT", Result{prepared({0}, {k, v}, no_metadata())},
       "00000004 0004 cafebabe"                       // Prepared, id
       "00000001 00000002 00000001 0000"              // global, 2 markers, pk indices [0]
       "0002 6b73 0001 74 0001 6b 000d 0001 76 0009"  // ks.t: k text, v int
       "00000004 00000000"},                          // result metadata: No_metadata, 0 columns
      {"4.2.5.4 Prepared SELECT", Result{prepared({0}, {k}, ResultMetadata::of({k, v}))},
       "00000004 0004 cafebabe"
       "00000001 00000001 00000001 0000 0002 6b73 0001 74 0001 6b 000d"   // marker: k text
       "00000001 00000002 0002 6b73 0001 74 0001 6b 000d 0001 76 0009"},  // result: k, v
      {"4.2.5.4 Prepared composite partition key [2, 0, 1]",
       Result{prepared({2, 0, 1},
                       {col("t", "a", of(TypeId::int_)), col("t", "b", of(TypeId::int_)),
                        col("t", "c", of(TypeId::int_))},
                       no_metadata())},
       "00000004 0004 cafebabe"
       "00000001 00000003 00000003 0002 0000 0001"  // 3 markers, pk indices [2, 0, 1]
       "0002 6b73 0001 74 0001 61 0009 0001 62 0009 0001 63 0009"  // ks.t: a, b, c int
       "00000004 00000000"},
      {"4.2.5.4 Prepared per-column table specs",
       Result{prepared({1}, {col("t1", "a", of(TypeId::int_)), col("t2", "b", of(TypeId::int_))},
                       no_metadata())},
       "00000004 0004 cafebabe"
       "00000000 00000002 00000001 0001"   // no Global_tables_spec, 2 markers, pk indices [1]
       "0002 6b73 0002 7431 0001 61 0009"  // ks.t1 a int
       "0002 6b73 0002 7432 0001 62 0009"  // ks.t2 b int
       "00000004 00000000"},
      {"4.2.5.4 Prepared without bind markers", Result{prepared({}, {}, no_metadata())},
       "00000004 0004 cafebabe 00000000 00000000 00000000 00000004 00000000"},
      {"4.2.5.5 Schema_change",
       Result{SchemaChange{SchemaChangeType::created, SchemaTarget::table, "ks", "t", {}}},
       "00000005 0007 43524541544544 0005 5441424c45 0002 6b73 0001 74"},
  };
}

// The rows of kRowsGlobal, built with RowsBuilder.
RowsResult build_rows_global(RowsBuilder& b) {
  static constexpr std::uint8_t kOne[] = {0, 0, 0, 1};
  const std::optional<BytesView> row1[] = {view("a"), BytesView(kOne)};
  const std::optional<BytesView> row2[] = {view("b"), std::nullopt};
  BOOST_TEST(b.add_row(row1).ok());
  BOOST_TEST(b.add_row(row2).ok());
  return b.result(rows_global_metadata_only().metadata);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(result)

BOOST_AUTO_TEST_CASE(every_kind_round_trips) {
  RowsBuilder builder(2);
  const RowsResult rows = build_rows_global(builder);
  for (const auto& c : result_cases(rows))
    check_message_case(c);
}

BOOST_AUTO_TEST_CASE(rows_iterate_as_views_of_the_body) {
  const Bytes body = from_hex(kRowsGlobal);
  Result res;
  BOOST_TEST_REQUIRE(decode_body(body, res).ok());
  const auto& rows = std::get<RowsResult>(res);
  BOOST_TEST(rows.row_count == 2);
  BOOST_TEST(rows.metadata.columns.size() == 2u);
  BOOST_TEST(rows.metadata.columns[1].name == "v");
  BOOST_TEST(rows.metadata.columns[1].table == "t");
  BOOST_TEST((rows.metadata.columns[0].type == DataType::of(TypeId::varchar)));

  std::vector<std::string> seen;
  for (Row row : rows.rows()) {
    BOOST_TEST(row.size() == 2u);
    for (std::optional<BytesView> cell : row) {
      if (!cell) {
        seen.push_back("null");
        continue;
      }
      BOOST_TEST(cell->data() >= body.data());
      BOOST_TEST(cell->data() + cell->size() <= body.data() + body.size());
      seen.push_back(to_hex(*cell));
    }
  }
  BOOST_TEST(seen == (std::vector<std::string>{"61", "00000001", "62", "null"}),
             boost::test_tools::per_element());

  auto it = rows.rows().begin();
  ++it;
  BOOST_TEST(to_hex(*(*it)[0]) == "62");
  BOOST_TEST(!(*it)[1].has_value());
  ++it;
  BOOST_TEST((it == std::default_sentinel));
}

BOOST_AUTO_TEST_CASE(rows_builder_reuses_its_buffer_and_checks_arity) {
  RowsBuilder b(2);
  const std::optional<BytesView> short_row[] = {view("a")};
  BOOST_TEST(b.add_row(short_row).code == make_error_code(errc::invalid_value));
  BOOST_TEST(b.row_count() == 0u);
  build_rows_global(b);
  b.clear();
  RowsResult r = build_rows_global(b);
  Bytes frame;
  BOOST_TEST(encode_response(Result{r}, frame).ok());
  BOOST_TEST(to_hex(BytesView(frame).subspan(kHeaderSize)) == to_hex(from_hex(kRowsGlobal)));
}

BOOST_AUTO_TEST_CASE(rows_writer_validates_content) {
  RowsBuilder b(2);
  RowsResult r = build_rows_global(b);
  r.row_count = 3;  // more rows than the content holds
  Bytes frame;
  BOOST_TEST(encode_response(Result{r}, frame).code == make_error_code(errc::invalid_value));
  r.row_count = 2;
  r.metadata.column_count = 1;  // disagrees with the column specs
  BOOST_TEST(encode_response(Result{r}, frame).code == make_error_code(errc::invalid_value));

  const Bytes content = from_hex("00000001 61 00000004 00000001");
  BOOST_TEST(validate_rows(content, 1, 2).ok());
  BOOST_TEST(validate_rows(content, 2, 1).ok());
  BOOST_TEST(validate_rows(content, 1, 1).code == make_error_code(errc::extra_bytes));
  BOOST_TEST(validate_rows(content, 3, 1).code == make_error_code(errc::incomplete));
  BOOST_TEST(validate_rows(content, 4, 1).code == make_error_code(errc::invalid_length));
  BOOST_TEST(validate_rows(content, -1, 1).code == make_error_code(errc::invalid_length));
  BOOST_TEST(validate_rows(content, 1, -1).code == make_error_code(errc::invalid_length));
}

BOOST_AUTO_TEST_CASE(malformed) {
  struct Case {
    const char* name;
    std::string hex;
    errc expected;
  };
  const std::string head = "00000002 00000001 00000001 0002 6b73 0001 74 0001 6b 000d";
  std::string deep = "00000002 00000001 00000001 0002 6b73 0001 74 0001 6b";
  for (int i = 0; i < 40; ++i)
    deep += " 0020";  // list<list<...
  deep += " 0009 00000000";
  const Case cases[] = {
      {"4.2.5.2 row count larger than the body", head + " 7fffffff", errc::invalid_length},
      {"4.2.5.2 negative row count", head + " ffffffff", errc::invalid_length},
      {"4.2.5.2 column count larger than the body", "00000002 00000001 7fffffff 0002 6b73 0001 74",
       errc::invalid_length},
      {"4.2.5.2 negative column count", "00000002 00000000 ffffffff", errc::invalid_length},
      {"4.2.5.2 No_metadata, huge column count and a row", "00000002 00000004 7fffffff 00000001",
       errc::invalid_length},
      {"4.2.5.2 rows without columns", "00000002 00000004 00000000 00000005", errc::invalid_length},
      {"4.2.5.2 cell length past the body", head + " 00000001 00000010 61", errc::incomplete},
      {"4.2.5.2 undefined metadata flag 0x0008", "00000002 00000008 00000000 00000000",
       errc::invalid_value},
      {"4.2.5.2 unknown type id 0x0099", head.substr(0, head.size() - 4) + "0099 00000000",
       errc::unknown_type},
      {"4.2.5.2 removed type id 0x000A", head.substr(0, head.size() - 4) + "000a 00000000",
       errc::unknown_type},
      {"4.2.5.2 type nested too deep", deep, errc::nesting_too_deep},
      {"4.2.5.2 paging state past the body", "00000002 00000002 00000000 00000009 ab",
       errc::incomplete},
      {"4.2.5 unknown result kind", "00000006", errc::invalid_value},
      {"4.2.5.4 partition key count larger than the body",
       "00000004 0004 cafebabe 00000000 00000000 7fffffff 0000", errc::invalid_length},
      {"4.2.5.4 undefined prepared flag", "00000004 0004 cafebabe 00000002 00000000 00000000",
       errc::invalid_value},
      {"4.2.5.5 unknown change type", "00000005 0003 464f4f 0008 4b45595350414345 0002 6b73",
       errc::invalid_value},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      Status s = decode_hex<Response>(Opcode::result, c.hex);
      BOOST_TEST(s.code == make_error_code(c.expected));
      BOOST_TEST(!s.message.empty());
    }
  }
}

BOOST_AUTO_TEST_CASE(null_cells_may_use_any_negative_length) {
  // Section 3: [bytes] with n < 0 is null.
  const Bytes body = from_hex("00000002 00000004 00000001 00000001 fffffff0");
  Result res;
  BOOST_TEST_REQUIRE(decode_body(body, res).ok());
  const auto& rows = std::get<RowsResult>(res);
  BOOST_TEST(!(*rows.rows().begin())[0].has_value());
}

BOOST_AUTO_TEST_SUITE_END()
