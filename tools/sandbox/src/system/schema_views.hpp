// Internal: the schema as system_schema and system_virtual_schema describe it, and as DESCRIBE
// prints it: the system keyspaces with the tables the sandbox serves in them, then the Store's.
// Both read it from here so that they never disagree.
#pragma once

#include "system/system_tables.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox::systables {

struct ColumnView {
  std::string name;
  std::string type;       // as system_schema.columns spells it ("frozen<list<int>>")
  std::string_view kind;  // "partition_key", "clustering", "regular"
  std::int32_t position = -1;
  std::string_view clustering_order = "none";
};

struct DroppedView {
  std::string name;
  std::string type;
  std::int64_t dropped_at = 0;  // microseconds
};

struct TableView {
  std::string name;
  protocol::Uuid id{};
  TableParams params;
  std::vector<ColumnView> columns;  // in definition order (user tables) or SELECT * order
  std::vector<DroppedView> dropped;
  bool is_virtual = false;
};

struct KeyspaceView {
  std::string name;
  bool durable_writes = true;
  std::map<std::string, std::string> replication;
  std::vector<TableView> tables;
};

// The keyspaces system_schema describes: the five that Cassandra 4.0 stores there, then the
// Store's. Of the system keyspaces' tables only those the sandbox serves are listed.
std::vector<KeyspaceView> schema_keyspaces(const Store& store);
// The virtual keyspaces (system_virtual_schema's): Cassandra 4.0's two and the sandbox's own.
std::vector<KeyspaceView> virtual_keyspaces();

}  // namespace nosqlc::sandbox::systables
