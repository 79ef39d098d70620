// The sandbox keyspace's tables: sandbox.node_stats (what each node coordinated) and
// sandbox.nodes (the cluster's nodes, which execute_control.cpp lets a client change).
#include "nosqlc/protocol/cluster/hosts.hpp"
#include "system/system_tables_internal.hpp"

#include <algorithm>
#include <cstdint>

namespace nosqlc::sandbox::systables {

std::vector<SystemRow> node_stats_rows(const SystemTable& t, const Store&, const ClusterInfo& c,
                                       std::size_t) {
  std::vector<SystemRow> rows;
  for (std::size_t i = 0; i < c.nodes.size(); ++i) {
    const NodeInfo& n = c.nodes[i];
    if (!n.member) continue;
    const NodeStats s = c.stats ? c.stats(i) : NodeStats{};
    RowBuilder b(t);
    b.set("address", text_cell(protocol::address_text(n.address.address)))
        .set("dc", text_cell(n.dc))
        .set("rack", text_cell(n.rack))
        .set("queries", bigint_cell(s.queries))
        .set("executes", bigint_cell(s.executes))
        .set("batches", bigint_cell(s.batches))
        .set("prepares", bigint_cell(s.prepares))
        .set("keyed_requests", bigint_cell(s.keyed_requests))
        .set("replica_requests", bigint_cell(s.replica_requests));
    rows.push_back(b.take());
  }
  return rows;
}

std::vector<SystemRow> nodes_rows(const SystemTable& t, const Store&, const ClusterInfo& c,
                                  std::size_t) {
  std::vector<SystemRow> rows;
  for (const NodeInfo& n : c.nodes) {
    if (!n.member) continue;
    const Faults& f = n.faults;
    std::optional<Bytes> error;
    if (f.error) error = text_cell(fault_error_name(*f.error));
    RowBuilder b(t);
    b.set("address", text_cell(protocol::address_text(n.address.address)))
        .set("dc", text_cell(n.dc))
        .set("rack", text_cell(n.rack))
        .set("up", boolean_cell(n.up))
        .set("latency_ms", int_cell(static_cast<std::int32_t>(f.latency.count())))
        .set("silent", boolean_cell(f.silent))
        .set("error", std::move(error))
        .set("error_share", double_cell(f.error_share))
        .set("close_after",
             int_cell(static_cast<std::int32_t>(std::min<std::size_t>(f.close_after, INT32_MAX))))
        .set("clock_skew_ms", int_cell(static_cast<std::int32_t>(f.clock_skew.count())));
    rows.push_back(b.take());
  }
  return rows;
}

}  // namespace nosqlc::sandbox::systables
