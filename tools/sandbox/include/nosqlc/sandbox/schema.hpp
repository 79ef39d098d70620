// The sandbox's schema objects: keyspaces and tables as the store keeps them.
#pragma once

#include "nosqlc/protocol/notations.hpp"
#include "nosqlc/protocol/types.hpp"

#include <cstddef>
#include <cstdint>
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

// A table's options (WITH ...) as Cassandra 4.0's TableParams keeps them, with its defaults.
// The maps hold what system_schema.tables shows: classes by their full names, every option
// as text.
struct TableParams {
  std::string comment;
  double bloom_filter_fp_chance = 0.01;  // 0.1 under LeveledCompactionStrategy
  std::map<std::string, std::string> caching{{"keys", "ALL"}, {"rows_per_partition", "NONE"}};
  std::map<std::string, std::string> compaction{
      {"class", "org.apache.cassandra.db.compaction.SizeTieredCompactionStrategy"},
      {"max_threshold", "32"},
      {"min_threshold", "4"}};
  std::map<std::string, std::string> compression{
      {"chunk_length_in_kb", "16"}, {"class", "org.apache.cassandra.io.compress.LZ4Compressor"}};
  double crc_check_chance = 1.0;
  std::int32_t default_time_to_live = 0;  // seconds; applied to writes without a TTL
  std::int32_t gc_grace_seconds = 864000;
  std::int32_t max_index_interval = 2048;
  std::int32_t memtable_flush_period_in_ms = 0;
  std::int32_t min_index_interval = 128;
  std::string read_repair = "BLOCKING";
  std::string speculative_retry = "99p";
  std::string additional_write_policy = "99p";
  bool cdc = false;
  bool operator==(const TableParams&) const = default;
};

// A column dropped by ALTER TABLE ... DROP: its values written at or before `dropped_at`
// (microseconds) stay invisible even when a column of that name is added again.
struct DroppedColumn {
  std::string name;
  protocol::DataType type;
  bool frozen = false;
  std::int64_t dropped_at = 0;
  bool operator==(const DroppedColumn&) const = default;
};

// A table with a single-column partition key and no clustering columns.
struct TableDef {
  std::string keyspace;
  std::string name;
  std::vector<ColumnDef> columns;  // in definition order, partition key included
  std::size_t partition_key = 0;   // index into columns
  protocol::Uuid id{};             // assigned by the store when the table is created
  TableParams params;
  std::vector<DroppedColumn> dropped;  // by ALTER TABLE, oldest first

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
