// Issue 3 item 6, measured: decoding a Rows result allocates per column, never per row or
// cell, iterating it allocates nothing, and encoding into a reused buffer allocates nothing.
// Allocations are counted by replacing the global operator new of this test executable.
#include "hex.hpp"

#include <nosqlc/protocol/compression.hpp>

#include <boost/test/unit_test.hpp>

#include <atomic>
#include <cstdlib>
#include <new>
#include <string>

namespace {
std::atomic<std::size_t> g_allocations{0};
}  // namespace

// As the default operator new, counting; the array and nothrow forms call this one. Never
// inlined: GCC would otherwise pair malloc/free against new/delete and warn
// (-Wmismatched-new-delete) at every inlined call site.
[[gnu::noinline]] void* operator new(std::size_t n) {
  g_allocations.fetch_add(1, std::memory_order_relaxed);
  if (void* p = std::malloc(n == 0 ? 1 : n)) return p;
  throw std::bad_alloc();
}
[[gnu::noinline]] void operator delete(void* p) noexcept {
  std::free(p);
}
[[gnu::noinline]] void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}

using namespace nosqlc::protocol;
using namespace nosqlc::protocol::test;

namespace {

std::size_t allocations() {
  return g_allocations.load(std::memory_order_relaxed);
}

// A RESULT frame of `n` (text, text) rows.
Bytes rows_frame(int n) {
  RowsBuilder b(2);
  for (int i = 0; i < n; ++i) {
    const std::string k = "key-" + std::to_string(i), v = "value of row " + std::to_string(i);
    const std::optional<BytesView> row[] = {view(k), view(v)};
    BOOST_TEST_REQUIRE(b.add_row(row).ok());
  }
  const DataType text = DataType::of(TypeId::varchar);
  Bytes frame;
  BOOST_TEST_REQUIRE(
      encode_response(Result{b.result(ResultMetadata::of(
                          {ColumnSpec{"ks", "t", "k", text}, ColumnSpec{"ks", "t", "v", text}}))},
                      frame)
          .ok());
  return frame;
}

struct Counts {
  std::size_t decode = 0, iterate = 0, cells = 0, bytes = 0;
};

Counts decode_and_visit(const Bytes& frame) {
  FrameSlice f;
  std::size_t needed = 0;
  Bytes scratch;
  FrameExtras extras;
  BytesView message;
  Response r;
  Counts c;
  const std::size_t start = allocations();
  const bool ok = split_frame(frame, f, needed).ok() &&
                  open_body(f.header, f.body, scratch, extras, message).ok() &&
                  decode_response(f.header, message, r).ok();
  c.decode = allocations() - start;
  BOOST_TEST_REQUIRE(ok);
  const auto& rows = std::get<RowsResult>(std::get<Result>(r));
  const std::size_t before_rows = allocations();
  for (Row row : rows.rows()) {
    for (std::optional<BytesView> cell : row) {
      ++c.cells;
      c.bytes += cell ? cell->size() : 0;
    }
  }
  c.iterate = allocations() - before_rows;
  return c;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(no_copies)

BOOST_AUTO_TEST_CASE(rows_decode_allocates_per_column_not_per_row) {
  const Counts one = decode_and_visit(rows_frame(1));
  const Counts many = decode_and_visit(rows_frame(5000));
  BOOST_TEST(one.cells == 2u);
  BOOST_TEST(many.cells == 10000u);
  BOOST_TEST(many.bytes > 100000u);
  BOOST_TEST(many.decode == one.decode);  // the metadata's, whatever the row count
  BOOST_TEST(one.iterate == 0u);
  BOOST_TEST(many.iterate == 0u);
}

BOOST_AUTO_TEST_CASE(encoding_into_a_reused_buffer_allocates_nothing) {
  static constexpr std::uint8_t kId[] = {0xca, 0xfe, 0xba, 0xbe};
  Execute e{kId, {}};
  e.params.values = {Value::of(view("order-001")), Value::of(view(R"({"qty":5})"))};
  const Request request{e};
  Bytes out;
  BOOST_TEST_REQUIRE(encode_request(request, out).ok());  // grows the buffer once
  std::size_t start = allocations();
  const bool ok = encode_request(request, out).ok();
  BOOST_TEST(allocations() - start == 0u);
  BOOST_TEST(ok);

  const Bytes frame = rows_frame(100);
  Response r;
  BOOST_TEST_REQUIRE(decode_response(FrameHeader{4, true, 0, 0, Opcode::result, 0},
                                     BytesView(frame).subspan(kHeaderSize), r)
                         .ok());
  Bytes again;
  BOOST_TEST_REQUIRE(encode_response(r, again).ok());
  start = allocations();
  const bool ok2 = encode_response(r, again).ok();
  BOOST_TEST(allocations() - start == 0u);
  BOOST_TEST(ok2);
  BOOST_TEST(to_hex(again) == to_hex(frame));
}

BOOST_AUTO_TEST_CASE(compressed_encoding_reuses_its_scratch,
                     *boost::unit_test::precondition([](auto) { return lz4_available(); })) {
  const std::string query(4000, 'q');
  const Request request{Query{query, {}}};
  Bytes out, scratch;
  FrameOptions o;
  o.compress = true;
  o.scratch = &scratch;
  // Compression swaps the frame and the scratch buffer, so two rounds size both of them.
  BOOST_TEST_REQUIRE(encode_request(request, out, o).ok());
  BOOST_TEST_REQUIRE(encode_request(request, out, o).ok());
  const std::size_t start = allocations();
  const bool ok = encode_request(request, out, o).ok();
  BOOST_TEST(allocations() - start == 0u);
  BOOST_TEST(ok);
  BOOST_TEST(out[1] == kFlagCompression);
}

BOOST_AUTO_TEST_SUITE_END()
