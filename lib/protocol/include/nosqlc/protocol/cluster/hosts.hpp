// The cluster's nodes as its system tables describe them: system.local (the node a control
// connection reached) and system.peers_v2, or system.peers before Cassandra 4. Sans-io: rows
// in, hosts out.
#pragma once

#include "nosqlc/protocol/cluster/token_map.hpp"
#include "nosqlc/protocol/notations.hpp"
#include "nosqlc/protocol/result.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace nosqlc::protocol {

struct HostInfo {
  std::string address;  // where its native transport listens, as advertised
  std::uint16_t port = 9042;
  std::optional<Uuid> host_id;
  std::string dc;
  std::string rack;
  std::string release_version;
  std::optional<Uuid> schema_version;
  std::vector<std::int64_t> tokens;
  bool operator==(const HostInfo&) const = default;
};

// What one reading of the system tables found.
struct Discovered {
  std::vector<HostInfo> hosts;       // system.local's node first
  std::vector<std::string> skipped;  // one reason per row that could not be used
  std::string partitioner;           // system.local's, e.g. "...Murmur3Partitioner"
};

// The statements that read them; their columns are what read_hosts expects.
inline constexpr std::string_view kLocalQuery =
    "SELECT rpc_address, data_center, rack, tokens, host_id, release_version, "
    "schema_version, partitioner FROM system.local WHERE key='local'";
inline constexpr std::string_view kPeersV2Query =
    "SELECT peer, native_address, native_port, data_center, rack, tokens, host_id, "
    "release_version, schema_version FROM system.peers_v2";
inline constexpr std::string_view kPeersQuery =
    "SELECT peer, rpc_address, data_center, rack, tokens, host_id, release_version, "
    "schema_version FROM system.peers";

// Reads the rows of kLocalQuery and of kPeersV2Query or kPeersQuery (columns found by name
// in `local_columns`/`peer_columns`). `reached` is the address and port the control
// connection reached: system.local's own node is there whatever it advertises, and peers
// without a native port (system.peers) share its port. A peer whose address is unreadable, or
// "0.0.0.0"/"::" with no peer address either, or which has no tokens, is skipped with the
// reason; so is one listed twice. Never throws for bad rows.
Discovered read_hosts(const RowsResult& local, const std::vector<ColumnSpec>& local_columns,
                      const RowsResult& peers, const std::vector<ColumnSpec>& peer_columns,
                      const std::string& reached_address, std::uint16_t reached_port);

// The textual form of an [inet] address's bytes: dotted IPv4, or IPv6 as RFC 5952 writes it
// ("::1", "2001:db8::1"). Empty for a length other than 4 or 16.
std::string address_text(const std::vector<std::uint8_t>& bytes);

// system_schema.keyspaces (keyspace_name, replication): the replication of each keyspace.
inline constexpr std::string_view kKeyspacesQuery =
    "SELECT keyspace_name, replication FROM system_schema.keyspaces";
std::map<std::string, Replication> read_keyspaces(const RowsResult& rows,
                                                  const std::vector<ColumnSpec>& columns);

}  // namespace nosqlc::protocol
