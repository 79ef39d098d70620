// Writes to the sandbox keyspace: sandbox.nodes changes the cluster (stop, restart, add or
// remove a node, inject faults on one), TRUNCATE sandbox.node_stats zeroes the counters. So
// that tests in any language drive the cluster through CQL.
#include "exec/executor_internal.hpp"

#include <arpa/inet.h>

#include <cstdio>
#include <limits>

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

bool boolean_of(const cql::Term& t, const Bindings& b, const std::string& column) {
  Bytes v = evaluate_bytes(t, DataType::of(TypeId::boolean), column, b, "column " + column);
  bool out = false;
  if (!protocol::decode_boolean(v, out).ok()) fail_invalid("Invalid value for column " + column);
  return out;
}

// An int column's value, which must lie in lo..hi.
int int_of(const cql::Term& t, const Bindings& b, const std::string& column, int lo, int hi) {
  Bytes v = evaluate_bytes(t, DataType::of(TypeId::int_), column, b, "column " + column);
  std::int32_t out = 0;
  if (!protocol::decode_int(v, out).ok()) fail_invalid("Invalid value for column " + column);
  if (out < lo || out > hi) {
    fail_invalid(column + " must be between " + std::to_string(lo) + " and " + std::to_string(hi) +
                 ", got " + std::to_string(out));
  }
  return out;
}

double share_of(const cql::Term& t, const Bindings& b) {
  Bytes v =
      evaluate_bytes(t, DataType::of(TypeId::double_), "error_share", b, "column error_share");
  double out = -1;
  if (!protocol::decode_double(v, out).ok()) fail_invalid("Invalid value for column error_share");
  if (!(out >= 0 && out <= 1)) {
    char text[32];
    std::snprintf(text, sizeof text, "%g", out);
    fail_invalid(std::string("error_share must be between 0 and 1, got ") + text);
  }
  return out;
}

// The error a node is to answer: one of Cassandra's names, or null for none.
std::optional<protocol::ServerErrorCode> error_of(const cql::Term& t, const Bindings& b) {
  TermValue v = evaluate(t, DataType::of(TypeId::varchar), "error", b);
  if (v.kind != TermValue::Kind::bytes) return std::nullopt;  // null (or unset) clears it
  const std::string name = text_of(v.bytes);
  auto code = fault_error_code(name);
  if (!code) {
    fail_invalid("error must be null or one of " + std::string(fault_error_names) + ", got '" +
                 name + "'");
  }
  return code;
}

// Sets the ControlAction field of a fault column; false for a column that is not one.
bool set_fault(ControlAction& a, const std::string& column, const cql::Term& t, const Bindings& b) {
  constexpr int kMaxSkew = static_cast<int>(kMaxClockSkew.count());
  if (column == "latency_ms") {
    a.latency_ms = int_of(t, b, column, 0, kMaxLatencyMs);
  } else if (column == "silent") {
    a.silent = boolean_of(t, b, column);
  } else if (column == "error") {
    a.error = error_of(t, b);
  } else if (column == "error_share") {
    a.error_share = share_of(t, b);
  } else if (column == "close_after") {
    a.close_after =
        static_cast<std::size_t>(int_of(t, b, column, 0, std::numeric_limits<std::int32_t>::max()));
  } else if (column == "clock_skew_ms") {
    a.clock_skew_ms = int_of(t, b, column, -kMaxSkew, kMaxSkew);
  } else {
    return false;
  }
  return true;
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
      a.up = boolean_of(s.value, b, s.column);
    } else if (s.column == "address" || s.column == "dc" || s.column == "rack") {
      fail_invalid("sandbox.nodes cannot change a node's " + s.column +
                   ": DELETE the node and INSERT another");
    } else if (!set_fault(a, s.column, s.value, b)) {
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
  ControlAction a;
  for (std::size_t i = 0; i < ins.columns.size() && i < ins.values.size(); ++i) {
    const std::string& c = ins.columns[i];
    const cql::Term& v = ins.values[i];
    if (c == "address" || c == "dc" || c == "rack") {
      std::string text =
          text_of(evaluate_bytes(v, DataType::of(TypeId::varchar), c, b, "column " + c));
      if (text.empty()) fail_invalid("sandbox.nodes: " + c + " cannot be empty");
      (c == "address" ? address : c == "dc" ? dc : rack) = std::move(text);
    } else if (c == "up") {
      if (!boolean_of(v, b, c)) fail_invalid("a node added to sandbox.nodes starts up");
    } else if (!set_fault(a, c, v, b)) {
      fail_invalid("Undefined column name " + c);
    }
  }
  if (!address) fail_invalid("Some partition key parts are missing: address");
  if (!dc) fail_invalid("sandbox.nodes: a new node needs its dc");
  if (cluster.find(*address)) fail_invalid("sandbox.nodes already has a node at " + *address);
  auto info = cluster.info();
  a.kind = ControlAction::Kind::add;
  a.placement.address.address = parse_address(*address);
  a.placement.address.port = info->nodes.front().address.port;
  if (a.placement.address.address.size() != info->nodes.front().address.address.size()) {
    fail_invalid("sandbox.nodes: " + *address + " is not of the cluster's address family");
  }
  a.placement.dc = std::move(*dc);
  a.placement.rack = rack.value_or("rack1");
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
