#include "nosqlc/protocol/events.hpp"

#include <string>

namespace nosqlc::protocol {
namespace {

constexpr std::string_view kChangeTypes[] = {"CREATED", "UPDATED", "DROPPED"};
constexpr std::string_view kTargets[] = {"KEYSPACE", "TABLE", "TYPE", "FUNCTION", "AGGREGATE"};
constexpr std::string_view kTopologyChanges[] = {"NEW_NODE", "REMOVED_NODE", "MOVED_NODE"};
constexpr std::string_view kStatusChanges[] = {"UP", "DOWN"};

// Reads a [string] that must be one of `names`; returns its index.
template <std::size_t N>
std::size_t read_name(Reader& r, const std::string_view (&names)[N], std::string_view what) {
  std::string_view s = r.string(what);
  if (!r.ok()) return 0;
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) return i;
  }
  r.fail(errc::invalid_value, std::string(what) + " '" + std::string(s.substr(0, 64)) + "'");
  return 0;
}

template <std::size_t N, class E>
void write_name(Writer& w, const std::string_view (&names)[N], E value, std::string_view what) {
  auto i = static_cast<std::size_t>(value);
  if (i >= N) return w.fail(errc::invalid_value, what);
  w.string(names[i]);
}

}  // namespace

std::string_view to_string(SchemaChangeType t) noexcept {
  auto i = static_cast<std::size_t>(t);
  return i < std::size(kChangeTypes) ? kChangeTypes[i] : "UNKNOWN";
}

std::string_view to_string(SchemaTarget t) noexcept {
  auto i = static_cast<std::size_t>(t);
  return i < std::size(kTargets) ? kTargets[i] : "UNKNOWN";
}

void read_schema_change(Reader& r, SchemaChange& out) {
  out = {};
  out.change = static_cast<SchemaChangeType>(read_name(r, kChangeTypes, "schema change type"));
  out.target = static_cast<SchemaTarget>(read_name(r, kTargets, "schema change target"));
  if (!r.ok()) return;
  out.keyspace = std::string(r.string("schema change keyspace"));
  if (out.target == SchemaTarget::keyspace) return;
  out.name = std::string(r.string("schema change name"));
  if (out.target == SchemaTarget::function || out.target == SchemaTarget::aggregate) {
    out.arg_types = r.string_list("schema change argument types");
  }
}

void write_schema_change(Writer& w, const SchemaChange& m) {
  write_name(w, kChangeTypes, m.change, "schema change type");
  write_name(w, kTargets, m.target, "schema change target");
  w.string(m.keyspace);
  if (m.target == SchemaTarget::keyspace) return;
  w.string(m.name);
  if (m.target == SchemaTarget::function || m.target == SchemaTarget::aggregate) {
    w.string_list(m.arg_types);
  }
}

void read_body(Reader& r, Event& out) {
  constexpr std::string_view kEvents[] = {"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"};
  switch (read_name(r, kEvents, "event type")) {
    case 0: {
      TopologyChange e;
      e.change = static_cast<TopologyChangeType>(read_name(r, kTopologyChanges, "topology change"));
      e.node = r.inet("topology change node");
      out = std::move(e);
      return;
    }
    case 1: {
      StatusChange e;
      e.change = static_cast<StatusChangeType>(read_name(r, kStatusChanges, "status change"));
      e.node = r.inet("status change node");
      out = std::move(e);
      return;
    }
    default: {
      SchemaChange e;
      read_schema_change(r, e);
      out = std::move(e);
      return;
    }
  }
}

void write_body(Writer& w, const Event& m) {
  if (const auto* t = std::get_if<TopologyChange>(&m)) {
    w.string("TOPOLOGY_CHANGE");
    write_name(w, kTopologyChanges, t->change, "topology change");
    w.inet(t->node);
  } else if (const auto* s = std::get_if<StatusChange>(&m)) {
    w.string("STATUS_CHANGE");
    write_name(w, kStatusChanges, s->change, "status change");
    w.inet(s->node);
  } else {
    w.string("SCHEMA_CHANGE");
    write_schema_change(w, std::get<SchemaChange>(m));
  }
}

}  // namespace nosqlc::protocol
