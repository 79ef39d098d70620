// The executor's entry points: parse, prepare and cache, execute, batch; errors as replies.
#include "nosqlc/sandbox/executor.hpp"

#include "cql/parser.hpp"
#include "exec/executor_internal.hpp"
#include "exec/tracing.hpp"
#include "nosqlc/protocol/cluster/murmur3.hpp"

namespace nosqlc::sandbox {
namespace {

using namespace detail;

Reply error_reply(ServerError e) {
  Reply r;
  r.message = std::move(e);
  return r;
}

bool is_schema(const cql::Statement& s) {
  return std::holds_alternative<cql::CreateKeyspace>(s) ||
         std::holds_alternative<cql::AlterKeyspace>(s) ||
         std::holds_alternative<cql::DropKeyspace>(s) || std::holds_alternative<cql::Use>(s) ||
         std::holds_alternative<cql::CreateTable>(s) || std::holds_alternative<cql::DropTable>(s) ||
         std::holds_alternative<cql::AlterTable>(s) || std::holds_alternative<cql::Truncate>(s);
}

Reply finish_trace(std::optional<Tracer>& tracer, Reply r) {
  if (tracer) {
    tracer->finish();
    r.tracing_id = tracer->id();
  }
  return r;
}

}  // namespace

namespace detail {

const cql::QualifiedName* table_name(const cql::Statement& s) {
  return std::visit(
      [](const auto& st) -> const cql::QualifiedName* {
        using T = std::decay_t<decltype(st)>;
        if constexpr (std::is_same_v<T, cql::Insert> || std::is_same_v<T, cql::Update> ||
                      std::is_same_v<T, cql::Delete> || std::is_same_v<T, cql::Select> ||
                      std::is_same_v<T, cql::Truncate>) {
          return &st.table;
        } else {
          return nullptr;
        }
      },
      s);
}

}  // namespace detail

namespace {

cql::ParsedStatement parse_or_fail(std::string_view cql) {
  auto parsed = cql::parse(cql);
  if (!parsed) fail(error(ServerErrorCode::syntax_error, parsed.error().message()));
  return std::move(*parsed);
}

// Same text and keyspace, same id, on every node (Cassandra uses MD5 of the two).
Bytes statement_id(std::string_view keyspace, std::string_view query) {
  std::string key;
  key.reserve(keyspace.size() + 1 + query.size());
  key.append(keyspace).push_back('\0');
  key.append(query);
  auto h = protocol::cassandra_murmur3_x64_128(
      BytesView(reinterpret_cast<const std::uint8_t*>(key.data()), key.size()), 0x6e6f73716cULL);
  Bytes id;
  for (std::int64_t part : h) {
    for (int shift = 56; shift >= 0; shift -= 8)
      id.push_back(static_cast<std::uint8_t>(static_cast<std::uint64_t>(part) >> shift));
  }
  return id;
}

std::string id_key(BytesView id) {
  return std::string(reinterpret_cast<const char*>(id.data()), id.size());
}

}  // namespace

Executor::Executor(Store& store, Cluster& cluster, std::size_t node)
    : store_(store), cluster_(cluster), node_(node) {}

ReplicaCheck Executor::replica_check() {
  return ReplicaCheck(cluster_, node_,
                      [this](const std::string& ks) { return replication_of(ks); });
}

std::optional<std::int64_t> Executor::write_timestamp(std::optional<std::int64_t> client) {
  if (client) return client;
  auto info = cluster_.info();
  if (node_ >= info->nodes.size()) return std::nullopt;
  const auto skew = info->nodes[node_].faults.clock_skew;
  if (skew.count() == 0) return std::nullopt;
  // Strictly increasing, as Cassandra's ClientState.getTimestamp makes a node's timestamps.
  const std::int64_t now = store_.now_micros() + std::int64_t{skew.count()} * 1000;
  std::int64_t last = last_timestamp_.load();
  std::int64_t next = 0;
  do {
    next = std::max(now, last + 1);
  } while (!last_timestamp_.compare_exchange_weak(last, next));
  return next;
}

Reply Executor::run(const cql::ParsedStatement& parsed, const std::string& keyspace,
                    const protocol::QueryParameters& params, ClientState& state,
                    std::optional<bool>& on_replicas, Tracer* tracer) {
  try {
    const cql::Statement& s = parsed.statement;
    if (const cql::QualifiedName* name = table_name(s);
        name != nullptr && !std::holds_alternative<cql::Select>(s) &&
        keyspace_of(*name, keyspace) == "sandbox" && find_system_table("sandbox", name->name)) {
      return run_control(cluster_, parsed, params);
    }
    if (const auto* d = std::get_if<cql::Describe>(&s)) {
      // The connection's keyspace now, not the one it was prepared in (ClientState).
      return run_describe(store_, cluster_, *d, state.keyspace, params,
                          [this](const std::string& ks) { return replication_of(ks); });
    }
    if (is_schema(s)) {
      if (!parsed.markers.empty()) {
        fail_invalid("Bind variables are not allowed in schema statements");
      }
      return run_schema(store_, s, keyspace, state);
    }
    ReplicaCheck check = replica_check();
    Reply r;
    if (std::holds_alternative<cql::Batch>(s)) {
      auto ts = write_timestamp(params.default_timestamp);
      protocol::QueryParameters stamped = params;
      stamped.default_timestamp = ts;
      std::vector<Mutation> planned;
      r = run_text_batch(store_, parsed, keyspace, stamped, check, tracer ? &planned : nullptr);
      on_replicas = check.on_replicas();
      if (tracer) tracer->mutations(planned, r);
      return r;
    }
    if (std::holds_alternative<cql::Select>(s)) {
      auto info = cluster_.info();
      r = run_select(store_, *info, node_, parsed, keyspace, params, check);
    } else if (auto ts = write_timestamp(params.default_timestamp);
               ts != params.default_timestamp) {
      protocol::QueryParameters stamped = params;  // the coordinator's own, skewed, timestamp
      stamped.default_timestamp = ts;
      r = run_modification(store_, parsed, keyspace, stamped, check);
    } else {
      r = run_modification(store_, parsed, keyspace, params, check);
    }
    on_replicas = check.on_replicas();
    if (tracer) tracer->statement(s, table_name(s)->name, r);
    return r;
  } catch (Failure& f) {
    return error_reply(std::move(f.error));
  } catch (const std::exception& e) {
    // A bug, not a refusal: answered as Cassandra answers its own (a ServerError), never a
    // crash of the node.
    return error_reply(error(ServerErrorCode::server_error, e.what()));
  }
}

Reply Executor::query(std::string_view cql, const protocol::QueryParameters& params,
                      ClientState& state, bool trace) {
  std::optional<Tracer> tracer;
  if (trace) {
    tracer.emplace(store_, *cluster_.info(), node_, state.client, "Execute CQL3 query",
                   trace_parameters(cql, params));
  }
  return finish_trace(tracer, query_traced(cql, params, state, tracer ? &*tracer : nullptr));
}

Reply Executor::query_traced(std::string_view cql, const protocol::QueryParameters& params,
                             ClientState& state, Tracer* tracer) {
  cql::ParsedStatement parsed;
  try {
    if (tracer) tracer->parsing(cql);
    parsed = parse_or_fail(cql);
  } catch (Failure& f) {
    return error_reply(std::move(f.error));
  } catch (const std::exception& e) {
    // A bug, not a refusal: answered as Cassandra answers its own (a ServerError), never a
    // crash of the node.
    return error_reply(error(ServerErrorCode::server_error, e.what()));
  }
  count(cql);
  std::optional<bool> on_replicas;
  Reply r = run(parsed, state.keyspace, params, state, on_replicas, tracer);
  record(StatementKind::query, r, on_replicas);
  return r;
}

Reply Executor::prepare(std::string_view cql, ClientState& state, bool trace) {
  std::optional<Tracer> tracer;
  if (trace) {
    tracer.emplace(store_, *cluster_.info(), node_, state.client, "Preparing CQL3 query",
                   std::map<std::string, std::string>{{"query", std::string(cql)}});
  }
  return finish_trace(tracer, prepare_traced(cql, state, tracer ? &*tracer : nullptr));
}

Reply Executor::prepare_traced(std::string_view cql, ClientState& state, Tracer* tracer) {
  cluster_.record(node_, StatementKind::prepare);
  try {
    if (tracer) tracer->parsing(cql);
    auto p = std::make_shared<PreparedStatement>();
    p->parsed = parse_or_fail(cql);
    p->query = std::string(cql);
    p->keyspace = state.keyspace;
    p->id = statement_id(p->keyspace, p->query);
    std::optional<TableRef> table;
    if (!is_schema(p->parsed.statement)) {
      if (const cql::QualifiedName* name = table_name(p->parsed.statement)) {
        table = resolve_table(store_, *name, p->keyspace);  // Cassandra checks it here too
      }
    }
    const bool batch = std::holds_alternative<cql::Batch>(p->parsed.statement);
    MarkerSpecs specs = batch ? batch_marker_specs(store_, p->parsed, p->keyspace)
                              : marker_specs(p->parsed, table ? &*table : nullptr);
    if (batch) check_text_batch(store_, p->parsed, p->keyspace, Bindings::placeholders(specs));
    if (table) {
      // Cassandra refuses at PREPARE what its prepare path checks (see check_modification).
      Bindings placeholders = Bindings::placeholders(specs);
      if (std::holds_alternative<cql::Select>(p->parsed.statement)) {
        check_select(p->parsed, *table, placeholders);
      } else if (!table->system) {
        check_modification(store_, p->parsed, p->keyspace, placeholders);
      }
    }
    p->metadata.columns = std::move(specs);
    if (table) {
      const TableDef& def = table->def();
      // The partition key's markers, when the statement binds it by one marker (pk = ?).
      for (std::size_t i = 0; i < p->parsed.markers.size(); ++i) {
        const cql::MarkerInfo& m = p->parsed.markers[i];
        if (m.role == cql::MarkerInfo::Role::column &&
            m.column == def.columns[def.partition_key].name) {
          p->metadata.pk_indices.push_back(static_cast<std::uint16_t>(i));
          break;
        }
      }
      p->result_metadata = select_metadata(p->parsed, *table);
      if (table->table) {
        p->table_id = table->table->id;
        p->table_columns = table->table->columns;
      }
    }
    {
      std::lock_guard lock(mutex_);
      prepared_[id_key(p->id)] = p;
    }
    Reply r;
    r.prepared_id = p->id;
    protocol::PreparedResult pr;
    pr.id = r.prepared_id;
    pr.metadata = p->metadata;
    pr.result_metadata = p->result_metadata;
    // A statement that returns no rows of known columns (a write, conditional or not, a batch,
    // DDL) describes none: Cassandra sends ResultSet.ResultMetadata.EMPTY, the No_metadata flag
    // and no column (cql3/ResultSet.java; ModificationStatement.getResultMetadata).
    if (pr.result_metadata.columns.empty()) {
      pr.result_metadata = {};
      pr.result_metadata.no_metadata = true;
    }
    r.message = protocol::Result{std::move(pr)};
    return r;
  } catch (Failure& f) {
    return error_reply(std::move(f.error));
  } catch (const std::exception& e) {
    // A bug, not a refusal: answered as Cassandra answers its own (a ServerError), never a
    // crash of the node.
    return error_reply(error(ServerErrorCode::server_error, e.what()));
  }
}

std::shared_ptr<const PreparedStatement> Executor::find_prepared(BytesView id) {
  const std::string key = id_key(id);
  std::shared_ptr<const PreparedStatement> p;
  {
    std::lock_guard lock(mutex_);
    auto it = prepared_.find(key);
    if (it == prepared_.end()) return nullptr;
    p = it->second;
  }
  if (!p->table_id) return p;
  const cql::QualifiedName& name = *table_name(p->parsed.statement);
  auto table = store_.table(keyspace_of(name, p->keyspace), name.name);
  if (table && (*table)->id == *p->table_id && (*table)->columns == p->table_columns) return p;
  std::lock_guard lock(mutex_);
  if (auto it = prepared_.find(key); it != prepared_.end() && it->second == p) prepared_.erase(it);
  return nullptr;
}

namespace {

Reply unprepared(BytesView id, Reply& holder) {
  holder.prepared_id.assign(id.begin(), id.end());
  char hex[3];
  std::string text;
  for (std::uint8_t b : id) {
    std::snprintf(hex, sizeof hex, "%02x", b);
    text += hex;
  }
  holder.message = ServerError{ServerErrorCode::unprepared,
                               "Prepared query with ID " + text +
                                   " not found (either the query was not prepared on this host "
                                   "(maybe the host has been restarted?) or you have prepared too "
                                   "many queries and it has been evicted from the internal cache)",
                               protocol::UnpreparedError{BytesView(holder.prepared_id)}};
  return std::move(holder);
}

}  // namespace

Reply Executor::execute(BytesView id, const protocol::QueryParameters& params, ClientState& state,
                        bool trace) {
  std::optional<Tracer> tracer;
  if (trace) {
    // ExecuteMessage names the statement's text; an unknown id leaves it out.
    auto p = find_prepared(id);
    tracer.emplace(store_, *cluster_.info(), node_, state.client, "Execute CQL3 prepared query",
                   trace_parameters(p ? std::string_view(p->query) : std::string_view(), params));
    if (!p) tracer->parameters().erase("query");
    if (p) add_bound_variables(tracer->parameters(), *p, params);
  }
  return finish_trace(tracer, execute_traced(id, params, state, tracer ? &*tracer : nullptr));
}

Reply Executor::execute_traced(BytesView id, const protocol::QueryParameters& params,
                               ClientState& state, Tracer* tracer) {
  auto p = find_prepared(id);
  if (!p) {
    Reply r;
    return unprepared(id, r);
  }
  count(p->query);
  std::optional<bool> on_replicas;
  Reply r = run(p->parsed, p->keyspace, params, state, on_replicas, tracer);
  record(StatementKind::execute, r, on_replicas);
  return r;
}

Reply Executor::batch(const protocol::Batch& batch, ClientState& state, bool trace) {
  std::optional<Tracer> tracer;
  if (trace) {
    // BatchMessage records no query text (CASSANDRA-4560), only the consistency levels.
    std::map<std::string, std::string> parameters{
        {"consistency_level", std::string(protocol::to_string(batch.consistency))},
        {"serial_consistency_level",
         std::string(protocol::to_string(
             batch.serial_consistency.value_or(protocol::Consistency::serial)))}};
    tracer.emplace(store_, *cluster_.info(), node_, state.client, "Execute batch of CQL3 queries",
                   std::move(parameters));
  }
  return finish_trace(tracer, batch_traced(batch, state, tracer ? &*tracer : nullptr));
}

Reply Executor::batch_traced(const protocol::Batch& batch, ClientState& state, Tracer* tracer) {
  try {
    // The sandbox has no counter columns, so no statement can belong in a counter batch.
    if (batch.type == protocol::BatchType::counter && !batch.statements.empty()) {
      fail_invalid("Cannot include non-counter statement in a counter batch");
    }
    cluster_.record(node_, StatementKind::batch);
    const std::optional<std::int64_t> timestamp = write_timestamp(batch.default_timestamp);
    BatchRun run;
    run.type = batch.type == protocol::BatchType::counter    ? BatchRun::Type::counter
               : batch.type == protocol::BatchType::unlogged ? BatchRun::Type::unlogged
                                                             : BatchRun::Type::logged;
    run.consistency = batch.consistency;
    run.serial_consistency = batch.serial_consistency;
    for (const protocol::BatchStatement& st : batch.statements) {
      protocol::QueryParameters params;
      params.values = st.values;
      params.default_timestamp = timestamp;
      cql::ParsedStatement parsed;
      std::string keyspace = state.keyspace;
      std::shared_ptr<const PreparedStatement> p;
      if (const auto* text = std::get_if<std::string_view>(&st.statement)) {
        count(*text);
        parsed = parse_or_fail(*text);
      } else {
        BytesView id = std::get<BytesView>(st.statement);
        p = find_prepared(id);
        if (!p) {
          Reply r;
          return unprepared(id, r);
        }
        keyspace = p->keyspace;
        count(p->query);
      }
      const cql::ParsedStatement& ps = p ? p->parsed : parsed;
      if (std::holds_alternative<cql::Batch>(ps.statement)) {
        fail_invalid(
            "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
      }
      Bindings b(ps.markers, params);
      run.plans.push_back(plan_modification(store_, ps, keyspace, b, timestamp));
    }
    ReplicaCheck check = replica_check();
    Reply r = run_batch(store_, run, check);
    record_keys(r, check.on_replicas());
    if (tracer) {
      std::vector<Mutation> all;
      for (const ModificationPlan& plan : run.plans)
        all.insert(all.end(), plan.mutations.begin(), plan.mutations.end());
      tracer->mutations(all, r);
    }
    return r;
  } catch (Failure& f) {
    return error_reply(std::move(f.error));
  } catch (const std::exception& e) {
    // A bug, not a refusal: answered as Cassandra answers its own (a ServerError), never a
    // crash of the node.
    return error_reply(error(ServerErrorCode::server_error, e.what()));
  }
}

void Executor::record(StatementKind kind, const Reply& r, std::optional<bool> on_replicas) {
  cluster_.record(node_, kind);
  record_keys(r, on_replicas);
}

void Executor::record_keys(const Reply& r, std::optional<bool> on_replicas) {
  if (!r.keyed || std::holds_alternative<ServerError>(r.message)) return;
  if (on_replicas) {  // the replica check placed the keys already
    cluster_.record_keyed(node_, *on_replicas);
    return;
  }
  auto replication = replication_of(r.routed_keyspace);
  if (!replication) return;
  bool all = true;
  for (const Bytes& key : r.routed_keys) {
    auto replicas = cluster_.replicas(*replication, key);
    if (std::find(replicas.begin(), replicas.end(), node_) == replicas.end()) {
      all = false;
      break;
    }
  }
  cluster_.record_keyed(node_, all);
}

std::shared_ptr<const protocol::Replication> Executor::replication_of(const std::string& keyspace) {
  constexpr std::size_t kMaxKeyspaces = 10'000;
  // The version first: a change between the two reads leaves an entry a later call replaces.
  const protocol::Uuid version = store_.schema_version();
  {
    std::lock_guard lock(mutex_);
    auto it = replications_.find(keyspace);
    if (it != replications_.end() && it->second.first == version) return it->second.second;
  }
  auto def = store_.keyspace(keyspace);
  if (!def) return nullptr;
  auto replication = std::make_shared<const protocol::Replication>(
      protocol::Replication::from_map(def->replication));
  std::lock_guard lock(mutex_);
  if (replications_.size() >= kMaxKeyspaces) replications_.clear();
  replications_[keyspace] = {version, replication};
  return replication;
}

void Executor::count(std::string_view text) {
  constexpr std::size_t kMaxTexts = 10'000;
  std::lock_guard lock(mutex_);
  auto it = runs_.find(std::string(text));
  if (it != runs_.end()) {
    ++it->second;
  } else if (runs_.size() < kMaxTexts) {
    runs_.emplace(std::string(text), 1);
  }
}

std::size_t Executor::times_run(std::string_view text) const {
  std::lock_guard lock(mutex_);
  auto it = runs_.find(std::string(text));
  return it == runs_.end() ? 0 : it->second;
}

void Executor::forget_prepared() {
  std::lock_guard lock(mutex_);
  prepared_.clear();
}

}  // namespace nosqlc::sandbox
