#include "nosqlc/sandbox/cluster.hpp"

#include "nosqlc/protocol/cluster/hosts.hpp"
#include "nosqlc/protocol/cluster/murmur3.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <random>
#include <stdexcept>

namespace nosqlc::sandbox {
namespace {

std::int32_t now_seconds() {
  return static_cast<std::int32_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                       std::chrono::system_clock::now().time_since_epoch())
                                       .count());
}

// A fixed host id per node index: stable across restarts, as a real node's is.
protocol::Uuid host_id_of(std::size_t i) {
  return {0x6e,
          0x6f,
          0x73,
          0x71,
          0x6c,
          0x63,
          0x40,
          0x00,
          0x80,
          0x00,
          0x00,
          0x00,
          0x00,
          0x00,
          static_cast<std::uint8_t>(i >> 8),
          static_cast<std::uint8_t>(i + 1)};
}

}  // namespace

Cluster::Cluster(std::vector<NodePlacement> placements, std::size_t num_tokens)
    : num_tokens_(num_tokens) {
  if (placements.empty() || placements.size() > kMaxNodes) {
    throw std::invalid_argument("a cluster has 1 to 254 nodes");
  }
  if (num_tokens < 1 || num_tokens > 256) {
    throw std::invalid_argument("num_tokens must be between 1 and 256");
  }
  auto info = std::make_shared<ClusterInfo>();
  info->stats = [this](std::size_t i) { return stats(i); };
  const auto generation = now_seconds();
  const std::size_t n = placements.size();
  std::set<std::int64_t> taken;
  for (std::size_t i = 0; i < n; ++i) {
    NodeInfo node;
    node.address = std::move(placements[i].address);
    node.dc = std::move(placements[i].dc);
    node.rack = std::move(placements[i].rack);
    if (num_tokens == 1) {
      // Node i owns the i-th of N equal arcs and sits at its end, so the last node has the
      // ring's maximum token (Long.MIN_VALUE is the ring's minimum, never a node's).
      const std::uint64_t step = std::numeric_limits<std::uint64_t>::max() / n;
      std::uint64_t offset =
          i + 1 == n ? std::numeric_limits<std::uint64_t>::max() : step * (i + 1);
      node.tokens = {static_cast<std::int64_t>(
          offset + static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::min()))};
      taken.insert(node.tokens.front());
    } else {
      node.tokens = draw_tokens(i, taken);
    }
    node.host_id = host_id_of(i);
    node.gossip_generation = generation;
    info->nodes.push_back(std::move(node));
  }
  std::lock_guard lock(mutex_);
  publish(std::move(info));
}

namespace {
std::vector<NodePlacement> loopback_nodes(std::size_t nodes, std::uint16_t port) {
  std::vector<NodePlacement> out(nodes);
  for (std::size_t i = 0; i < nodes; ++i) {
    out[i].address.address = {127, 0, 0, static_cast<std::uint8_t>(i + 1)};
    out[i].address.port = port;
  }
  return out;
}
}  // namespace

Cluster::Cluster(std::size_t nodes, std::uint16_t port) : Cluster(loopback_nodes(nodes, port), 1) {}

std::vector<std::int64_t> Cluster::draw_tokens(std::size_t node,
                                               std::set<std::int64_t>& taken) const {
  // Cassandra's random allocation (Murmur3Partitioner.getRandomToken): a uniform long, with
  // Long.MIN_VALUE (the ring's minimum, never a node's token) moved to Long.MAX_VALUE.
  std::mt19937_64 rng(0x6e6f73716c63ULL + node);
  std::vector<std::int64_t> tokens;
  while (tokens.size() < num_tokens_) {
    auto t = static_cast<std::int64_t>(rng());
    if (t == std::numeric_limits<std::int64_t>::min()) t = std::numeric_limits<std::int64_t>::max();
    if (taken.insert(t).second) tokens.push_back(t);
  }
  std::sort(tokens.begin(), tokens.end());
  return tokens;
}

void Cluster::publish(std::shared_ptr<ClusterInfo> next) {
  std::vector<protocol::TokenNode> members;
  auto ring = std::make_shared<Ring>(Ring{protocol::TokenMap({}), {}});
  for (std::size_t i = 0; i < next->nodes.size(); ++i) {
    const NodeInfo& n = next->nodes[i];
    if (!n.member) continue;
    members.push_back({n.dc, n.rack, n.tokens});
    ring->nodes.push_back(i);
  }
  ring->map = protocol::TokenMap(std::move(members));
  ring_ = std::move(ring);
  info_ = std::move(next);
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
  info_ = std::move(next);  // the ring does not change: a down node still owns its tokens
}

void Cluster::set_faults(std::size_t i, const Faults& faults) {
  std::lock_guard lock(mutex_);
  if (i >= info_->nodes.size()) return;
  auto next = std::make_shared<ClusterInfo>(*info_);
  next->nodes[i].faults = faults;
  info_ = std::move(next);
}

Faults ControlAction::changed(Faults f) const {
  if (latency_ms) f.latency = std::chrono::milliseconds(*latency_ms);
  if (silent) f.silent = *silent;
  if (error) f.error = *error;
  if (error_share) f.error_share = *error_share;
  if (close_after) f.close_after = *close_after;
  if (clock_skew_ms) f.clock_skew = std::chrono::milliseconds(*clock_skew_ms);
  return f;
}

std::optional<std::size_t> Cluster::add(NodePlacement placement) {
  std::lock_guard lock(mutex_);
  const std::size_t i = info_->nodes.size();
  if (i >= kMaxNodes) return std::nullopt;
  auto next = std::make_shared<ClusterInfo>(*info_);
  std::set<std::int64_t> taken;
  for (const NodeInfo& n : next->nodes) {
    if (n.member) taken.insert(n.tokens.begin(), n.tokens.end());
  }
  NodeInfo node;
  node.address = std::move(placement.address);
  node.dc = std::move(placement.dc);
  node.rack = std::move(placement.rack);
  node.tokens = draw_tokens(i, taken);
  node.host_id = host_id_of(i);
  node.gossip_generation = now_seconds();
  next->nodes.push_back(std::move(node));
  publish(std::move(next));
  return i;
}

void Cluster::remove(std::size_t i) {
  std::lock_guard lock(mutex_);
  if (i >= info_->nodes.size() || !info_->nodes[i].member) return;
  auto next = std::make_shared<ClusterInfo>(*info_);
  next->nodes[i].member = false;
  next->nodes[i].up = false;
  publish(std::move(next));
}

std::optional<std::size_t> Cluster::find(std::string_view address) const {
  auto info = this->info();
  for (std::size_t i = 0; i < info->nodes.size(); ++i) {
    if (info->nodes[i].member && protocol::address_text(info->nodes[i].address.address) == address)
      return i;
  }
  return std::nullopt;
}

std::vector<std::size_t> Cluster::replicas(const protocol::Replication& replication,
                                           BytesView key) const {
  std::shared_ptr<const Ring> ring;
  {
    std::lock_guard lock(mutex_);
    ring = ring_;
  }
  std::vector<std::size_t> out;
  for (std::uint32_t r : ring->map.replicas(protocol::murmur3_token(key), replication))
    out.push_back(ring->nodes[r]);
  return out;
}

std::vector<std::vector<std::size_t>> Cluster::range_replicas(
    const protocol::Replication& replication, std::optional<TokenBound> lower,
    std::optional<TokenBound> upper) const {
  using Limits = std::numeric_limits<std::int64_t>;
  std::vector<std::vector<std::size_t>> out;
  // The bounds as inclusive ones, lo..hi.
  std::int64_t lo = Limits::min(), hi = Limits::max();
  if (lower) {
    if (!lower->inclusive && lower->value == Limits::max()) return out;
    lo = lower->inclusive ? lower->value : lower->value + 1;
  }
  if (upper) {
    if (!upper->inclusive && upper->value == Limits::min()) return out;
    hi = upper->inclusive ? upper->value : upper->value - 1;
  }
  if (lo > hi) return out;
  std::shared_ptr<const Ring> ring;
  std::shared_ptr<const ClusterInfo> info;
  {
    std::lock_guard lock(mutex_);
    ring = ring_;
    info = info_;
  }
  std::vector<std::int64_t> tokens;
  for (const NodeInfo& n : info->nodes) {
    if (n.member) tokens.insert(tokens.end(), n.tokens.begin(), n.tokens.end());
  }
  std::sort(tokens.begin(), tokens.end());
  auto overlaps = [&](std::int64_t first, std::int64_t last) {
    return std::max(first, lo) <= std::min(last, hi);
  };
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    // The range ending at tokens[k]: after the previous token, or for the first one the ring's
    // start and the wrap-around past the last token.
    bool hit =
        k > 0 ? overlaps(tokens[k - 1] + 1, tokens[k])
              : overlaps(Limits::min(), tokens[0]) ||
                    (tokens.back() != Limits::max() && overlaps(tokens.back() + 1, Limits::max()));
    if (!hit) continue;
    std::vector<std::size_t> nodes;
    for (std::uint32_t r : ring->map.replicas(tokens[k], replication))
      nodes.push_back(ring->nodes[r]);
    out.push_back(std::move(nodes));
  }
  return out;
}

void Cluster::record(std::size_t i, StatementKind kind) {
  if (i >= kMaxNodes) return;
  Counters& c = counters_[i];
  constexpr auto relaxed = std::memory_order_relaxed;
  switch (kind) {
    case StatementKind::query:
      c.queries.fetch_add(1, relaxed);
      break;
    case StatementKind::execute:
      c.executes.fetch_add(1, relaxed);
      break;
    case StatementKind::batch:
      c.batches.fetch_add(1, relaxed);
      break;
    case StatementKind::prepare:
      c.prepares.fetch_add(1, relaxed);
      break;
  }
}

void Cluster::record_keyed(std::size_t i, bool replica) {
  if (i >= kMaxNodes) return;
  Counters& c = counters_[i];
  c.keyed.fetch_add(1, std::memory_order_relaxed);
  if (replica) c.replica.fetch_add(1, std::memory_order_relaxed);
}

NodeStats Cluster::stats(std::size_t i) const {
  NodeStats s;
  if (i >= kMaxNodes) return s;
  const Counters& c = counters_[i];
  s.queries = c.queries.load();
  s.executes = c.executes.load();
  s.batches = c.batches.load();
  s.prepares = c.prepares.load();
  s.keyed_requests = c.keyed.load();
  s.replica_requests = c.replica.load();
  return s;
}

void Cluster::reset_stats() {
  for (Counters& c : counters_) {
    c.queries = 0;
    c.executes = 0;
    c.batches = 0;
    c.prepares = 0;
    c.keyed = 0;
    c.replica = 0;
  }
}

}  // namespace nosqlc::sandbox
