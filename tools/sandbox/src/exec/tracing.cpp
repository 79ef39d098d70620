#include "exec/tracing.hpp"

#include "cql/uuids.hpp"
#include "exec/functions.hpp"

#include <nosqlc/protocol/value_forms.hpp>

#include <algorithm>
#include <variant>

namespace nosqlc::sandbox::detail {

Tracer::Tracer(Store& store, const ClusterInfo& cluster, std::size_t node,
               const protocol::Inet& client, std::string request,
               std::map<std::string, std::string> parameters)
    : store_(store), start_(std::chrono::steady_clock::now()) {
  session_.session_id = time_uuid();
  session_.client = client;
  if (node < cluster.nodes.size())
    session_.coordinator.address = cluster.nodes[node].address.address;
  // FBUtilities.getBroadcastAddressAndPort(): the inter-node port, not the CQL one.
  session_.coordinator.port = cluster.storage_port;
  session_.request = std::move(request);
  session_.parameters = std::move(parameters);
  session_.started_at = store.now_micros() / 1000;
}

void Tracer::event(std::string activity, std::string_view thread) {
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start_);
  session_.events.push_back({time_uuid(), std::move(activity), session_.coordinator,
                             static_cast<std::int32_t>(elapsed.count()), std::string(thread)});
}

void Tracer::parsing(std::string_view query) {
  event("Parsing " + std::string(query));
  event("Preparing statement");
}

void Tracer::statement(const cql::Statement& s, std::string_view table, const Reply& reply) {
  if (std::holds_alternative<cql::Select>(s)) {
    std::int32_t rows = 0;
    if (const auto* result = std::get_if<protocol::Result>(&reply.message)) {
      if (const auto* r = std::get_if<protocol::RowsResult>(result)) rows = r->row_count;
    }
    if (reply.keyed) {
      event("Executing single-partition query on " + std::string(table), kReadThread);
      event("Acquiring sstable references", kReadThread);
      event("Merged data from memtables and 0 sstables", kReadThread);
    } else {
      event("Computing ranges to query");
    }
    event("Read " + std::to_string(rows) + " live rows and 0 tombstone cells", kReadThread);
  } else if (std::holds_alternative<cql::Insert>(s) || std::holds_alternative<cql::Update>(s) ||
             std::holds_alternative<cql::Delete>(s)) {
    if (auto applied = cas_applied(reply)) {
      paxos(table, reply, *applied);
    } else {
      write(std::vector<std::string>{std::string(table)});
    }
  }
}

std::optional<bool> Tracer::cas_applied(const Reply& reply) {
  const auto* result = std::get_if<protocol::Result>(&reply.message);
  const auto* rows = result ? std::get_if<protocol::RowsResult>(result) : nullptr;
  if (!rows || rows->metadata.columns.empty() || rows->metadata.columns[0].name != "[applied]") {
    return std::nullopt;
  }
  // The first cell is [applied]: a 4-byte length, then the boolean.
  if (reply.rows.size() < 5) return std::nullopt;
  return reply.rows[4] != 0;
}

// StorageProxy.cas and PaxosState (Cassandra 4.0's Paxos): prepare and promise, the read of
// the current values, then either the unmet condition or propose, accept and commit, and the
// write. A commit prints its partition update; the sandbox shows its table and key only.
void Tracer::paxos(std::string_view table, const Reply& reply, bool applied) {
  const std::string ballot = protocol::format_uuid(time_uuid());
  std::string partition = "[" + reply.routed_keyspace + "." + std::string(table) + "]";
  if (reply.keyed && !reply.routed_keys.empty()) {
    if (auto t = store_.table(reply.routed_keyspace, table)) {
      const DataType& type = (*t)->columns[(*t)->partition_key].type;
      const Bytes& key = reply.routed_keys.front();
      partition += " key=" + (type.id == TypeId::varchar || type.id == TypeId::ascii
                                  ? std::string(key.begin(), key.end())
                                  : cql_literal(type, BytesView(key)));
    }
  }
  event("Preparing " + ballot);
  event("Promising ballot " + ballot, kMutationThread);
  event("Reading existing values for CAS precondition");
  event("Executing single-partition query on " + std::string(table), kReadThread);
  event("Acquiring sstable references", kReadThread);
  event("Merged data from memtables and 0 sstables", kReadThread);
  if (!applied) {
    event("CAS precondition does not match current values " + partition);
    return;
  }
  event("CAS precondition is met; proposing client-requested updates for " + ballot);
  const std::string commit = "Commit(" + ballot + ", " + partition + ")";
  event("Accepting proposal " + commit, kMutationThread);
  event("Committing proposal " + commit, kMutationThread);
  event("Appending to commitlog", kMutationThread);
  event("Adding to " + std::string(table) + " memtable", kMutationThread);
  event("CAS successful");
}

void Tracer::mutations(std::span<const Mutation> all, const Reply& reply) {
  if (auto applied = cas_applied(reply); applied && !all.empty()) {
    paxos(all.front().table, reply, *applied);
    return;
  }
  std::vector<std::string> tables;
  for (const Mutation& m : all) {
    if (std::find(tables.begin(), tables.end(), m.table) == tables.end()) tables.push_back(m.table);
  }
  write(tables);
}

void Tracer::write(const std::vector<std::string>& tables) {
  // StorageProxy.performWrite, then Keyspace.applyInternal on the local replica.
  event("Determining replicas for mutation");
  event("Appending to commitlog", kMutationThread);
  for (const std::string& t : tables)
    event("Adding to " + t + " memtable", kMutationThread);
}

void Tracer::finish() {
  auto elapsed = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - start_);
  session_.duration = static_cast<std::int32_t>(elapsed.count());
  store_.traces().add(std::move(session_));
}

std::map<std::string, std::string> trace_parameters(std::string_view query,
                                                    const protocol::QueryParameters& params) {
  std::map<std::string, std::string> out;
  out["query"] = std::string(query);
  if (params.page_size && *params.page_size > 0)
    out["page_size"] = std::to_string(*params.page_size);
  out["consistency_level"] = std::string(protocol::to_string(params.consistency));
  out["serial_consistency_level"] = std::string(
      protocol::to_string(params.serial_consistency.value_or(protocol::Consistency::serial)));
  return out;
}

void add_bound_variables(std::map<std::string, std::string>& parameters,
                         const PreparedStatement& prepared,
                         const protocol::QueryParameters& params) {
  const auto& specs = prepared.metadata.columns;
  std::optional<Bindings> bound;
  try {
    bound.emplace(prepared.parsed.markers, params);
  } catch (const Failure&) {
    return;  // the EXECUTE fails on its values, and says so
  }
  for (std::size_t i = 0; i < specs.size() && i < prepared.parsed.markers.size(); ++i) {
    const protocol::Value& v = bound->at(static_cast<int>(i));
    std::optional<BytesView> bytes;
    if (v.kind == protocol::Value::Kind::normal) bytes = v.bytes;
    // An unset value is an empty buffer there: '' for text, null for the rest.
    if (v.kind == protocol::Value::Kind::not_set) bytes = BytesView{};
    std::string literal = cql_literal(specs[i].type, bytes);
    if (literal.size() > 1000) literal = literal.substr(0, 1000) + "...'";
    parameters["bound_var_" + std::to_string(i) + "_" + specs[i].name] = std::move(literal);
  }
}

}  // namespace nosqlc::sandbox::detail
