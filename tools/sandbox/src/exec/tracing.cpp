#include "exec/tracing.hpp"

#include "cql/uuids.hpp"
#include "exec/functions.hpp"

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
    write(std::vector<std::string>{std::string(table)});
  }
}

void Tracer::mutations(std::span<const Mutation> all) {
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
