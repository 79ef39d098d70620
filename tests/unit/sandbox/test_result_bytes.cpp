// Issue 16 item 3: every RESULT kind, byte for byte as Cassandra 4.0 writes it for protocol v4,
// read off the frames the sans-io ConnectionHandler sends. The references are
// cql3/ResultSet.java (ResultMetadata.codec, PreparedMetadata.codec),
// transport/messages/ResultMessage.java (Void, SetKeyspace, SchemaChange, Rows, Prepared) and
// native_protocol_v4.spec section 4.2.5.
#include "executor_fixture.hpp"

#include <nosqlc/protocol/frame.hpp>
#include <nosqlc/protocol/messages.hpp>
#include <nosqlc/sandbox/request_handler.hpp>

#include <string>
#include <vector>

using namespace sandbox_test;

namespace {

// Expected bytes, built field by field as the spec names them.
struct Expect {
  pr::Bytes b;
  Expect& i32(std::int32_t v) {
    for (int s = 24; s >= 0; s -= 8)
      b.push_back(static_cast<std::uint8_t>((static_cast<std::uint32_t>(v) >> s) & 0xFF));
    return *this;
  }
  Expect& u16(std::uint16_t v) {
    b.push_back(static_cast<std::uint8_t>(v >> 8));
    b.push_back(static_cast<std::uint8_t>(v & 0xFF));
    return *this;
  }
  Expect& str(std::string_view s) {
    u16(static_cast<std::uint16_t>(s.size()));
    b.insert(b.end(), s.begin(), s.end());
    return *this;
  }
  // [string] name then [option] of a native type.
  Expect& col(std::string_view name, pr::TypeId type) {
    str(name);
    return u16(static_cast<std::uint16_t>(type));
  }
};

struct Connection {
  sb::Store store{[] { return test_now().load(); }};
  sb::Cluster cluster{1, 9042};
  sb::Executor executor{store, cluster, 0};
  sb::NodeContext node;
  sb::ConnectionHandler handler{context()};

  const sb::NodeContext& context() {
    node.executor = &executor;
    return node;
  }

  Connection() {
    pr::Startup s;
    s.options["CQL_VERSION"] = "3.0.0";
    body(s);
    ok("CREATE KEYSPACE ks WITH replication = {'class': 'SimpleStrategy', "
       "'replication_factor': 1}");
    ok("USE ks");
    ok("CREATE TABLE t (k text PRIMARY KEY, n int, v text)");
  }

  // The body of the one frame that answers `request`, as sent (no compression, no extras).
  pr::Bytes body(const pr::Request& request) {
    pr::Bytes in;
    BOOST_REQUIRE(pr::encode_request(request, in).ok());
    pr::FrameSlice frame;
    std::size_t needed = 0;
    BOOST_REQUIRE(pr::split_frame(in, frame, needed).ok());
    pr::Bytes out;
    handler.handle(frame, out);
    pr::FrameSlice answer;
    BOOST_REQUIRE(pr::split_frame(out, answer, needed).ok());
    BOOST_REQUIRE_EQUAL(answer.size(), out.size());
    BOOST_REQUIRE_EQUAL(answer.header.flags, 0);
    return pr::Bytes(answer.body.begin(), answer.body.end());
  }
  pr::Bytes query(const std::string& cql, pr::QueryParameters p = {}) {
    pr::Query q;
    q.query = cql;
    q.params = std::move(p);
    return body(q);
  }
  pr::Bytes prepare(const std::string& cql) {
    pr::Prepare p;
    p.query = cql;
    return body(p);
  }
  void ok(const std::string& cql) {
    pr::Bytes b = query(cql);
    // [int] kind: anything but an ERROR frame's [int] code 0x0000..; a RESULT kind is 1..5.
    BOOST_REQUIRE_MESSAGE(
        b.size() >= 4u && b[0] == 0 && b[1] == 0 && b[2] == 0 && b[3] >= 1 && b[3] <= 5, cql);
  }
};

pr::Bytes head(const pr::Bytes& b, std::size_t n) {
  BOOST_REQUIRE(b.size() >= n);
  return pr::Bytes(b.begin(), b.begin() + static_cast<std::ptrdiff_t>(n));
}
pr::Bytes from(const pr::Bytes& b, std::size_t n) {
  BOOST_REQUIRE(b.size() >= n);
  return pr::Bytes(b.begin() + static_cast<std::ptrdiff_t>(n), b.end());
}

constexpr std::int32_t kVoid = 1, kRows = 2, kSetKeyspace = 3, kPrepared = 4, kSchemaChange = 5;

}  // namespace

BOOST_FIXTURE_TEST_SUITE(sandbox_result_bytes, Connection)

// ResultMessage.Void: the kind and nothing else (ModificationStatement.execute returns null,
// which QueryMessage.execute turns into a Void).
BOOST_AUTO_TEST_CASE(void_of_an_insert) {
  BOOST_TEST(query("INSERT INTO t (k, n, v) VALUES ('x', 1, 'y')") == Expect{}.i32(kVoid).b);
}

// ResultMessage.SetKeyspace: [string] keyspace, UseStatement's name as the parser leaves it:
// unquoted names lower-cased, quoted ones as written.
BOOST_AUTO_TEST_CASE(set_keyspace_of_use) {
  BOOST_TEST(query("USE KS") == Expect{}.i32(kSetKeyspace).str("ks").b);
  ok("CREATE KEYSPACE \"MixedCase\" WITH replication = {'class': 'SimpleStrategy', "
     "'replication_factor': 1}");
  BOOST_TEST(query("USE \"MixedCase\"") == Expect{}.i32(kSetKeyspace).str("MixedCase").b);
}

// ResultMessage.SchemaChange over Event.SchemaChange.serializeEvent (v4): [string] change,
// [string] target, [string] keyspace, and [string] name for a TABLE.
BOOST_AUTO_TEST_CASE(schema_change_of_create_table) {
  BOOST_TEST(query("CREATE TABLE T2 (k int PRIMARY KEY)") ==
             Expect{}.i32(kSchemaChange).str("CREATED").str("TABLE").str("ks").str("t2").b);
  BOOST_TEST(query("CREATE KEYSPACE k2 WITH replication = {'class': 'SimpleStrategy', "
                   "'replication_factor': 1}") ==
             Expect{}.i32(kSchemaChange).str("CREATED").str("KEYSPACE").str("k2").b);
}

// ResultSet.ResultMetadata(names): GLOBAL_TABLES_SPEC (0x0001) when every column is of one
// table (ColumnSpecification.allInSameTable), so ResultMetadata.codec.encode writes [int]
// flags, [int] columns_count, [string] keyspace and [string] table once, then [string] name
// and [option] type per column; ResultSet.codec then writes [int] rows_count and the cells.
BOOST_AUTO_TEST_CASE(rows_of_a_select) {
  ok("INSERT INTO t (k, n, v) VALUES ('x', 1, 'y')");
  const pr::Bytes metadata = Expect{}
                                 .i32(kRows)
                                 .i32(0x0001)
                                 .i32(3)
                                 .str("ks")
                                 .str("t")
                                 .col("v", pr::TypeId::varchar)
                                 .col("n", pr::TypeId::int_)
                                 .col("k", pr::TypeId::varchar)
                                 .b;
  pr::Bytes rows = query("SELECT v, n, k FROM t WHERE k = 'x'");
  BOOST_TEST(head(rows, metadata.size()) == metadata);
  Expect cells;  // rows_count 1, then [bytes] per cell
  cells.i32(1).i32(1);
  cells.b.push_back('y');
  cells.i32(4).i32(1);
  cells.i32(1);
  cells.b.push_back('x');
  BOOST_TEST(from(rows, metadata.size()) == cells.b);
}

// With a page size and rows left: HAS_MORE_PAGES (0x0002) beside GLOBAL_TABLES_SPEC, and the
// paging state as [bytes] right after columns_count, before the column specs
// (ResultMetadata.codec.encode). Its content is the sandbox's own (Cassandra's
// PagingState.serialize is not reproduced; drivers treat it as opaque).
BOOST_AUTO_TEST_CASE(rows_with_more_pages) {
  for (const char* k : {"a", "b", "c"})
    ok(std::string("INSERT INTO t (k, n) VALUES ('") + k + "', 7)");
  pr::QueryParameters p;
  p.page_size = 2;
  pr::Bytes rows = query("SELECT n FROM t", p);
  BOOST_TEST(head(rows, 12) == Expect{}.i32(kRows).i32(0x0003).i32(1).b);
  pr::Bytes rest = from(rows, 12);
  BOOST_REQUIRE(rest.size() >= 4u);
  const std::size_t state_len = (std::size_t{rest[0]} << 24) | (std::size_t{rest[1]} << 16) |
                                (std::size_t{rest[2]} << 8) | rest[3];
  BOOST_TEST(state_len > 0u);
  BOOST_REQUIRE(state_len < 0x10000u);
  BOOST_TEST(
      from(rest, 4 + state_len) ==
      Expect{}.str("ks").str("t").col("n", pr::TypeId::int_).i32(2).i32(4).i32(7).i32(4).i32(7).b);

  // The last page: no HAS_MORE_PAGES, no paging state.
  pr::QueryParameters next;
  next.page_size = 2;
  pr::Bytes state(rest.begin() + 4, rest.begin() + 4 + static_cast<std::ptrdiff_t>(state_len));
  next.paging_state = pr::BytesView(state);
  BOOST_TEST(query("SELECT n FROM t", next) == Expect{}
                                                   .i32(kRows)
                                                   .i32(0x0001)
                                                   .i32(1)
                                                   .str("ks")
                                                   .str("t")
                                                   .col("n", pr::TypeId::int_)
                                                   .i32(1)
                                                   .i32(4)
                                                   .i32(7)
                                                   .b);
}

// ResultMessage.Prepared (v4): [short bytes] id, PreparedMetadata.codec ([int] flags with
// GLOBAL_TABLES_SPEC, [int] columns_count, [int] pk_count and a [short] marker index per
// partition key column (VariableSpecifications.getPartitionKeyBindVariableIndexes), the
// keyspace and table once, then each marker's name and type), then ResultMetadata.codec of the
// rows. LIMIT ?'s marker is Cassandra's "[limit]" int of the same table
// (SelectStatement.RawStatement.prepareLimit).
BOOST_AUTO_TEST_CASE(prepared_of_a_select) {
  pr::Bytes body = prepare("SELECT v, n FROM t WHERE k = ? LIMIT ?");
  BOOST_TEST(head(body, 6) == Expect{}.i32(kPrepared).u16(16).b);
  Expect expected;
  expected.i32(0x0001)
      .i32(2)
      .i32(1)
      .u16(0)
      .str("ks")
      .str("t")
      .col("k", pr::TypeId::varchar)
      .col("[limit]", pr::TypeId::int_);
  expected.i32(0x0001)
      .i32(2)
      .str("ks")
      .str("t")
      .col("v", pr::TypeId::varchar)
      .col("n", pr::TypeId::int_);
  BOOST_TEST(from(body, 22) == expected.b);

  // The key bound by the second marker (a write's, whose rows are ResultMetadata.EMPTY).
  pr::Bytes second = prepare("UPDATE t SET v = ? WHERE k = ?");
  BOOST_TEST(from(second, 22) == Expect{}
                                     .i32(0x0001)
                                     .i32(2)
                                     .i32(1)
                                     .u16(1)
                                     .str("ks")
                                     .str("t")
                                     .col("v", pr::TypeId::varchar)
                                     .col("k", pr::TypeId::varchar)
                                     .i32(0x0004)
                                     .i32(0)
                                     .b);
  // The key not bound by a marker: pk_count 0 (getPartitionKeyBindVariableIndexes returns
  // null and the codec writes 0).
  pr::Bytes literal = prepare("SELECT v FROM t WHERE k = 'x' LIMIT ?");
  BOOST_TEST(head(from(literal, 22), 12) == Expect{}.i32(0x0001).i32(1).i32(0).b);
}

// ExecuteMessage with skip_metadata: ResultMetadata.setSkipMetadata adds NO_METADATA (0x0004)
// and ResultMetadata.codec writes no column specs; columns_count stays.
BOOST_AUTO_TEST_CASE(execute_with_skip_metadata) {
  ok("INSERT INTO t (k, n, v) VALUES ('x', 1, 'y')");
  pr::Bytes prepared = prepare("SELECT n FROM t WHERE k = 'x'");
  pr::Bytes id(prepared.begin() + 6, prepared.begin() + 22);
  pr::Execute e;
  e.id = pr::BytesView(id);
  e.params.skip_metadata = true;
  pr::Bytes rows = body(e);
  BOOST_TEST(head(rows, 7) == (pr::Bytes{0, 0, 0, kRows, 0, 0, 0}));
  // Cassandra keeps GLOBAL_TABLES_SPEC beside NO_METADATA: setSkipMetadata only adds a flag.
  BOOST_TEST(rows.at(7) == 0x05);
  BOOST_TEST(from(rows, 8) == Expect{}.i32(1).i32(1).i32(4).i32(1).b);
}

BOOST_AUTO_TEST_SUITE_END()
