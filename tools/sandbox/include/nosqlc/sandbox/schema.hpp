// The sandbox's schema objects: keyspaces and tables as the store keeps them.
#pragma once

#include "nosqlc/protocol/notations.hpp"
#include "nosqlc/protocol/types.hpp"

#include <cstddef>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox {

struct KeyspaceDef {
  std::string name;
  // "class" (normalized by the store to Cassandra's full class name, e.g.
  // "org.apache.cassandra.locator.SimpleStrategy") and the strategy's options.
  std::map<std::string, std::string> replication;
  bool durable_writes = true;
  bool operator==(const KeyspaceDef&) const = default;
};

struct ColumnDef {
  std::string name;
  protocol::DataType type;
  // A frozen list, set or map (DataType has no such flag): one value, written whole, shown as
  // frozen<...> in system_schema.columns. Tuples are always frozen and never flagged.
  bool frozen = false;
  bool operator==(const ColumnDef&) const = default;
};

// A table with a single-column partition key and no clustering columns.
struct TableDef {
  std::string keyspace;
  std::string name;
  std::vector<ColumnDef> columns;  // in definition order, partition key included
  std::size_t partition_key = 0;   // index into columns
  protocol::Uuid id{};             // assigned by the store when the table is created

  // Index of the column called `column` (already case-folded), or nullopt.
  std::optional<std::size_t> column_index(std::string_view column) const noexcept {
    for (std::size_t i = 0; i < columns.size(); ++i) {
      if (columns[i].name == column) return i;
    }
    return std::nullopt;
  }
  bool operator==(const TableDef&) const = default;
};

// Tables are immutable once created; a read result holds the definition it was read with,
// so it stays meaningful when the table is dropped or recreated meanwhile.
using TablePtr = std::shared_ptr<const TableDef>;

}  // namespace nosqlc::sandbox
