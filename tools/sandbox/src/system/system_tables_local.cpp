// The node tables: system.local, system.peers and system.peers_v2, filled as Cassandra 4.0's
// SystemKeyspace and gossip fill them on a node: each node's own data centre, rack, tokens and
// addresses.
#include "system/system_tables_internal.hpp"

#include <string>

namespace nosqlc::sandbox::systables {
namespace {

std::optional<Bytes> tokens_cell(const NodeInfo& n) {
  std::vector<std::string> tokens;
  for (std::int64_t t : n.tokens)
    tokens.push_back(std::to_string(t));
  return text_set_cell(tokens);
}

// What system.peers and system.peers_v2 share.
void set_peer_common(RowBuilder& b, const ClusterInfo& c, const NodeInfo& n,
                     const protocol::Uuid& schema_version) {
  b.set("peer", inet_cell(n.address))
      .set("data_center", text_cell(n.dc))
      .set("host_id", uuid_cell(n.host_id))
      .set("rack", text_cell(n.rack))
      .set("release_version", text_cell(c.release_version))
      .set("schema_version", uuid_cell(schema_version))
      .set("tokens", tokens_cell(n));
}

}  // namespace

std::vector<SystemRow> local_rows(const SystemTable& t, const Store& store, const ClusterInfo& c,
                                  std::size_t self) {
  std::vector<SystemRow> rows;
  if (self >= c.nodes.size() || !c.nodes[self].member) return rows;
  const NodeInfo& n = c.nodes[self];
  RowBuilder b(t);
  b.set("key", text_cell("local"))
      .set("bootstrapped", text_cell("COMPLETED"))
      .set("broadcast_address", inet_cell(n.address))
      .set("broadcast_port", int_cell(c.storage_port))
      .set("cluster_name", text_cell(c.cluster_name))
      .set("cql_version", text_cell("3.4.5"))
      .set("data_center", text_cell(n.dc))
      .set("gossip_generation", int_cell(n.gossip_generation))
      .set("host_id", uuid_cell(n.host_id))
      .set("listen_address", inet_cell(n.address))
      .set("listen_port", int_cell(c.storage_port))
      // Cassandra 4.0 writes its newest version (5); the sandbox speaks v4 only.
      .set("native_protocol_version", text_cell("4"))
      .set("partitioner", text_cell("org.apache.cassandra.dht.Murmur3Partitioner"))
      .set("rack", text_cell(n.rack))
      .set("release_version", text_cell(c.release_version))
      .set("rpc_address", inet_cell(n.address))
      .set("rpc_port", int_cell(n.address.port))
      .set("schema_version", uuid_cell(store.schema_version()))
      .set("tokens", tokens_cell(n));
  // truncated_at stays null: the sandbox keeps no commit log positions.
  rows.push_back(b.take());
  return rows;
}

std::vector<SystemRow> peers_rows(const SystemTable& t, const Store& store, const ClusterInfo& c,
                                  std::size_t self) {
  std::vector<SystemRow> rows;
  const protocol::Uuid version = store.peer_schema_version();
  for (std::size_t i = 0; i < c.nodes.size(); ++i) {
    if (i == self || !c.nodes[i].member) continue;
    RowBuilder b(t);
    set_peer_common(b, c, c.nodes[i], version);
    // preferred_ip stays null: no node has a separate internal address.
    b.set("rpc_address", inet_cell(c.nodes[i].address));
    rows.push_back(b.take());
  }
  return rows;
}

std::vector<SystemRow> peers_v2_rows(const SystemTable& t, const Store& store, const ClusterInfo& c,
                                     std::size_t self) {
  std::vector<SystemRow> rows;
  const protocol::Uuid version = store.peer_schema_version();
  for (std::size_t i = 0; i < c.nodes.size(); ++i) {
    if (i == self || !c.nodes[i].member) continue;
    const NodeInfo& n = c.nodes[i];
    RowBuilder b(t);
    set_peer_common(b, c, n, version);
    // preferred_ip and preferred_port stay null, as above.
    b.set("peer_port", int_cell(c.storage_port))
        .set("native_address", inet_cell(n.address))
        .set("native_port", int_cell(n.address.port));
    rows.push_back(b.take());
  }
  return rows;
}

}  // namespace nosqlc::sandbox::systables
