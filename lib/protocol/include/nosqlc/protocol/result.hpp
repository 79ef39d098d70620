// The RESULT response, native_protocol_v4.spec section 4.2.5: Void, Rows (with zero-copy row
// and cell views), Set_keyspace, Prepared and Schema_change.
#pragma once

#include "nosqlc/protocol/events.hpp"
#include "nosqlc/protocol/notations.hpp"
#include "nosqlc/protocol/types.hpp"

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <span>
#include <string>
#include <variant>
#include <vector>

namespace nosqlc::protocol {

enum class ResultKind : std::int32_t {
  void_ = 0x0001,
  rows = 0x0002,
  set_keyspace = 0x0003,
  prepared = 0x0004,
  schema_change = 0x0005,
};

// <col_spec_i>: (<ksname><tablename>)?<name><type>.
struct ColumnSpec {
  std::string keyspace;
  std::string table;
  std::string name;
  DataType type;
  bool operator==(const ColumnSpec&) const = default;
};

// Rows <metadata>, section 4.2.5.2. Encoding uses Global_tables_spec exactly when there is at
// least one column and all columns share one keyspace and table; with no_metadata the columns
// are not written, but any given still set that flag, as Cassandra's skip_metadata answers do.
struct ResultMetadata {
  std::int32_t column_count = 0;  // equals columns.size() unless no_metadata
  bool no_metadata = false;       // No_metadata: columns empty when decoded
  // Decoded with No_metadata: whether Global_tables_spec was set too (Cassandra keeps it), so
  // that encoding again gives the same bytes. Encoding also sets that flag for it.
  bool global_tables_spec = false;
  std::optional<BytesView> paging_state;  // Has_more_pages; views the decoded body
  std::vector<ColumnSpec> columns;

  // Metadata describing `cols` (column_count set to match).
  static ResultMetadata of(std::vector<ColumnSpec> cols);
};

// Reads the cell at `p` without bounds checks; only for bytes a decoder validated.
inline std::int32_t load_cell_length(const std::uint8_t* p) noexcept {
  return static_cast<std::int32_t>((std::uint32_t{p[0]} << 24) | (std::uint32_t{p[1]} << 16) |
                                   (std::uint32_t{p[2]} << 8) | std::uint32_t{p[3]});
}

// One row: its cells are [bytes], nullopt for null. Views validated bytes; cheap to copy.
class Row {
 public:
  class iterator {
   public:
    using value_type = std::optional<BytesView>;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const std::uint8_t* p, std::size_t left) noexcept : p_(p), left_(left) {}
    value_type operator*() const noexcept {
      std::int32_t n = load_cell_length(p_);
      if (n < 0) return std::nullopt;
      return BytesView(p_ + 4, static_cast<std::size_t>(n));
    }
    iterator& operator++() noexcept {
      std::int32_t n = load_cell_length(p_);
      p_ += 4 + (n < 0 ? 0 : static_cast<std::size_t>(n));
      --left_;
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(std::default_sentinel_t) const noexcept { return left_ == 0; }
    const std::uint8_t* position() const noexcept { return p_; }

   private:
    const std::uint8_t* p_ = nullptr;
    std::size_t left_ = 0;
  };

  Row(const std::uint8_t* p, std::size_t columns) noexcept : p_(p), columns_(columns) {}
  std::size_t size() const noexcept { return columns_; }
  iterator begin() const noexcept { return {p_, columns_}; }
  std::default_sentinel_t end() const noexcept { return {}; }
  // Cell `i` (< size()), found by walking the cells before it.
  std::optional<BytesView> operator[](std::size_t i) const noexcept;

 private:
  const std::uint8_t* p_;
  std::size_t columns_;
};

// The rows of a decoded Rows result, in order.
class RowRange {
 public:
  class iterator {
   public:
    using value_type = Row;
    using difference_type = std::ptrdiff_t;
    iterator() = default;
    iterator(const std::uint8_t* p, std::size_t left, std::size_t columns) noexcept
        : p_(p), left_(left), columns_(columns) {}
    Row operator*() const noexcept { return {p_, columns_}; }
    iterator& operator++() noexcept {
      Row::iterator c(p_, columns_);
      for (std::size_t i = 0; i < columns_; ++i)
        ++c;
      p_ = c.position();
      --left_;
      return *this;
    }
    iterator operator++(int) noexcept {
      iterator old = *this;
      ++*this;
      return old;
    }
    bool operator==(std::default_sentinel_t) const noexcept { return left_ == 0; }

   private:
    const std::uint8_t* p_ = nullptr;
    std::size_t left_ = 0;
    std::size_t columns_ = 0;
  };

  RowRange(const std::uint8_t* p, std::size_t rows, std::size_t columns) noexcept
      : p_(p), rows_(rows), columns_(columns) {}
  std::size_t size() const noexcept { return rows_; }
  bool empty() const noexcept { return rows_ == 0; }
  iterator begin() const noexcept { return {p_, rows_, columns_}; }
  std::default_sentinel_t end() const noexcept { return {}; }

 private:
  const std::uint8_t* p_;
  std::size_t rows_;
  std::size_t columns_;
};

// Rows, section 4.2.5.2. `content` holds row_count * metadata.column_count [bytes]; decoding
// validates every length once (no allocation per row or cell) and rows() re-walks the bytes.
// The content views the decoded body (or the RowsBuilder that made it).
struct RowsResult {
  ResultMetadata metadata;
  std::int32_t row_count = 0;
  BytesView content;

  RowRange rows() const noexcept {
    return {content.data(), static_cast<std::size_t>(row_count < 0 ? 0 : row_count),
            static_cast<std::size_t>(metadata.column_count < 0 ? 0 : metadata.column_count)};
  }
};

// Checks that `content` is exactly `rows` rows of `columns` [bytes] cells. invalid_length for a
// negative count or a count the content cannot hold, incomplete or extra_bytes otherwise.
[[nodiscard]] Status validate_rows(BytesView content, std::int64_t rows, std::int64_t columns);

// Accumulates encoded rows for a Rows result (the server's side), reusing its buffer.
class RowsBuilder {
 public:
  explicit RowsBuilder(std::size_t columns) noexcept : columns_(columns) {}
  // Appends one row; invalid_value unless it has exactly `columns` cells (nullopt is null).
  [[nodiscard]] Status add_row(std::span<const std::optional<BytesView>> cells);
  void clear() noexcept {
    bytes_.clear();
    rows_ = 0;
  }
  std::size_t row_count() const noexcept { return rows_; }
  // A result viewing this builder's bytes: valid until the next add_row or clear.
  RowsResult result(ResultMetadata metadata) const;

 private:
  std::size_t columns_;
  std::size_t rows_ = 0;
  Bytes bytes_;
};

struct VoidResult {};

struct SetKeyspaceResult {
  std::string keyspace;
};

// Prepared <metadata>, section 4.2.5.4: the bind markers.
struct PreparedMetadata {
  std::vector<std::uint16_t> pk_indices;
  std::vector<ColumnSpec> columns;
};

struct PreparedResult {
  BytesView id;  // views the decoded body
  PreparedMetadata metadata;
  ResultMetadata result_metadata;
};

// Schema_change results carry a SchemaChange (events.hpp).
using Result =
    std::variant<VoidResult, RowsResult, SetKeyspaceResult, PreparedResult, SchemaChange>;

// Rows <metadata>; invalid_value for flags section 4.2.5.2 does not define.
void read_result_metadata(Reader& r, ResultMetadata& out);
void write_result_metadata(Writer& w, const ResultMetadata& m);

// A whole RESULT body; invalid_value for an unknown kind. Writing a RowsResult validates its
// content against its counts.
void read_body(Reader& r, Result& out);
void write_body(Writer& w, const Result& m);

}  // namespace nosqlc::protocol
