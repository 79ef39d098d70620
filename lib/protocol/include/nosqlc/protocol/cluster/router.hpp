// Which hosts a request goes to, in which order: a snapshot of the cluster (hosts, token map,
// keyspaces' replication) and the policy that orders it. Sans-io and immutable; the session
// swaps in a new Router when the cluster or its schema changes.
//
// The policy, as the DataStax drivers' default (DC-aware, token-aware) one:
//   - a request with a routing key goes first to the key's replicas in the local DC, least
//     busy first; with `fixed_order` (a compare-and-set), in the ring's replica order, so that
//     concurrent updaters of one key meet the same coordinator (Paxos contention otherwise);
//   - then to the other local hosts, rotated per request (round-robin);
//   - then, only when allowed, to at most `remote_hosts_per_dc` hosts of each remote DC.
#pragma once

#include "nosqlc/protocol/cluster/hosts.hpp"
#include "nosqlc/protocol/cluster/token_map.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::protocol {

struct RoutingPolicy {
  std::string local_dc;                 // empty: every host is local (no DC seen)
  std::size_t remote_hosts_per_dc = 0;  // 0: remote DCs are never used
  // Hosts to use at all (an allow list); empty: every host. Checked once per snapshot.
  std::function<bool(const HostInfo&)> host_filter;
};

class Router {
 public:
  enum class Distance : std::uint8_t { local, remote, ignored };

  Router() = default;
  Router(std::vector<HostInfo> hosts, std::map<std::string, Replication> keyspaces,
         RoutingPolicy policy);

  const std::vector<HostInfo>& hosts() const noexcept { return hosts_; }
  // Whether the session keeps a pool to host i (local, or one of the remote ones allowed).
  Distance distance(std::size_t i) const noexcept { return distance_[i]; }
  const RoutingPolicy& policy() const noexcept { return policy_; }

  // The replicas of `token` in `keyspace` (host indices, primary first); empty when the
  // keyspace or its strategy is unknown.
  std::span<const std::uint32_t> replicas(std::string_view keyspace, std::int64_t token) const;

  // Fills `plan` with the hosts to try, in order (see the policy above). `token` is the
  // routing key's token in `keyspace`, when the request has one; `rotation` turns the
  // round-robin; `load(i)` is how busy host i is (only called for replicas, when not
  // `fixed_order`). Ignored hosts never appear.
  void plan(std::string_view keyspace, std::optional<std::int64_t> token, bool fixed_order,
            std::size_t rotation, const std::function<std::size_t(std::uint32_t)>& load,
            std::vector<std::uint32_t>& plan) const;

 private:
  std::vector<HostInfo> hosts_;
  RoutingPolicy policy_;
  std::vector<Distance> distance_;
  std::vector<std::uint32_t> local_;   // local hosts, in address order
  std::vector<std::uint32_t> remote_;  // the remote hosts allowed
  std::map<std::string, ReplicaTable, std::less<>> tables_;
};

// Whether `cql` is a conditional write (INSERT ... IF NOT EXISTS, UPDATE/DELETE ... IF ...,
// or a BATCH holding one): an IF keyword outside strings, quoted names and comments, in a
// statement that begins with INSERT, UPDATE, DELETE or BEGIN.
bool is_conditional_statement(std::string_view cql);
// Whether `cql` is a SELECT (its first word outside comments): a read, which is idempotent.
bool is_select_statement(std::string_view cql);

}  // namespace nosqlc::protocol
