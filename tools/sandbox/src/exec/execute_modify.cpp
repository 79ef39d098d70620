// Running INSERT, UPDATE and DELETE, plain or as lightweight transactions (IF ...), planned by
// plan_modification.cpp, and their answers.
#include "exec/executor_internal.hpp"

#include <algorithm>

namespace nosqlc::sandbox::detail {

using Plan = ModificationPlan;

namespace {

// The answer of a lightweight transaction: [applied], and when not applied the current
// values of the columns it looked at (every column for IF [NOT] EXISTS).
Reply cas_reply(const Plan& p, const CasResult& r) {
  const TableDef& def = p.table.def();
  std::vector<std::size_t> cols;
  if (!r.applied && r.current) {
    if (p.cas == Plan::Cas::condition && !p.condition_columns.empty()) {
      for (const auto& name : p.condition_columns)
        cols.push_back(*def.column_index(name));
    } else {
      cols = star_order(def);
    }
  }
  return cas_rows(p.table.keyspace, p.table.name, def, r, cols);
}

}  // namespace

Reply cas_rows(const std::string& keyspace, const std::string& table, const TableDef& def,
               const CasResult& r, const std::vector<std::size_t>& cols) {
  Reply reply;
  RowsWriter w(reply, keyspace, table);
  w.column("[applied]", DataType::of(TypeId::boolean));
  std::vector<std::optional<BytesView>> cells;
  const std::uint8_t applied = r.applied ? 1 : 0;
  cells.push_back(BytesView(&applied, 1));
  if (!r.applied && r.current) {
    for (std::size_t i : cols) {
      w.column(def.columns[i].name, def.columns[i].type);
      const auto& cell = r.current->cells[i];
      cells.push_back(cell ? std::optional<BytesView>(*cell) : std::nullopt);
    }
  }
  w.row(cells);
  w.finish();
  return reply;
}

std::vector<std::size_t> star_order(const TableDef& def) {
  std::vector<std::size_t> out{def.partition_key};
  std::vector<std::size_t> rest;
  for (std::size_t i = 0; i < def.columns.size(); ++i) {
    if (i != def.partition_key) rest.push_back(i);
  }
  std::sort(rest.begin(), rest.end(), [&](std::size_t a, std::size_t b) {
    return def.columns[a].name < def.columns[b].name;
  });
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

void note_keys(Reply& reply, std::span<const Mutation> mutations) {
  if (mutations.empty()) return;
  reply.keyed = true;
  reply.routed_keyspace = mutations.front().keyspace;
  for (const Mutation& m : mutations) {
    // A batch over several keyspaces has no one set of replicas: counted as not keyed.
    if (m.keyspace != reply.routed_keyspace) {
      reply.keyed = false;
      reply.routed_keys.clear();
      return;
    }
    reply.routed_keys.push_back(std::visit([](const auto& c) { return c.key; }, m.change));
  }
}

Reply run_modification(Store& store, const cql::ParsedStatement& parsed,
                       const std::string& keyspace, const protocol::QueryParameters& params,
                       ReplicaCheck& check) {
  // A plain write's consistency is checked before its values are bound, a conditional one's
  // after (ModificationStatement.executeWithoutCondition, StorageProxy.cas).
  // The table is resolved first, as Cassandra prepares a statement before executing it.
  const auto [conditional, table] = std::visit(
      [](const auto& st) -> std::pair<bool, const cql::QualifiedName*> {
        using T = std::decay_t<decltype(st)>;
        if constexpr (std::is_same_v<T, cql::Insert>) {
          return {st.if_not_exists, &st.table};
        } else if constexpr (std::is_same_v<T, cql::Update> || std::is_same_v<T, cql::Delete>) {
          return {st.conditions.kind != cql::Conditions::Kind::none, &st.table};
        } else {
          return {false, nullptr};
        }
      },
      parsed.statement);
  if (table != nullptr) (void)resolve_table(store, *table, keyspace);
  if (!conditional) check_write_consistency(params.consistency);
  Bindings b(parsed.markers, params);
  Plan p = plan_modification(store, parsed, keyspace, b, params.default_timestamp);
  std::vector<Bytes> keys;
  for (const Mutation& m : p.mutations)
    keys.push_back(std::visit([](const auto& c) { return c.key; }, m.change));
  if (p.cas == Plan::Cas::none) {
    check.keys(p.table.keyspace, keys, params.consistency);
    take(store.apply(p.mutations));
    Reply r;
    note_keys(r, p.mutations);
    return r;
  }
  const auto serial = params.serial_consistency.value_or(protocol::Consistency::serial);
  check_cas_consistency(serial, params.consistency);
  check.keys(p.table.keyspace, keys, serial);  // the Paxos round's participants
  const Mutation& m = p.mutations.front();
  CasResult r;
  if (p.cas == Plan::Cas::not_exists) {
    r = take(store.insert_if_not_exists(m.keyspace, m.table, std::get<Write>(m.change)));
  } else if (const auto* w = std::get_if<Write>(&m.change)) {
    r = take(store.write_if(m.keyspace, m.table, p.condition, *w));
  } else {
    r = take(store.erase_if(m.keyspace, m.table, p.condition, std::get<Erase>(m.change)));
  }
  Reply reply = cas_reply(p, r);
  note_keys(reply, p.mutations);
  return reply;
}

}  // namespace nosqlc::sandbox::detail
