// EVENT messages (native_protocol_v4.spec section 4.2.6) and the schema change description
// they share with the Schema_change result (section 4.2.5.5).
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nosqlc::protocol {

enum class SchemaChangeType : std::uint8_t { created, updated, dropped };
enum class SchemaTarget : std::uint8_t { keyspace, table, type, function, aggregate };
// "CREATED", ...; "KEYSPACE", ...: the protocol's spelling.
std::string_view to_string(SchemaChangeType t) noexcept;
std::string_view to_string(SchemaTarget t) noexcept;

// <change_type><target><options>. `name` is empty for a keyspace target; `arg_types` (CQL type
// names) is used by the FUNCTION and AGGREGATE targets only.
struct SchemaChange {
  SchemaChangeType change = SchemaChangeType::created;
  SchemaTarget target = SchemaTarget::keyspace;
  std::string keyspace;
  std::string name;
  std::vector<std::string> arg_types;
};

// "NEW_NODE", "REMOVED_NODE" (and "MOVED_NODE", which Cassandra also sends).
enum class TopologyChangeType : std::uint8_t { new_node, removed_node, moved_node };
struct TopologyChange {
  TopologyChangeType change = TopologyChangeType::new_node;
  Inet node;
};

enum class StatusChangeType : std::uint8_t { up, down };  // "UP", "DOWN"
struct StatusChange {
  StatusChangeType change = StatusChangeType::up;
  Inet node;
};

// The body of an EVENT: "TOPOLOGY_CHANGE", "STATUS_CHANGE" or "SCHEMA_CHANGE".
using Event = std::variant<TopologyChange, StatusChange, SchemaChange>;

// <change_type><target><options> without an event type; invalid_value for an unknown change
// type or target.
void read_schema_change(Reader& r, SchemaChange& out);
void write_schema_change(Writer& w, const SchemaChange& m);

// A whole EVENT body; invalid_value for an unknown event or change type.
void read_body(Reader& r, Event& out);
void write_body(Writer& w, const Event& m);

}  // namespace nosqlc::protocol
