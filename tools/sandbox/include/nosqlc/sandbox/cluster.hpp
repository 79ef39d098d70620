// The sandbox cluster's topology, shared by its nodes: which nodes exist, their tokens and
// whether each is up. Read by the system tables; changed when the test API stops a node.
#pragma once

#include "nosqlc/sandbox/system_tables.hpp"

#include <memory>
#include <mutex>

namespace nosqlc::sandbox {

// Thread-safe.
class Cluster {
 public:
  // `nodes` nodes on 127.0.0.1 .. 127.0.0.N at `port`, tokens spread evenly over the ring.
  Cluster(std::size_t nodes, std::uint16_t port);
  // An immutable snapshot of the topology.
  std::shared_ptr<const ClusterInfo> info() const;
  std::size_t size() const;
  // Marks node `i` up or down (ignored for an unknown node).
  void set_up(std::size_t i, bool up);

 private:
  mutable std::mutex mutex_;
  std::shared_ptr<const ClusterInfo> info_;
};

}  // namespace nosqlc::sandbox
