// Internal: what the system-table sources share. system_tables.cpp holds the registry, row
// ordering and cell encoders; system_tables_local.cpp the node tables (local, peers, peers_v2);
// system_tables_schema.cpp the schema tables (system_schema, system_virtual_schema);
// system_tables_traces.cpp system_traces.
#pragma once

#include "cql/cells.hpp"
#include "system/system_tables.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox::systables {

using protocol::Bytes;

// Computes a table's rows in any order; the registry sorts them into primary-key order.
using Generator = std::vector<SystemRow> (*)(const SystemTable&, const Store&, const ClusterInfo&,
                                             std::size_t self);

// ---- Cells. The optional ones are null when the value cannot be encoded (text that is not
// UTF-8, an address that is neither 4 nor 16 bytes): a wrong cell never reaches a driver. ----
std::optional<Bytes> text_cell(std::string_view v);
using cells::bigint_cell;
using cells::boolean_cell;
using cells::double_cell;
using cells::int_cell;
using cells::timestamp_cell;
using cells::uuid_cell;
Bytes blob_cell(std::string_view bytes);
std::optional<Bytes> inet_cell(const protocol::Inet& v);
// set<text>: serialized in sorted order without duplicates, as Cassandra stores sets.
std::optional<Bytes> text_set_cell(std::vector<std::string> elements);
std::optional<Bytes> text_map_cell(const std::map<std::string, std::string>& entries);
Bytes empty_map_cell();

// Fills one row by column name, so generators do not depend on column order.
class RowBuilder {
 public:
  explicit RowBuilder(const SystemTable& table) : table_(table), row_(table.def.columns.size()) {}
  // Throws std::logic_error for a column the table does not have (a bug in a generator).
  RowBuilder& set(std::string_view column, std::optional<Bytes> value);
  SystemRow take() { return std::move(row_); }

 private:
  const SystemTable& table_;
  SystemRow row_;
};

// ---- Generators ----
std::vector<SystemRow> local_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                  std::size_t self);
std::vector<SystemRow> peers_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                  std::size_t self);
std::vector<SystemRow> peers_v2_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                     std::size_t self);

std::vector<SystemRow> keyspaces_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                      std::size_t self);
std::vector<SystemRow> tables_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                   std::size_t self);
std::vector<SystemRow> columns_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                    std::size_t self);
std::vector<SystemRow> dropped_columns_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                            std::size_t self);
// Triggers, views, types, functions, aggregates, indexes: the Store has none of them.
std::vector<SystemRow> no_rows(const SystemTable&, const Store&, const ClusterInfo&,
                               std::size_t self);

// system_traces, from the Store's TraceLog.
std::vector<SystemRow> trace_sessions_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                           std::size_t self);
std::vector<SystemRow> trace_events_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                         std::size_t self);

std::vector<SystemRow> node_stats_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                       std::size_t self);
std::vector<SystemRow> nodes_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                  std::size_t self);
std::vector<SystemRow> virtual_keyspaces_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                              std::size_t self);
std::vector<SystemRow> virtual_tables_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                           std::size_t self);
std::vector<SystemRow> virtual_columns_rows(const SystemTable&, const Store&, const ClusterInfo&,
                                            std::size_t self);

}  // namespace nosqlc::sandbox::systables
