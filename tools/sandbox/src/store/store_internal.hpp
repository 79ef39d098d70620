// Internal: how the store keeps rows, shared by store_schema.cpp and store_data.cpp.
#pragma once

#include "nosqlc/sandbox/store.hpp"

#include <limits>

namespace nosqlc::sandbox {

// One written cell: a value or a tombstone (nullopt), with its write timestamp and expiry.
struct StoredCell {
  std::optional<Bytes> value;
  std::int64_t timestamp = 0;
  std::int64_t expires_at = 0;  // microseconds; 0 for never
};

struct StoredRow {
  // The row marker INSERT writes (Cassandra's primary key liveness info).
  std::optional<std::int64_t> marker_timestamp;
  std::int64_t marker_expires_at = 0;
  // Row tombstone: everything written at or before it is deleted (min: none).
  std::int64_t deleted_at = std::numeric_limits<std::int64_t>::min();
  std::vector<std::optional<StoredCell>> cells;  // per column; the key's slot stays empty
};

struct Store::TableData {
  TablePtr def;
  std::map<RowPosition, StoredRow> rows;
};

struct Store::KeyspaceData {
  KeyspaceDef def;
  std::map<std::string, TableData, std::less<>> tables;
};

inline ServerError invalid(std::string message) {
  return ServerError{protocol::ServerErrorCode::invalid, std::move(message), {}};
}
inline ServerError config_error(std::string message) {
  return ServerError{protocol::ServerErrorCode::config_error, std::move(message), {}};
}

}  // namespace nosqlc::sandbox
