// libFuzzer target: raw CQL text through the sandbox's parser and executor, the server's
// largest attack surface, without the framing a mutation would have to keep consistent. Each
// input gets a fresh Store and Executor and is a script: one statement per line, run in order
// on one connection's state (USE, CREATE, INSERT, then SELECT), 64 statements at most.
//
// Checked for every statement: nothing throws; the reply encodes as a response frame that
// decodes and re-encodes to the same bytes; Rows cells decode as their column types; PREPARE
// accepts whatever QUERY ran. For a SELECT without time or random functions, two oracles:
// reading it page by page (page size 1 to 3, or a quarter of the rows, following the paging
// states) gives the same rows as one unpaged read, and PREPARE then EXECUTE gives those rows
// too, with the columns PREPARE announced.
#include "sandbox_checks.hpp"

#include <nosqlc/sandbox/cluster.hpp>
#include <nosqlc/sandbox/executor.hpp>
#include <nosqlc/sandbox/store.hpp>
#include "cql/parser.hpp"

#include <algorithm>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

using namespace nosqlc;
using namespace sandbox_fuzz;

namespace {

// Bounds the work of an input far below -timeout: under the sanitizers a read of a system
// table (rebuilt for every read) takes milliseconds, and each SELECT here is read several times.
constexpr std::size_t kMaxStatements = 64;

// One answer as a client sees it: the Reply encoded and decoded again.
struct Decoded {
  pr::Bytes frame;
  Answer answer;
};

void decode_reply(const sandbox::Reply& r, Decoded& d) {
  pr::FrameOptions fo;
  fo.warnings = r.warnings;
  pr::Status st = pr::encode_response(r.message, d.frame, fo);
  if (!st.ok()) {
    std::fprintf(stderr, "%s\n", st.message.c_str());
    broken("reply: does not encode");
  }
  decode_answer(d.frame, d.answer);
  if (const pr::RowsResult* rows = rows_of(d.answer.response)) {
    check_cells(*rows, rows->metadata.columns);
  }
}

// The rows' cells, flattened (null as nullopt), for comparing two reads.
using Cells = std::vector<std::optional<pr::Bytes>>;
void append_cells(const pr::RowsResult& rows, Cells& out) {
  for (pr::Row row : rows.rows()) {
    for (std::optional<pr::BytesView> c : row)
      out.push_back(c ? std::optional<pr::Bytes>(pr::Bytes(c->begin(), c->end())) : std::nullopt);
  }
}

bool same_columns(const std::vector<pr::ColumnSpec>& a, const std::vector<pr::ColumnSpec>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].name != b[i].name || !(a[i].type == b[i].type)) return false;
  }
  return true;
}

bool deterministic(std::string_view cql) {
  std::string lower(cql);
  for (char& c : lower)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (std::string_view f : {"now", "uuid", "current"}) {
    if (lower.find(f) != std::string::npos) return false;
  }
  return true;
}

// Only a SELECT may run again (a conditional write answers with rows too).
bool is_select(std::string_view cql) {
  auto parsed = sandbox::cql::parse(cql);
  return parsed && std::holds_alternative<sandbox::cql::Select>(parsed->statement);
}

class Script {
 public:
  void run(std::string_view cql) {
    context() = cql;
    pr::QueryParameters unpaged;
    sandbox::Reply r = executor_.query(cql, unpaged, state_);
    Decoded d;
    decode_reply(r, d);
    const pr::RowsResult* rows = rows_of(d.answer.response);
    require(!rows || !rows->metadata.paging_state, "rows: a paging state without paging");
    prepare(cql, rows, !std::holds_alternative<pr::ServerError>(d.answer.response));
    if (rows && deterministic(cql) && is_select(cql)) paged(cql, *rows);
    now_ += 1'000'000;  // a second per statement, so that TTLs can run out within an input
  }

 private:
  // Reads `cql` again in pages; the pages together must be `whole`.
  void paged(std::string_view cql, const pr::RowsResult& whole) {
    Cells expected, got;
    append_cells(whole, expected);
    pr::QueryParameters p;
    // Small pages, but at most about 5 of them.
    p.page_size = std::max(static_cast<std::int32_t>(1 + cql.size() % 3), whole.row_count / 4);
    pr::Bytes state;
    // Each page but the last holds a row, so more pages than rows means paging never ends.
    for (std::int32_t pages = 0;; ++pages) {
      require(pages <= whole.row_count, "paging: more pages than rows");
      sandbox::Reply r = executor_.query(cql, p, state_);
      Decoded d;
      decode_reply(r, d);
      const pr::RowsResult* rows = rows_of(d.answer.response);
      require(rows != nullptr, "paging: a page is not rows");
      require(rows->row_count <= *p.page_size, "paging: more rows than page_size");
      require(same_columns(rows->metadata.columns, whole.metadata.columns),
              "paging: a page has other columns");
      append_cells(*rows, got);
      if (!rows->metadata.paging_state) break;
      state.assign(rows->metadata.paging_state->begin(), rows->metadata.paging_state->end());
      p.paging_state = pr::BytesView(state);
    }
    require(got == expected, "paging: the pages differ from the unpaged rows");
  }

  // PREPARE must accept what QUERY ran; a SELECT without markers must EXECUTE to its rows.
  void prepare(std::string_view cql, const pr::RowsResult* rows, bool ran) {
    sandbox::Reply r = executor_.prepare(cql, state_);
    Decoded d;
    decode_reply(r, d);
    const auto* result = std::get_if<pr::Result>(&d.answer.response);
    if (!result) {
      require(!ran, "PREPARE: fails on what QUERY ran");
      return;
    }
    const auto* p = std::get_if<pr::PreparedResult>(result);
    require(p != nullptr, "PREPARE: answered by another RESULT kind");
    if (!p->metadata.columns.empty() || p->result_metadata.columns.empty()) return;
    pr::Bytes id(p->id.begin(), p->id.end());
    pr::QueryParameters none;
    sandbox::Reply e = executor_.execute(id, none, state_);
    Decoded de;
    decode_reply(e, de);
    const pr::RowsResult* executed = rows_of(de.answer.response);
    if (!executed) return;
    require(same_columns(executed->metadata.columns, p->result_metadata.columns),
            "EXECUTE: rows have other columns than PREPARE announced");
    if (rows && deterministic(cql)) {
      Cells a, b;
      append_cells(*rows, a);
      append_cells(*executed, b);
      require(a == b, "EXECUTE: other rows than QUERY");
    }
  }

  std::int64_t now_ = 1'700'000'000'000'000;
  sandbox::Store store_{[this] { return now_; }};
  sandbox::Cluster cluster_{1, 9042};
  sandbox::Executor executor_{store_, cluster_, 0};
  sandbox::ClientState state_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  context() = {};  // it viewed the previous input
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Script script;
  for (std::size_t n = 0; n < kMaxStatements && !text.empty(); ++n) {
    std::size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    script.run(line);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
  }
  return 0;
}
