// Writes to the sandbox keyspace: sandbox.nodes changes the cluster (stop, restart, slow down,
// add or remove a node), TRUNCATE sandbox.node_stats zeroes the counters. So that tests in
// any language drive the cluster through CQL.
#include "executor_internal.hpp"

#include <arpa/inet.h>

namespace nosqlc::sandbox::detail {
namespace {

constexpr int kMaxLatencyMs = 3'600'000;

[[noreturn]] void not_modifiable(const std::string& table) {
  fail_invalid("Modification is not supported by table sandbox." + table);
}

std::string text_of(const Bytes& b) {
  return std::string(b.begin(), b.end());
}

// The node at `address`, as a WHERE clause names it.
std::size_t node_of(const Cluster& cluster, const std::string& address) {
  auto i = cluster.find(address);
  if (!i) fail_invalid("sandbox.nodes has no node at address '" + address + "'");
  return *i;
}

// The address in `WHERE address = term`, the only restriction sandbox.nodes takes.
std::string where_address(const std::vector<cql::Relation>& where, const Bindings& b) {
  if (where.size() != 1 || where[0].token || where[0].columns.size() != 1 ||
      where[0].columns[0] != "address" || where[0].op != cql::Operator::eq || !where[0].value) {
    fail_invalid("sandbox.nodes is changed one node at a time: WHERE address = '<address>'");
  }
  return text_of(evaluate_bytes(*where[0].value, DataType::of(TypeId::varchar), "address", b,
                                "PRIMARY KEY part address"));
}

bool boolean_of(const cql::Term& t, const Bindings& b) {
  Bytes v = evaluate_bytes(t, DataType::of(TypeId::boolean), "up", b, "column up");
  bool out = false;
  if (!protocol::decode_boolean(v, out).ok()) fail_invalid("Invalid value for column up");
  return out;
}

int latency_of(const cql::Term& t, const Bindings& b) {
  Bytes v = evaluate_bytes(t, DataType::of(TypeId::int_), "latency_ms", b, "column latency_ms");
  std::int32_t out = 0;
  if (!protocol::decode_int(v, out).ok()) fail_invalid("Invalid value for column latency_ms");
  if (out < 0 || out > kMaxLatencyMs) {
    fail_invalid("latency_ms must be between 0 and " + std::to_string(kMaxLatencyMs) + ", got " +
                 std::to_string(out));
  }
  return out;
}

// The bytes of an IP address in text form, or Invalid.
std::vector<std::uint8_t> parse_address(const std::string& text) {
  std::uint8_t buf[16];
  if (inet_pton(AF_INET, text.c_str(), buf) == 1) return {buf, buf + 4};
  if (inet_pton(AF_INET6, text.c_str(), buf) == 1) return {buf, buf + 16};
  fail_invalid("'" + text + "' is not an IP address");
}

Reply update_node(const Cluster& cluster, const cql::Update& u, const Bindings& b) {
  if (u.conditions.kind != cql::Conditions::Kind::none) {
    fail_invalid("Conditional updates are not supported by table sandbox.nodes");
  }
  if (u.using_.ttl || u.using_.timestamp) fail_invalid("sandbox.nodes takes no USING clause");
  ControlAction a;
  a.kind = ControlAction::Kind::update;
  a.node = node_of(cluster, where_address(u.where, b));
  for (const cql::Assignment& s : u.assignments) {
    if (s.kind != cql::Assignment::Kind::set) fail_invalid("Invalid operation on " + s.column);
    if (s.column == "up") {
      a.up = boolean_of(s.value, b);
    } else if (s.column == "latency_ms") {
      a.latency_ms = latency_of(s.value, b);
    } else if (s.column == "address" || s.column == "dc" || s.column == "rack") {
      fail_invalid("sandbox.nodes cannot change a node's " + s.column +
                   ": DELETE the node and INSERT another");
    } else {
      fail_invalid("Undefined column name " + s.column);
    }
  }
  Reply r;
  r.control = std::move(a);
  return r;
}

Reply insert_node(const Cluster& cluster, const cql::Insert& ins, const Bindings& b) {
  if (ins.if_not_exists) fail_invalid("Conditional inserts are not supported by sandbox.nodes");
  if (ins.using_.ttl || ins.using_.timestamp) fail_invalid("sandbox.nodes takes no USING clause");
  std::optional<std::string> address, dc, rack;
  std::optional<int> latency;
  for (std::size_t i = 0; i < ins.columns.size() && i < ins.values.size(); ++i) {
    const std::string& c = ins.columns[i];
    const cql::Term& v = ins.values[i];
    if (c == "address" || c == "dc" || c == "rack") {
      std::string text =
          text_of(evaluate_bytes(v, DataType::of(TypeId::varchar), c, b, "column " + c));
      if (text.empty()) fail_invalid("sandbox.nodes: " + c + " cannot be empty");
      (c == "address" ? address : c == "dc" ? dc : rack) = std::move(text);
    } else if (c == "up") {
      if (!boolean_of(v, b)) fail_invalid("a node added to sandbox.nodes starts up");
    } else if (c == "latency_ms") {
      latency = latency_of(v, b);
    } else {
      fail_invalid("Undefined column name " + c);
    }
  }
  if (!address) fail_invalid("Some partition key parts are missing: address");
  if (!dc) fail_invalid("sandbox.nodes: a new node needs its dc");
  if (cluster.find(*address)) fail_invalid("sandbox.nodes already has a node at " + *address);
  auto info = cluster.info();
  ControlAction a;
  a.kind = ControlAction::Kind::add;
  a.placement.address.address = parse_address(*address);
  a.placement.address.port = info->nodes.front().address.port;
  if (a.placement.address.address.size() != info->nodes.front().address.address.size()) {
    fail_invalid("sandbox.nodes: " + *address + " is not of the cluster's address family");
  }
  a.placement.dc = std::move(*dc);
  a.placement.rack = rack.value_or("rack1");
  a.latency_ms = latency;
  Reply r;
  r.control = std::move(a);
  return r;
}

Reply delete_node(const Cluster& cluster, const cql::Delete& d, const Bindings& b) {
  if (d.conditions.kind != cql::Conditions::Kind::none) {
    fail_invalid("Conditional deletions are not supported by table sandbox.nodes");
  }
  if (!d.columns.empty()) fail_invalid("sandbox.nodes deletes whole rows only");
  ControlAction a;
  a.kind = ControlAction::Kind::remove;
  a.node = node_of(cluster, where_address(d.where, b));
  Reply r;
  r.control = std::move(a);
  return r;
}

}  // namespace

Reply run_control(Cluster& cluster, const cql::ParsedStatement& parsed,
                  const protocol::QueryParameters& params) {
  Bindings b(parsed.markers, params);
  return std::visit(
      [&](const auto& st) -> Reply {
        using T = std::decay_t<decltype(st)>;
        if constexpr (std::is_same_v<T, cql::Truncate>) {
          if (st.table.name != "node_stats") not_modifiable(st.table.name);
          cluster.reset_stats();
          return Reply{};
        } else if constexpr (std::is_same_v<T, cql::Update>) {
          if (st.table.name != "nodes") not_modifiable(st.table.name);
          return update_node(cluster, st, b);
        } else if constexpr (std::is_same_v<T, cql::Insert>) {
          if (st.table.name != "nodes") not_modifiable(st.table.name);
          return insert_node(cluster, st, b);
        } else if constexpr (std::is_same_v<T, cql::Delete>) {
          if (st.table.name != "nodes") not_modifiable(st.table.name);
          return delete_node(cluster, st, b);
        } else {
          fail_invalid("Unsupported statement on the sandbox keyspace");
        }
      },
      parsed.statement);
}

}  // namespace nosqlc::sandbox::detail
