// The read-only system tables the sandbox serves, so that drivers connect and build their
// schema metadata as against Cassandra 4.0: system.local, system.peers, system.peers_v2, the ten
// tables of system_schema and the three of system_virtual_schema. Each table has Cassandra
// 4.0's columns (names, CQL types, SELECT * order) and computes its rows on every read from the
// Store and a description of the cluster.
//
// Thread safety: every function may be called concurrently; the table registry is built once,
// on first use, and never changes. Rows read the Store through its own locking.
#pragma once

#include "nosqlc/protocol/notations.hpp"
#include "nosqlc/sandbox/cluster.hpp"
#include "nosqlc/sandbox/schema.hpp"
#include "nosqlc/sandbox/store.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox {

// One row of a system table: one cell per column of its TableDef, CQL-serialized (nullopt is
// null).
using SystemRow = std::vector<std::optional<protocol::Bytes>>;

// A read-only table computed on every read.
struct SystemTable {
  // Keyspace, name, id (Cassandra's TableId.forSystemTable) and columns with Cassandra 4.0's
  // names and CQL types in SELECT * order: partition key, clustering, then the regular columns
  // alphabetically. def.partition_key is the first partition-key column.
  TableDef def;
  std::vector<std::size_t> partition_key;  // indices into def.columns
  std::vector<std::size_t> clustering;     // indices, in clustering order (all ascending)
  // Per column of def, the type as system_schema.columns spells it ("frozen<map<text, text>>"):
  // DataType has no frozen flag.
  std::vector<std::string> schema_types;
  std::string comment;
  // system_virtual_schema's tables: described there rather than in system_schema, and ordered
  // by key rather than by token (Cassandra gives virtual tables a LocalPartitioner).
  bool is_virtual = false;
  // Every row as node `self` (an index into cluster.nodes) sees it, in primary-key order: by
  // Murmur3 token of the partition key (by the key itself for virtual tables), then by
  // clustering columns. A `self` out of range sees no local row and every node as a peer.
  // Throws only std::bad_alloc.
  std::function<std::vector<SystemRow>(const Store&, const ClusterInfo&, std::size_t self)> rows;
};

// The system table `keyspace`.`table` (names already case-folded), or nullptr.
const SystemTable* find_system_table(std::string_view keyspace, std::string_view table);

// Every system table: system, then system_schema, then system_virtual_schema.
std::span<const SystemTable> system_tables();

// True for the keyspaces Cassandra owns (system, system_schema, system_auth, system_distributed,
// system_traces, system_virtual_schema, system_views), whether or not the sandbox serves tables
// in them, and the sandbox's own `sandbox` keyspace: none can be created or dropped.
bool is_system_keyspace(std::string_view name);

// Cassandra's TableId.forSystemTable: the name-based (MD5, version 3) UUID of the bytes of
// `keyspace` followed by those of `table`.
protocol::Uuid system_table_id(std::string_view keyspace, std::string_view table);

// A column type as Cassandra 4.0 writes it in system_schema.columns: to_cql's spelling, with
// collections nested in collections or tuples shown frozen<> (as Cassandra requires them to
// be) and UDTs by their name alone, frozen<>. A top-level frozen collection cannot be told from
// a non-frozen one (DataType has no frozen flag) and shows unfrozen: for a table's column,
// ColumnDef::frozen says to wrap it in frozen<>.
std::string schema_type_text(const protocol::DataType& type);

}  // namespace nosqlc::sandbox
