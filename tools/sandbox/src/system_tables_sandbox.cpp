// The sandbox keyspace's tables: sandbox.node_stats (what each node coordinated) and
// sandbox.nodes (the cluster's nodes, which execute_control.cpp lets a client change).
#include "nosqlc/protocol/cluster/hosts.hpp"
#include "system_tables_internal.hpp"

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
    RowBuilder b(t);
    b.set("address", text_cell(protocol::address_text(n.address.address)))
        .set("dc", text_cell(n.dc))
        .set("rack", text_cell(n.rack))
        .set("up", boolean_cell(n.up))
        .set("latency_ms", int_cell(n.latency_ms));
    rows.push_back(b.take());
  }
  return rows;
}

}  // namespace nosqlc::sandbox::systables
