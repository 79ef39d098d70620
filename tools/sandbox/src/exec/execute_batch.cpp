// Batches, from a BATCH request or a BEGIN BATCH ... APPLY BATCH text, run as Cassandra 4.0's
// cql3/statements/BatchStatement.java runs them: validate()'s checks with its words, one
// timestamp for every write without its own, and with conditions (executeWithConditions) one
// partition of one table whose conditions, merged as CQL3CasRequest merges them, decide
// whether every write is applied, answered with [applied] and, when not, the current row.
#include "cql/literals.hpp"
#include "exec/executor_internal.hpp"

#include <algorithm>

namespace nosqlc::sandbox::detail {
namespace {

using Cas = ModificationPlan::Cas;

bool has_conditions(const std::variant<cql::Insert, cql::Update, cql::Delete>& s) {
  return std::visit(
      [](const auto& st) {
        using T = std::decay_t<decltype(st)>;
        if constexpr (std::is_same_v<T, cql::Insert>) {
          return st.if_not_exists;
        } else {
          return st.conditions.kind != cql::Conditions::Kind::none;
        }
      },
      s);
}

bool has_timestamp(const std::variant<cql::Insert, cql::Update, cql::Delete>& s) {
  return std::visit([](const auto& st) { return st.using_.timestamp.has_value(); }, s);
}

const cql::QualifiedName& table_of(const std::variant<cql::Insert, cql::Update, cql::Delete>& s) {
  return std::visit([](const auto& st) -> const cql::QualifiedName& { return st.table; }, s);
}

// BatchStatement.validate: what it refuses before anything is bound.
void validate(const cql::Batch& b, const std::string& keyspace) {
  if (b.using_.ttl) fail_invalid("Global TTL on the BATCH statement is not supported.");
  const bool conditional = std::any_of(b.statements.begin(), b.statements.end(), has_conditions);
  const bool counter = b.type == cql::Batch::Type::counter;
  if (b.using_.timestamp) {
    if (conditional) fail_invalid("Cannot provide custom timestamp for conditional BATCH");
    if (counter) fail_invalid("Cannot provide custom timestamp for counter BATCH");
    for (const auto& s : b.statements) {
      if (has_timestamp(s)) {
        fail_invalid("Timestamp must be set either on BATCH or individual statements");
      }
    }
  }
  // The sandbox has no counter columns: no statement belongs in a counter batch.
  if (counter && !b.statements.empty()) {
    fail_invalid("Cannot include non-counter statement in a counter batch");
  }
  if (conditional) {
    const cql::QualifiedName* first = nullptr;
    for (const auto& s : b.statements) {
      const cql::QualifiedName& t = table_of(s);
      if (first &&
          (keyspace_of(t, keyspace) != keyspace_of(*first, keyspace) || t.name != first->name)) {
        fail_invalid("Batch with conditions cannot span multiple tables");
      }
      first = &t;
    }
  }
}

std::vector<ModificationPlan> plan_all(const Store& store, const cql::ParsedStatement& parsed,
                                       const std::string& keyspace, const Bindings& bindings,
                                       std::optional<std::int64_t> timestamp) {
  const auto& b = std::get<cql::Batch>(parsed.statement);
  std::vector<ModificationPlan> plans;
  for (const auto& s : b.statements) {
    cql::ParsedStatement one;
    one.statement = std::visit([](const auto& st) -> cql::Statement { return st; }, s);
    plans.push_back(plan_modification(store, one, keyspace, bindings, timestamp));
  }
  return plans;
}

// The batch's USING TIMESTAMP, when it has one and it is bound.
std::optional<std::int64_t> batch_timestamp(const cql::Batch& b, const Bindings& bindings) {
  if (!b.using_.timestamp) return std::nullopt;
  TermValue v =
      evaluate(*b.using_.timestamp, DataType::of(TypeId::bigint), "[timestamp]", bindings);
  if (bindings.placeholders()) return std::nullopt;  // its range is checked at EXECUTE
  if (v.kind == TermValue::Kind::null) fail_invalid("Invalid null value of timestamp");
  if (!v.is_bytes()) return std::nullopt;
  std::int64_t ts = 0;
  (void)protocol::decode_bigint(v.bytes, ts);
  if (ts == INT64_MIN) fail_invalid("Invalid timestamp value (" + std::to_string(ts) + ")");
  return ts;
}

// The conditions of every statement as one, as CQL3CasRequest merges them for one row.
struct Merged {
  enum class Kind { none, not_exists, exists, columns } kind = Kind::none;
  Condition condition;
  std::vector<std::string> columns;  // the conditions' columns, in IF order
};

void merge(Merged& m, const ModificationPlan& p) {
  using Kind = Merged::Kind;
  if (p.cas == Cas::none) return;
  Kind k = p.cas == Cas::not_exists                      ? Kind::not_exists
           : p.condition.kind == Condition::Kind::exists ? Kind::exists
                                                         : Kind::columns;
  if (m.kind != Kind::none && m.kind != k) {
    if (m.kind == Kind::columns || k == Kind::columns) {
      Kind other = m.kind == Kind::columns ? k : m.kind;
      fail_invalid(std::string("Cannot mix IF conditions and IF ") +
                   (other == Kind::not_exists ? "NOT " : "") + "EXISTS for the same row");
    }
    fail_invalid("Cannot mix IF EXISTS and IF NOT EXISTS conditions for the same row");
  }
  m.kind = k;
  if (k != Kind::columns) return;
  m.condition.kind = Condition::Kind::columns;
  m.condition.cells.insert(m.condition.cells.end(), p.condition.cells.begin(),
                           p.condition.cells.end());
  for (const std::string& c : p.condition_columns) {
    if (std::find(m.columns.begin(), m.columns.end(), c) == m.columns.end()) m.columns.push_back(c);
  }
}

const Bytes& key_of(const Mutation& m) {
  return std::visit([](const auto& c) -> const Bytes& { return c.key; }, m.change);
}

Reply run_conditional(Store& store, const BatchRun& batch, const std::vector<Mutation>& all,
                      ReplicaCheck& check) {
  const ModificationPlan& first = batch.plans.front();
  for (const ModificationPlan& p : batch.plans) {
    if (p.table.keyspace != first.table.keyspace || p.table.name != first.table.name) {
      fail_invalid("Batch with conditions cannot span multiple tables");
    }
  }
  const TableDef& def = first.table.def();
  const Bytes& key = key_of(all.front());
  for (const Mutation& m : all) {
    if (compare_values(def.columns[def.partition_key].type, key_of(m), key) != 0) {
      fail_invalid("Batch with conditions cannot span multiple partitions");
    }
  }
  Merged merged;
  for (const ModificationPlan& p : batch.plans)
    merge(merged, p);
  const auto serial = batch.serial_consistency.value_or(protocol::Consistency::serial);
  check_cas_consistency(serial, batch.consistency);
  check.keys(first.table.keyspace, std::span<const Bytes>(&key, 1), serial);
  std::optional<Condition> condition;
  if (merged.kind == Merged::Kind::exists) {
    condition = Condition{};
  } else if (merged.kind == Merged::Kind::columns) {
    condition = merged.condition;
  }
  CasResult r = take(store.apply_if(first.table.keyspace, first.table.name, key, condition, all));

  // ModificationStatement.buildCasResultSet with isBatch: when not applied, the row's primary
  // key and the conditions' columns, or every column after IF [NOT] EXISTS.
  std::vector<std::size_t> cols;
  if (!r.applied && r.current) {
    if (merged.kind == Merged::Kind::columns) {
      cols.push_back(def.partition_key);
      for (const std::string& name : merged.columns)
        cols.push_back(*def.column_index(name));
    } else {
      cols = star_order(def);
    }
  }
  Reply reply = cas_rows(first.table.keyspace, first.table.name, def, r, cols);
  note_keys(reply, all);
  return reply;
}

}  // namespace

Reply run_batch(Store& store, const BatchRun& batch, ReplicaCheck& check) {
  if (batch.type == BatchRun::Type::counter && !batch.plans.empty()) {
    fail_invalid("Cannot include non-counter statement in a counter batch");
  }
  std::vector<Mutation> all;
  bool conditional = false;
  for (const ModificationPlan& p : batch.plans) {
    conditional = conditional || p.cas != Cas::none;
    all.insert(all.end(), p.mutations.begin(), p.mutations.end());
  }
  if (all.empty()) return Reply{};  // nothing to write, e.g. IN ()
  if (conditional) return run_conditional(store, batch, all, check);
  for (const Mutation& m : all)
    check.keys(m.keyspace, std::span<const Bytes>(&key_of(m), 1), batch.consistency);
  take(store.apply(all));
  Reply r;
  note_keys(r, all);
  return r;
}

void check_text_batch(const Store& store, const cql::ParsedStatement& parsed,
                      const std::string& keyspace, const Bindings& placeholders) {
  const auto& b = std::get<cql::Batch>(parsed.statement);
  validate(b, keyspace);
  (void)batch_timestamp(b, placeholders);
  (void)plan_all(store, parsed, keyspace, placeholders, std::nullopt);
}

Reply run_text_batch(Store& store, const cql::ParsedStatement& parsed, const std::string& keyspace,
                     const protocol::QueryParameters& params, ReplicaCheck& check,
                     std::vector<Mutation>* planned) {
  const auto& b = std::get<cql::Batch>(parsed.statement);
  validate(b, keyspace);
  Bindings bindings(parsed.markers, params);
  std::optional<std::int64_t> timestamp = batch_timestamp(b, bindings);
  if (!timestamp) timestamp = params.default_timestamp;
  BatchRun run;
  run.type = b.type == cql::Batch::Type::counter    ? BatchRun::Type::counter
             : b.type == cql::Batch::Type::unlogged ? BatchRun::Type::unlogged
                                                    : BatchRun::Type::logged;
  run.plans = plan_all(store, parsed, keyspace, bindings, timestamp);
  run.consistency = params.consistency;
  run.serial_consistency = params.serial_consistency;
  if (planned) {
    for (const ModificationPlan& p : run.plans)
      planned->insert(planned->end(), p.mutations.begin(), p.mutations.end());
  }
  return run_batch(store, run, check);
}

}  // namespace nosqlc::sandbox::detail
