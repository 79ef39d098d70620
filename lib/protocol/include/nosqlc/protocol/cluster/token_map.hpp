// Where Cassandra keeps a partition: the token ring of the cluster's nodes and the replicas
// a keyspace's replication strategy places on it, computed as Cassandra 4.0 does
// (org.apache.cassandra.locator.SimpleStrategy and NetworkTopologyStrategy, over
// TokenMetadata's ring order). Sans-io and immutable: built from what the system tables say,
// rebuilt when they change, shared read-only between threads.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace nosqlc::protocol {

// A keyspace's replication, from the `replication` map of system_schema.keyspaces.
struct Replication {
  enum class Kind {
    simple,            // `factor` replicas walking the ring
    network_topology,  // `per_dc` replicas per data centre, racks spread
    local,             // LocalStrategy (system keyspaces): each node its own
    unknown,           // a class nosqlc does not know, or unreadable options
  };
  Kind kind = Kind::unknown;
  int factor = 0;
  std::map<std::string, int> per_dc;

  // Reads {'class': ..., 'replication_factor': ...} or {'class': ..., '<dc>': '<n>', ...}.
  // Class names may be short ("SimpleStrategy") or qualified. Never throws: what it cannot
  // read gives Kind::unknown, for which no replicas are known (routing falls back).
  static Replication from_map(const std::map<std::string, std::string>& replication);
  bool operator==(const Replication&) const = default;
};

// A node as the token map sees it.
struct TokenNode {
  std::string dc;
  std::string rack;
  std::vector<std::int64_t> tokens;  // Murmur3 tokens it owns
};

class TokenMap {
 public:
  // Nodes are named by their index in `nodes`. A token claimed twice belongs to the later node
  // (as a ring can hold one owner per token).
  explicit TokenMap(std::vector<TokenNode> nodes);

  const std::vector<TokenNode>& nodes() const noexcept { return nodes_; }
  std::size_t ring_size() const noexcept { return ring_.size(); }

  // The replicas of `token`, primary first, as node indices: Cassandra's placement for
  // `replication`. Empty for Kind::local, Kind::unknown, or an empty ring.
  std::vector<std::uint32_t> replicas(std::int64_t token, const Replication& replication) const;

  // The position in the ring that owns `token`: the first ring token >= it, wrapping to 0.
  // The ring must not be empty.
  std::size_t ring_index(std::int64_t token) const noexcept;

 private:
  friend class ReplicaTable;
  std::vector<std::uint32_t> replicas_at(std::size_t index, const Replication& r) const;

  std::vector<TokenNode> nodes_;
  std::vector<std::pair<std::int64_t, std::uint32_t>> ring_;  // sorted by token
  std::map<std::string, std::uint32_t> dc_nodes_;             // nodes per data centre
  std::map<std::string, std::uint32_t> dc_racks_;             // distinct racks per centre
};

// The replicas of every ring position for one keyspace, computed once: a lookup is a binary
// search. Shares nothing with the TokenMap after construction.
class ReplicaTable {
 public:
  ReplicaTable() = default;
  ReplicaTable(const TokenMap& map, const Replication& replication);

  // The replicas of `token`, primary first; empty when none are known.
  std::span<const std::uint32_t> replicas(std::int64_t token) const noexcept;
  bool empty() const noexcept { return tokens_.empty(); }

 private:
  std::vector<std::int64_t> tokens_;    // the ring's tokens, sorted
  std::vector<std::uint32_t> offsets_;  // into replicas_, one more than tokens_
  std::vector<std::uint32_t> replicas_;
};

// The routing key of a statement: the serialized partition key Cassandra hashes. One
// component is its value's bytes; several are each [short length][bytes][0x00]
// (CompositeType). `pk_indexes` are the bound values' positions of the key's components,
// in key order (the PREPARED result's partition key indexes). nullopt when a component is
// missing, null, unset, or longer than 65535 bytes in a composite key.
std::optional<Bytes> routing_key(std::span<const Value> values,
                                 std::span<const std::uint16_t> pk_indexes);

}  // namespace nosqlc::protocol
