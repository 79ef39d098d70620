// The sandbox cluster's topology, shared by its nodes: which nodes exist, in which data centre
// and rack, their tokens, whether each is up, where each partition's replicas are, and what
// each node coordinated. Read by the system tables and the executor; changed by the test API.
#pragma once

#include "nosqlc/protocol/cluster/token_map.hpp"
#include "nosqlc/protocol/notations.hpp"
#include "nosqlc/sandbox/faults.hpp"
#include "nosqlc/sandbox/store.hpp"

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace nosqlc::sandbox {

// One node of the sandbox cluster as the system tables describe it.
struct NodeInfo {
  protocol::Inet address;  // where it listens and what it advertises; port = the CQL port
  std::string dc = "datacenter1";
  std::string rack = "rack1";
  std::vector<std::int64_t> tokens;  // its tokens on the Murmur3 ring, ascending
  protocol::Uuid host_id{};
  bool up = true;      // not shown by the peers tables: Cassandra lists down peers too
  bool member = true;  // false once removed from the cluster: then no table shows it
  Faults faults;       // what is injected on it (sandbox.nodes)
  // system.local's gossip_generation: seconds since the epoch when the node started.
  std::int32_t gossip_generation = 0;
};

// Per-node request counters (sandbox.node_stats), live: shared by every ClusterInfo snapshot.
struct NodeStats {
  std::int64_t queries = 0, executes = 0, batches = 0, prepares = 0;
  // Statements restricted to partition keys, and those of them whose every key this node
  // holds a replica of.
  std::int64_t keyed_requests = 0, replica_requests = 0;
};

struct ClusterInfo {
  std::string cluster_name = "nosqlc sandbox";
  std::string release_version = "4.0.11";
  // The inter-node port, shown as local.broadcast_port / listen_port and peers_v2.peer_port
  // (the sandbox has no inter-node traffic; 7000 is Cassandra's default storage_port).
  std::int32_t storage_port = 7000;
  std::vector<NodeInfo> nodes;  // by node index, removed nodes included (member = false)
  // The counters of node i, or all zero for a node that never coordinated anything.
  std::function<NodeStats(std::size_t)> stats;
};

// Where a node sits.
struct NodePlacement {
  protocol::Inet address;  // 4 or 16 bytes and the CQL port
  std::string dc = "datacenter1";
  std::string rack = "rack1";
};

// A change of the cluster asked for through sandbox.nodes, carried out by the server.
struct ControlAction {
  enum class Kind { update, add, remove };
  Kind kind = Kind::update;
  std::size_t node = 0;    // update, remove
  std::optional<bool> up;  // update: stop or restart the node
  // update, add: the node's faults to change (those not given stay as they are).
  std::optional<int> latency_ms;
  std::optional<bool> silent;
  std::optional<std::optional<protocol::ServerErrorCode>> error;  // a null error clears it
  std::optional<double> error_share;
  std::optional<std::size_t> close_after;
  std::optional<int> clock_skew_ms;
  NodePlacement placement;  // add

  // `faults` with this action's changes.
  Faults changed(Faults faults) const;
};

// What a statement coordinated by a node was, for sandbox.node_stats.
enum class StatementKind { query, execute, batch, prepare };

// Thread-safe.
class Cluster {
 public:
  static constexpr std::size_t kMaxNodes = 254;

  // The nodes in `placements` (at most kMaxNodes), each with `num_tokens` tokens (1..256):
  // with one token per node the ring is split evenly, node i ending the i-th arc; with more,
  // tokens are drawn at random from a generator seeded by the node's index, so a layout gives
  // the same ring on every run.
  Cluster(std::vector<NodePlacement> placements, std::size_t num_tokens);
  // `nodes` nodes on 127.0.0.1 .. 127.0.0.N at `port`, in datacenter1 and rack1, one token
  // each (for tests of the sans-io parts).
  Cluster(std::size_t nodes, std::uint16_t port);
  // An immutable snapshot of the topology.
  std::shared_ptr<const ClusterInfo> info() const;
  // Nodes ever created, removed ones included (their indices are never reused).
  std::size_t size() const;

  // Marks node `i` up or down (ignored for an unknown node).
  void set_up(std::size_t i, bool up);
  // What node `i` shows in sandbox.nodes and uses for its write timestamps.
  void set_faults(std::size_t i, const Faults& faults);
  // Adds a node with fresh tokens taken from the ring and returns its index; nullopt when the
  // cluster already has kMaxNodes nodes.
  std::optional<std::size_t> add(NodePlacement placement);
  // Removes node `i` from the cluster (ignored for an unknown node).
  void remove(std::size_t i);
  // The member node listening on `address` (text form, port ignored), if any.
  std::optional<std::size_t> find(std::string_view address) const;

  // The nodes holding replicas of the partition whose key serializes to `key`, primary first,
  // under `replication`; empty for LocalStrategy and unknown strategies.
  std::vector<std::size_t> replicas(const protocol::Replication& replication, BytesView key) const;
  // The replicas of each range of the ring (between two consecutive tokens) that holds a token
  // within lower..upper (no bound: that end of the ring), under `replication`, as in
  // replicas(). Empty when the bounds hold no token.
  std::vector<std::vector<std::size_t>> range_replicas(const protocol::Replication& replication,
                                                       std::optional<TokenBound> lower,
                                                       std::optional<TokenBound> upper) const;

  // Counts one statement node `i` coordinated.
  void record(std::size_t i, StatementKind kind);
  // Counts one statement restricted to partition keys, which node `i` holds replicas of all
  // of (`replica`) or not.
  void record_keyed(std::size_t i, bool replica);
  NodeStats stats(std::size_t i) const;
  // Sets every counter of every node to zero (TRUNCATE sandbox.node_stats).
  void reset_stats();

 private:
  struct Counters {
    std::atomic<std::int64_t> queries{0}, executes{0}, batches{0}, prepares{0}, keyed{0},
        replica{0};
  };
  struct Ring {
    protocol::TokenMap map;
    std::vector<std::size_t> nodes;  // token map index -> node index
  };
  void publish(std::shared_ptr<ClusterInfo> next);  // under mutex_
  // `num_tokens_` tokens for node `node`, none of them in `taken` (to which they are added).
  std::vector<std::int64_t> draw_tokens(std::size_t node, std::set<std::int64_t>& taken) const;

  std::size_t num_tokens_;
  mutable std::mutex mutex_;
  std::shared_ptr<const ClusterInfo> info_;
  std::shared_ptr<const Ring> ring_;
  std::array<Counters, kMaxNodes> counters_;
};

}  // namespace nosqlc::sandbox
