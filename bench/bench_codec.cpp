// Codec micro-benchmarks: the client's hot paths. Encoding an EXECUTE of two text values into
// a reused buffer, and decoding a 5,000-row Rows result of (text, text) with every cell
// visited (plain, plain with each cell checked as UTF-8 text, and lz4-compressed).
#include <nosqlc/protocol/compression.hpp>
#include <nosqlc/protocol/messages.hpp>
#include <nosqlc/protocol/values.hpp>

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

using namespace nosqlc::protocol;

namespace {

BytesView bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

void BM_EncodeExecute(benchmark::State& state) {
  static constexpr std::uint8_t kId[16] = {0x9b, 0x1f, 0x3a, 0x07, 0x55, 0x21, 0xc4, 0x8e,
                                           0x10, 0x42, 0x77, 0xab, 0xcd, 0xef, 0x01, 0x23};
  const std::string key = "order-001";
  const std::string doc = R"({"item":"widget","qty":5,"status":"pending"})";
  Bytes out;
  std::int16_t stream = 0;
  for (auto _ : state) {
    Execute e{kId, {}};
    e.params.consistency = Consistency::local_quorum;
    e.params.values = {Value::of(bytes_of(key)), Value::of(bytes_of(doc))};
    Status s = encode_request(e, out);
    set_stream(out, stream++ & 0x7fff);
    benchmark::DoNotOptimize(s);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["frame_bytes"] = static_cast<double>(out.size());
}
BENCHMARK(BM_EncodeExecute);

// A RESULT frame of `n` rows (pk text, data text) as Cassandra would send for pynosqlc's table.
Bytes rows_frame(int n, bool compress) {
  RowsBuilder builder(2);
  std::vector<std::string> cells;
  for (int i = 0; i < n; ++i) {
    std::string pk = "order-" + std::to_string(i);
    std::string data = R"({"item":"widget","qty":)" + std::to_string(i % 100) +
                       R"(,"status":"pending","_id":")" + pk + "\"}";
    const std::optional<BytesView> row[] = {bytes_of(pk), bytes_of(data)};
    (void)builder.add_row(row);
  }
  auto text = DataType::of(TypeId::varchar);
  RowsResult rows = builder.result(ResultMetadata::of(
      {ColumnSpec{"ks", "orders", "pk", text}, ColumnSpec{"ks", "orders", "data", text}}));
  FrameOptions o;
  o.compress = compress;
  Bytes frame;
  if (!encode_response(Result{rows}, frame, o).ok()) std::abort();
  return frame;
}

void decode_rows(benchmark::State& state, bool compress, bool as_text = false) {
  const Bytes frame = rows_frame(5000, compress);
  Bytes scratch;
  std::size_t cells = 0;
  for (auto _ : state) {
    FrameSlice f;
    std::size_t needed = 0;
    FrameExtras extras;
    BytesView message;
    Response r;
    if (!split_frame(frame, f, needed).ok() ||
        !open_body(f.header, f.body, scratch, extras, message).ok() ||
        !decode_response(f.header, message, r).ok()) {
      state.SkipWithError("decode failed");
      break;
    }
    const auto& rows = std::get<RowsResult>(std::get<Result>(r));
    std::size_t bytes = 0;
    cells = 0;
    for (Row row : rows.rows()) {
      for (std::optional<BytesView> cell : row) {
        if (as_text && cell) {
          std::string_view text;
          if (!decode_text(*cell, text).ok()) state.SkipWithError("not text");
          bytes += text.size();
        } else {
          bytes += cell ? cell->size() : 0;
        }
        ++cells;
      }
    }
    benchmark::DoNotOptimize(bytes);
  }
  state.SetItemsProcessed(state.iterations() * 5000);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(frame.size()));
  state.counters["frame_bytes"] = static_cast<double>(frame.size());
  state.counters["cells"] = static_cast<double>(cells);
}

void BM_DecodeRows5000(benchmark::State& state) {
  decode_rows(state, false);
}
BENCHMARK(BM_DecodeRows5000);

void BM_DecodeRows5000Text(benchmark::State& state) {
  decode_rows(state, false, true);
}
BENCHMARK(BM_DecodeRows5000Text);

void BM_DecodeRows5000Lz4(benchmark::State& state) {
  if (!lz4_available()) {
    state.SkipWithError("built without lz4");
    return;
  }
  decode_rows(state, true);
}
BENCHMARK(BM_DecodeRows5000Lz4);

}  // namespace

BENCHMARK_MAIN();
