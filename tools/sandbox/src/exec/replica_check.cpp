// Down replicas as a coordinator sees them: a request whose consistency level the live
// replicas of its partitions (or of the ranges it scans) cannot meet is answered Unavailable
// before anything is read or written, as Cassandra 4.0 answers it.
#include "exec/executor_internal.hpp"

#include <algorithm>

namespace nosqlc::sandbox::detail {
namespace {

using protocol::Consistency;
using protocol::Replication;

int total_factor(const Replication& r) {
  if (r.kind == Replication::Kind::simple) return r.factor;
  int total = 0;
  for (const auto& [dc, n] : r.per_dc)
    total += n;
  return total;
}

// Cassandra's localQuorumFor: NetworkTopologyStrategy counts the data centre's factor alone.
int dc_factor(const Replication& r, const std::string& dc) {
  if (r.kind != Replication::Kind::network_topology) return total_factor(r);
  auto it = r.per_dc.find(dc);
  return it == r.per_dc.end() ? 0 : it->second;
}

ServerError unavailable_error(Consistency cl, int required, int alive, std::string suffix = "") {
  return ServerError{
      ServerErrorCode::unavailable,
      "Cannot achieve consistency level " + std::string(protocol::to_string(cl)) + suffix,
      protocol::UnavailableError{cl, required, alive}};
}

}  // namespace

std::optional<ServerError> unavailable(const ClusterInfo& info, std::size_t coordinator,
                                       const Replication& replication,
                                       std::span<const std::size_t> replicas, Consistency cl) {
  if (cl == Consistency::any) return std::nullopt;  // a hint on the coordinator will do
  const std::string& local_dc = info.nodes.at(coordinator).dc;
  auto in_dc = [&](std::size_t i, const std::string& dc) { return info.nodes.at(i).dc == dc; };
  auto live = [&](std::size_t i) { return info.nodes.at(i).up; };
  auto count = [&](auto&& pred) {
    return static_cast<int>(std::count_if(replicas.begin(), replicas.end(), pred));
  };
  const int alive = count(live);
  const int local_alive = count([&](std::size_t i) { return live(i) && in_dc(i, local_dc); });
  const int quorum = total_factor(replication) / 2 + 1;
  auto need = [&](int required, int have) -> std::optional<ServerError> {
    if (have >= required) return std::nullopt;
    return unavailable_error(cl, required, have);
  };
  switch (cl) {
    case Consistency::one:
      return need(1, alive);
    case Consistency::two:
      return need(2, alive);
    case Consistency::three:
      return need(3, alive);
    case Consistency::quorum:
      return need(quorum, alive);
    case Consistency::all:
      return need(total_factor(replication), alive);
    case Consistency::local_one:
      return need(1, local_alive);
    case Consistency::local_quorum:
      return need(dc_factor(replication, local_dc) / 2 + 1, local_alive);
    case Consistency::each_quorum:
      if (replication.kind != Replication::Kind::network_topology) return need(quorum, alive);
      // (No structured binding: clang 14, which builds the fuzz targets, cannot capture one.)
      for (const auto& entry : replication.per_dc) {
        const std::string& dc = entry.first;
        const int required = entry.second / 2 + 1;
        const int have = count([&](std::size_t i) { return live(i) && in_dc(i, dc); });
        if (have < required) return unavailable_error(cl, required, have, " in DC " + dc);
      }
      return std::nullopt;
    case Consistency::serial:
      // Paxos: a quorum of the replicas themselves (StorageProxy.getPaxosParticipants).
      return need(static_cast<int>(replicas.size()) / 2 + 1, alive);
    case Consistency::local_serial:
      return need(count([&](std::size_t i) { return in_dc(i, local_dc); }) / 2 + 1, local_alive);
    default:
      return std::nullopt;
  }
}

ReplicaCheck::ReplicaCheck(const Cluster& cluster, std::size_t coordinator,
                           ReplicationOf replication_of)
    : cluster_(cluster), coordinator_(coordinator), replication_of_(std::move(replication_of)) {}

const protocol::Replication* ReplicaCheck::placed(const std::string& keyspace) {
  replication_ = replication_of_(keyspace);
  if (!replication_ || (replication_->kind != Replication::Kind::simple &&
                        replication_->kind != Replication::Kind::network_topology)) {
    return nullptr;  // no replicas known: nothing to check
  }
  if (!info_) info_ = cluster_.info();
  if (coordinator_ >= info_->nodes.size()) return nullptr;
  return replication_.get();
}

void ReplicaCheck::keys(const std::string& keyspace, std::span<const Bytes> keys,
                        protocol::Consistency cl) {
  const Replication* r = placed(keyspace);
  if (!r) return;
  for (const Bytes& key : keys) {
    auto replicas = cluster_.replicas(*r, key);
    const bool held = std::find(replicas.begin(), replicas.end(), coordinator_) != replicas.end();
    on_replicas_ = on_replicas_.value_or(true) && held;
    if (auto e = unavailable(*info_, coordinator_, *r, replicas, cl)) fail(std::move(*e));
  }
}

void ReplicaCheck::range(const std::string& keyspace, std::optional<TokenBound> lower,
                         std::optional<TokenBound> upper, protocol::Consistency cl) {
  const Replication* r = placed(keyspace);
  if (!r) return;
  for (const auto& replicas : cluster_.range_replicas(*r, lower, upper)) {
    if (auto e = unavailable(*info_, coordinator_, *r, replicas, cl)) fail(std::move(*e));
  }
}

}  // namespace nosqlc::sandbox::detail
