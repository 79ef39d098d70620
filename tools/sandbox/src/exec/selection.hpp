// Internal: a SELECT list prepared against its table (Cassandra's Selection and its selector
// factories): columns, writetime() and ttl(), native functions, casts, terms, arithmetic and
// aggregates, as plain rows or as SELECT JSON's one text column.
#pragma once

#include "exec/aggregates.hpp"
#include "exec/functions.hpp"

#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace nosqlc::sandbox::detail {

// One row as the selection reads it.
struct RowInput {
  const std::vector<std::optional<Bytes>>& cells;
  const std::vector<CellStamp>* stamps = nullptr;  // null for system tables
  std::int64_t token = 0;
  std::int64_t now_micros = 0;  // for ttl()
};

// One prepared selector: a tree evaluated per row, or fed every row when it aggregates.
struct SelectorNode {
  enum class Kind { column, writetime, ttl, token, term, scalar, aggregate, to_json };
  Kind kind = Kind::column;
  DataType type;
  std::string name;        // the column name Cassandra gives it
  std::size_t column = 0;  // column, writetime, ttl
  const ScalarFunction* function = nullptr;
  std::shared_ptr<Aggregate> aggregate;  // fresh per execution
  std::vector<SelectorNode> args;
  std::optional<Bytes> constant;  // term: evaluated at execution
  // In an aggregate query, a column's value is that of the first row read.
  std::optional<std::optional<Bytes>> first;

  bool aggregates() const;
  std::optional<Bytes> value(const RowInput& row) const;
  void add(const RowInput& row);
  std::optional<Bytes> output() const;
};

class Selection {
 public:
  // Prepares the selection of `s` on `t`, with Cassandra's errors. `bindings` gives the
  // terms' values (null at PREPARE, where only the types matter). Each marker in the list is
  // reported to `on_marker` with the type its place gives it.
  using MarkerSink = std::function<void(int index, const std::string& name, const DataType&)>;
  Selection(const cql::Select& s, const TableRef& t, const Bindings* bindings,
            const MarkerSink& on_marker = {});

  // The result's columns: the selectors', or SELECT JSON's one "[json]".
  std::vector<std::pair<std::string, DataType>> columns() const;
  // Declares those columns in `w`.
  void declare(RowsWriter& w) const;
  bool aggregate() const noexcept { return aggregate_; }

  // A non-aggregate selection's row; an aggregate one feeds it and writes nothing.
  void add(const RowInput& row, RowsWriter& w);
  // An aggregate selection writes its one row.
  void finish(RowsWriter& w);

 private:
  std::vector<SelectorNode> outputs_;
  bool aggregate_ = false;
  bool json_ = false;
  bool only_columns_ = true;  // every output a plain column: rows need no computed cells

  void write(std::span<const std::optional<BytesView>> cells, RowsWriter& w) const;
};

}  // namespace nosqlc::sandbox::detail
