#include "nosqlc/sandbox/cluster.hpp"

#include <chrono>
#include <limits>

namespace nosqlc::sandbox {

Cluster::Cluster(std::size_t nodes, std::uint16_t port) {
  auto info = std::make_shared<ClusterInfo>();
  const auto generation =
      static_cast<std::int32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count());
  const std::uint64_t step =
      std::numeric_limits<std::uint64_t>::max() / std::max<std::size_t>(nodes, 1);
  for (std::size_t i = 0; i < nodes; ++i) {
    NodeInfo node;
    node.address.address = {127, 0, 0, static_cast<std::uint8_t>(i + 1)};
    node.address.port = port;
    // Node i owns the i-th of N equal arcs and sits at its end, so the last node has the
    // ring's maximum token (Long.MIN_VALUE is the ring's minimum, never a node's).
    std::uint64_t offset =
        i + 1 == nodes ? std::numeric_limits<std::uint64_t>::max() : step * (i + 1);
    node.token = static_cast<std::int64_t>(
        offset + static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::min()));
    // A fixed host id per node: stable across restarts, as a real node's is.
    node.host_id = {0x6e, 0x6f, 0x73, 0x71, 0x6c, 0x63, 0x40, 0x00,
                    0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, static_cast<std::uint8_t>(i + 1)};
    node.up = true;
    node.gossip_generation = generation;
    info->nodes.push_back(node);
  }
  info_ = std::move(info);
}

std::shared_ptr<const ClusterInfo> Cluster::info() const {
  std::lock_guard lock(mutex_);
  return info_;
}

std::size_t Cluster::size() const {
  std::lock_guard lock(mutex_);
  return info_->nodes.size();
}

void Cluster::set_up(std::size_t i, bool up) {
  std::lock_guard lock(mutex_);
  if (i >= info_->nodes.size()) return;
  auto next = std::make_shared<ClusterInfo>(*info_);
  next->nodes[i].up = up;
  info_ = std::move(next);
}

}  // namespace nosqlc::sandbox
