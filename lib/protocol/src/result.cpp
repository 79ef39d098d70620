#include "nosqlc/protocol/result.hpp"

#include <string>

namespace nosqlc::protocol {
namespace {

constexpr std::int32_t kGlobalTablesSpec = 0x0001;
constexpr std::int32_t kHasMorePages = 0x0002;
constexpr std::int32_t kNoMetadata = 0x0004;

// Walks `cells` [bytes] at the front of `data`: the bytes they take, or the error that stops
// the walk. Negative lengths are null per section 3; no allocation.
struct Walk {
  errc error{};
  std::size_t consumed = 0;
};

Walk walk_cells(BytesView data, std::uint64_t cells) {
  const std::uint8_t* p = data.data();
  std::size_t left = data.size();
  for (std::uint64_t i = 0; i < cells; ++i) {
    if (left < 4) return {errc::incomplete, data.size() - left};
    std::int32_t n = load_cell_length(p);
    p += 4;
    left -= 4;
    if (n > 0) {
      if (left < static_cast<std::size_t>(n)) return {errc::incomplete, data.size() - left};
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
  return {errc{}, data.size() - left};
}

// Rows of zero columns carry no bytes, so their count cannot be checked against the body:
// refused, since a hostile count would then cost iterations for nothing.
bool check_row_count(Reader& r, std::int64_t rows, std::int64_t columns) {
  if (columns == 0) {
    if (rows != 0) r.fail(errc::invalid_length, "row count without columns");
    return r.ok();
  }
  return r.check_count(rows, 4 * static_cast<std::size_t>(columns), "row count");
}

void read_column_specs(Reader& r, std::int32_t count, bool global, std::vector<ColumnSpec>& out) {
  std::string keyspace, table;
  if (global) {
    keyspace = std::string(r.string("global keyspace"));
    table = std::string(r.string("global table"));
  }
  // A column spec takes at least its name and type id, plus two strings without a global spec.
  if (!r.check_count(count, global ? 4 : 8, "column count")) return;
  out.reserve(static_cast<std::size_t>(count));
  for (std::int32_t i = 0; i < count && r.ok(); ++i) {
    ColumnSpec c;
    if (global) {
      c.keyspace = keyspace;
      c.table = table;
    } else {
      c.keyspace = std::string(r.string("column keyspace"));
      c.table = std::string(r.string("column table"));
    }
    c.name = std::string(r.string("column name"));
    c.type = read_type(r);
    out.push_back(std::move(c));
  }
}

bool shares_table(const std::vector<ColumnSpec>& cols) {
  if (cols.empty()) return false;
  for (const auto& c : cols) {
    if (c.keyspace != cols.front().keyspace || c.table != cols.front().table) return false;
  }
  return true;
}

void write_column_specs(Writer& w, const std::vector<ColumnSpec>& cols, bool global) {
  if (global) {
    w.string(cols.front().keyspace);
    w.string(cols.front().table);
  }
  for (const auto& c : cols) {
    if (!global) {
      w.string(c.keyspace);
      w.string(c.table);
    }
    w.string(c.name);
    write_type(w, c.type);
  }
}

void read_rows(Reader& r, RowsResult& out) {
  read_result_metadata(r, out.metadata);
  out.row_count = r.i32("row count");
  if (!r.ok() || !check_row_count(r, out.row_count, out.metadata.column_count)) return;
  const std::uint64_t cells = static_cast<std::uint64_t>(out.row_count) *
                              static_cast<std::uint64_t>(out.metadata.column_count);
  Walk walk = walk_cells(r.rest(), cells);
  if (walk.error != errc{}) {
    r.raw(walk.consumed, "rows");
    return r.fail(walk.error, "row cell");
  }
  out.content = r.raw(walk.consumed, "rows");
}

void write_rows(Writer& w, const RowsResult& m) {
  if (Status s = validate_rows(m.content, m.row_count, m.metadata.column_count); !s) {
    return w.fail(errc::invalid_value, "rows content: " + s.message);
  }
  write_result_metadata(w, m.metadata);
  w.i32(m.row_count);
  w.raw(m.content);
}

void read_prepared(Reader& r, PreparedResult& out) {
  out.id = r.short_bytes("prepared id");
  std::int32_t flags = r.i32("prepared metadata flags");
  std::int32_t count = r.i32("bind marker count");
  std::int32_t pk_count = r.i32("partition key count");
  if (!r.ok()) return;
  if (flags & ~kGlobalTablesSpec) return r.fail(errc::invalid_value, "prepared metadata flags");
  if (!r.check_count(pk_count, 2, "partition key count")) return;
  out.metadata.pk_indices.reserve(static_cast<std::size_t>(pk_count));
  for (std::int32_t i = 0; i < pk_count && r.ok(); ++i)
    out.metadata.pk_indices.push_back(r.u16("partition key index"));
  read_column_specs(r, count, (flags & kGlobalTablesSpec) != 0, out.metadata.columns);
  read_result_metadata(r, out.result_metadata);
}

void write_prepared(Writer& w, const PreparedResult& m) {
  const bool global = shares_table(m.metadata.columns);
  w.short_bytes(m.id);
  w.i32(global ? kGlobalTablesSpec : 0);
  w.i32(static_cast<std::int32_t>(m.metadata.columns.size()));
  w.i32(static_cast<std::int32_t>(m.metadata.pk_indices.size()));
  for (std::uint16_t i : m.metadata.pk_indices)
    w.u16(i);
  write_column_specs(w, m.metadata.columns, global);
  write_result_metadata(w, m.result_metadata);
}

}  // namespace

ResultMetadata ResultMetadata::of(std::vector<ColumnSpec> cols) {
  ResultMetadata m;
  m.column_count = static_cast<std::int32_t>(cols.size());
  m.columns = std::move(cols);
  return m;
}

std::optional<BytesView> Row::operator[](std::size_t i) const noexcept {
  iterator it = begin();
  for (std::size_t k = 0; k < i; ++k)
    ++it;
  return *it;
}

Status validate_rows(BytesView content, std::int64_t rows, std::int64_t columns) {
  Reader r(content);
  if (columns < 0) r.fail(errc::invalid_length, "column count");
  if (!check_row_count(r, rows, columns)) return r.status();
  Walk walk =
      walk_cells(content, static_cast<std::uint64_t>(rows) * static_cast<std::uint64_t>(columns));
  r.raw(walk.consumed, "rows");
  if (walk.error != errc{}) r.fail(walk.error, "row cell");
  r.expect_end("rows");
  return r.status();
}

Status RowsBuilder::add_row(std::span<const std::optional<BytesView>> cells) {
  if (cells.size() != columns_) {
    return Status{make_error_code(errc::invalid_value), "row of " + std::to_string(cells.size()) +
                                                            " cells for " +
                                                            std::to_string(columns_) + " columns"};
  }
  Writer w(bytes_);
  for (const auto& c : cells)
    w.bytes(c);
  if (w.ok()) ++rows_;
  return w.status();
}

RowsResult RowsBuilder::result(ResultMetadata metadata) const {
  RowsResult r;
  r.metadata = std::move(metadata);
  r.row_count = static_cast<std::int32_t>(rows_);
  r.content = bytes_;
  return r;
}

void read_result_metadata(Reader& r, ResultMetadata& out) {
  out = {};
  std::int32_t flags = r.i32("metadata flags");
  out.column_count = r.i32("column count");
  if (!r.ok()) return;
  if (flags & ~(kGlobalTablesSpec | kHasMorePages | kNoMetadata)) {
    return r.fail(errc::invalid_value, "metadata flags");
  }
  if (out.column_count < 0) return r.fail(errc::invalid_length, "column count");
  if (flags & kHasMorePages) out.paging_state = r.bytes("paging state").value_or(BytesView{});
  out.no_metadata = (flags & kNoMetadata) != 0;
  if (out.no_metadata) {
    out.global_tables_spec = (flags & kGlobalTablesSpec) != 0;
    return;
  }
  read_column_specs(r, out.column_count, (flags & kGlobalTablesSpec) != 0, out.columns);
}

void write_result_metadata(Writer& w, const ResultMetadata& m) {
  if (!m.no_metadata && m.columns.size() != static_cast<std::size_t>(m.column_count)) {
    return w.fail(errc::invalid_value, "metadata column count");
  }
  // With No_metadata the columns, if given, are not written but still decide the flag:
  // Cassandra's setSkipMetadata only adds a flag to the table's (0x0005).
  const bool global = shares_table(m.columns) || (m.no_metadata && m.global_tables_spec);
  std::int32_t flags = (global ? kGlobalTablesSpec : 0) | (m.paging_state ? kHasMorePages : 0) |
                       (m.no_metadata ? kNoMetadata : 0);
  w.i32(flags);
  w.i32(m.column_count);
  if (m.paging_state) w.bytes(*m.paging_state);
  if (!m.no_metadata) write_column_specs(w, m.columns, global);
}

void read_body(Reader& r, Result& out) {
  auto kind = static_cast<ResultKind>(r.i32("result kind"));
  if (!r.ok()) return;
  switch (kind) {
    case ResultKind::void_:
      out = VoidResult{};
      return;
    case ResultKind::rows:
      read_rows(r, out.emplace<RowsResult>());
      return;
    case ResultKind::set_keyspace:
      out = SetKeyspaceResult{std::string(r.string("keyspace"))};
      return;
    case ResultKind::prepared:
      read_prepared(r, out.emplace<PreparedResult>());
      return;
    case ResultKind::schema_change:
      read_schema_change(r, out.emplace<SchemaChange>());
      return;
  }
  r.fail(errc::invalid_value, "result kind " + std::to_string(static_cast<std::int32_t>(kind)));
}

void write_body(Writer& w, const Result& m) {
  std::visit(
      [&](const auto& v) {
        using V = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<V, VoidResult>) {
          w.i32(static_cast<std::int32_t>(ResultKind::void_));
        } else if constexpr (std::is_same_v<V, RowsResult>) {
          w.i32(static_cast<std::int32_t>(ResultKind::rows));
          write_rows(w, v);
        } else if constexpr (std::is_same_v<V, SetKeyspaceResult>) {
          w.i32(static_cast<std::int32_t>(ResultKind::set_keyspace));
          w.string(v.keyspace);
        } else if constexpr (std::is_same_v<V, PreparedResult>) {
          w.i32(static_cast<std::int32_t>(ResultKind::prepared));
          write_prepared(w, v);
        } else {
          w.i32(static_cast<std::int32_t>(ResultKind::schema_change));
          write_schema_change(w, v);
        }
      },
      m);
}

}  // namespace nosqlc::protocol
