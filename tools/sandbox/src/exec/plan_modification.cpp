// Planning INSERT (JSON too), UPDATE and DELETE: their columns, keys, values, TTLs, timestamps
// and conditions checked as Cassandra 4.0's ModificationStatement prepares and runs them.
#include "cql/json_values.hpp"
#include "exec/executor_internal.hpp"

#include <algorithm>

namespace nosqlc::sandbox::detail {
namespace {

using Kind = cql::Assignment::Kind;

using Plan = ModificationPlan;

struct Using {
  // Attributes.getTimeToLive: no TTL clause takes the table's default_time_to_live; an unset
  // one means no TTL, as does an explicit 0 even with a default.
  std::optional<std::int32_t> ttl;
  std::optional<std::int64_t> timestamp;
};

Using using_of(const cql::UsingClause& u, const Bindings& b,
               std::optional<std::int64_t> default_timestamp) {
  Using out;
  out.timestamp = default_timestamp;
  if (u.ttl) {
    TermValue v = evaluate(*u.ttl, DataType::of(TypeId::int_), "[ttl]", b);
    // Attributes.getTimeToLive checks the value when the statement runs, not when prepared.
    if (b.placeholders()) v.kind = TermValue::Kind::unset;
    if (v.kind == TermValue::Kind::null) fail_invalid("Invalid null value of TTL");
    out.ttl = 0;
    if (v.is_bytes()) {
      std::int32_t ttl = 0;
      (void)protocol::decode_int(v.bytes, ttl);
      if (ttl < 0)
        fail_invalid("A TTL must be greater or equal to 0, but was " + std::to_string(ttl));
      out.ttl = ttl;
    }
  }
  if (u.timestamp) {
    TermValue v = evaluate(*u.timestamp, DataType::of(TypeId::bigint), "[timestamp]", b);
    if (b.placeholders()) v.kind = TermValue::Kind::unset;
    if (v.kind == TermValue::Kind::null) fail_invalid("Invalid null value of timestamp");
    if (v.is_bytes()) {
      std::int64_t ts = 0;
      (void)protocol::decode_bigint(v.bytes, ts);
      if (ts == INT64_MIN) {
        fail_invalid("Invalid timestamp value (" + std::to_string(ts) + ")");
      }
      out.timestamp = ts;
    }
  }
  return out;
}

// The keys of WHERE pk = ? | pk IN (...) | pk IN ?, for UPDATE and DELETE.
std::vector<Bytes> keys_of(const std::vector<cql::Relation>& where, const TableDef& def,
                           const Bindings& b, std::string_view statement) {
  const ColumnDef& pk = def.columns[def.partition_key];
  const cql::Relation* rel = nullptr;
  for (const auto& r : where) {
    if (r.token) {
      fail_invalid("The token function cannot be used in WHERE clauses for " +
                   std::string(statement) + " statements");
    }
    std::size_t idx = column_of(def, r.columns.front());
    if (idx != def.partition_key) {
      // Cassandra's message ends with a space ("... clause: %s ").
      fail_invalid("Non PRIMARY KEY columns found in where clause: " + r.columns.front() + " ");
    }
    if (rel) {
      fail_invalid(pk.name +
                   " cannot be restricted by more than one relation if it includes an "
                   "Equal");
    }
    rel = &r;
  }
  if (!rel) fail_invalid("Some partition key parts are missing: " + pk.name);
  std::vector<Bytes> keys;
  const std::string what = "partition key part " + pk.name;
  if (rel->op == cql::Operator::eq) {
    keys.push_back(evaluate_bytes(*rel->value, pk.type, pk.name, b, what));
  } else if (rel->op == cql::Operator::in) {
    if (rel->value) {
      Bytes list =
          evaluate_bytes(*rel->value, DataType::list_of(pk.type), "in(" + pk.name + ")", b, what);
      std::vector<BytesView> elems;
      (void)protocol::decode_collection(list, elems);
      for (BytesView e : elems)
        keys.emplace_back(e.begin(), e.end());
    } else {
      for (const auto& t : rel->in_values)
        keys.push_back(evaluate_bytes(t, pk.type, pk.name, b, what));
    }
  } else {
    fail_invalid(
        "Only EQ and IN relation are supported on the partition key (unless you use the "
        "token() function) for " +
        std::string(statement) + " statements");
  }
  return keys;
}

// What a whole-value write stores: as in Cassandra, an empty non-frozen collection is no
// cells at all, so it reads back as null.
std::optional<Bytes> stored(const ColumnDef& col, const TermValue& v) {
  auto out = v.optional();
  const TypeId id = col.type.id;
  bool collection = id == TypeId::list || id == TypeId::set || id == TypeId::map;
  if (out && collection && !col.frozen && out->size() == 4 &&
      std::all_of(out->begin(), out->end(), [](std::uint8_t b) { return b == 0; })) {
    out.reset();
  }
  return out;
}

void no_system(const TableRef& t) {
  if (t.system) {
    fail(error(ServerErrorCode::unauthorized, t.keyspace + " keyspace is not user-modifiable."));
  }
}

Condition condition_of(const cql::Conditions& c, const TableDef& def, const Bindings& b,
                       std::vector<std::string>& columns) {
  Condition out;
  if (c.kind == cql::Conditions::Kind::exists) return out;
  out.kind = Condition::Kind::columns;
  for (const auto& r : c.columns) {
    std::size_t idx = column_of(def, r.columns.front());
    if (idx == def.partition_key) {
      fail_invalid("PRIMARY KEY column '" + r.columns.front() + "' cannot have IF conditions");
    }
    if (r.op != cql::Operator::eq && r.op != cql::Operator::ne) {
      fail_invalid("The nosqlc sandbox supports only = and != in IF conditions");
    }
    const ColumnDef& col = def.columns[idx];
    TermValue v = evaluate(*r.value, col.type, col.name, b);
    if (v.kind == TermValue::Kind::unset) {
      fail_invalid("Invalid 'unset' value in condition");
    }
    out.cells.push_back({col.name, r.op == cql::Operator::eq, v.optional()});
    if (std::find(columns.begin(), columns.end(), col.name) == columns.end()) {
      columns.push_back(col.name);
    }
  }
  return out;
}

void check_cas(const Plan& p, bool explicit_timestamp) {
  if (explicit_timestamp) {
    fail_invalid("Cannot provide custom timestamp for conditional updates");
  }
  if (p.mutations.size() > 1) {
    fail_invalid("IN on the partition key is not supported with conditional updates");
  }
}

// IF EXISTS / IF col = ... of an UPDATE or DELETE, when there is one.
void add_conditions(Plan& p, const cql::Conditions& c, const Bindings& b, bool explicit_timestamp) {
  if (c.kind == cql::Conditions::Kind::none) return;
  p.cas = Plan::Cas::condition;
  p.condition = condition_of(c, p.table.def(), b, p.condition_columns);
  check_cas(p, explicit_timestamp);
}

// An INSERT's row from each named column's value (`values[i]` for column `idx[i]`).
Plan insert_row(Plan p, const cql::Insert& s, const std::vector<std::size_t>& idx,
                std::vector<TermValue> values, const Bindings& b,
                std::optional<std::int64_t> default_ts) {
  const TableDef& def = p.table.def();
  Using u = using_of(s.using_, b, default_ts);
  Write w;
  w.row_marker = true;
  w.ttl = u.ttl.value_or(def.params.default_time_to_live);
  w.timestamp = u.timestamp;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const ColumnDef& col = def.columns[idx[k]];
    TermValue& v = values[k];
    if (idx[k] == def.partition_key) {
      if (v.kind == TermValue::Kind::null) {
        fail_invalid("Invalid null value in condition for column " + col.name);
      }
      if (v.kind == TermValue::Kind::unset)
        fail_invalid("Invalid unset value for column " + col.name);
      w.key = std::move(v.bytes);
      continue;
    }
    if (v.kind == TermValue::Kind::unset) continue;
    w.cells.push_back({col.name, CellOp::set, stored(col, v), std::nullopt});
  }
  p.mutations.push_back({p.table.keyspace, p.table.name, std::move(w)});
  if (s.if_not_exists) {
    p.cas = Plan::Cas::not_exists;
    check_cas(p, s.using_.timestamp.has_value());
  }
  return p;
}

// INSERT ... JSON (Cassandra's Json.java and UpdateStatement.ParsedInsertJson): the object's
// columns by name, every other column null (DEFAULT NULL) or left alone (DEFAULT UNSET).
Plan plan_insert_json(Plan p, const cql::Insert& s, const Bindings& b,
                      std::optional<std::int64_t> default_ts) {
  const TableDef& def = p.table.def();
  // A bound JSON value is read at EXECUTE; PREPARE has only a placeholder for it.
  if (b.placeholders() && std::holds_alternative<cql::BindMarker>(s.json->value)) return p;
  TermValue json = evaluate(*s.json, DataType::of(TypeId::varchar), "[json]", b);
  if (!json.is_bytes()) fail_invalid("Got null for INSERT JSON values");
  std::vector<std::pair<std::string, boost::json::value>> entries;
  try {
    entries = cql::parse_json_object(
        std::string_view(reinterpret_cast<const char*>(json.bytes.data()), json.bytes.size()));
  } catch (const cql::JsonValueError& e) {
    fail_invalid(e.message);
  }
  std::vector<std::size_t> idx;
  std::vector<TermValue> values;
  for (std::size_t i = 0; i < def.columns.size(); ++i) {
    idx.push_back(i);
    values.emplace_back().kind =
        s.json_default_unset ? TermValue::Kind::unset : TermValue::Kind::null;
  }
  for (const auto& [name, value] : entries) {
    auto column = def.column_index(name);
    if (!column) fail_invalid("JSON values map contains unrecognized column: " + name);
    std::optional<Bytes> bytes;
    try {
      bytes = cql::from_json_value(def.columns[*column].type, value);
    } catch (const cql::JsonValueError& e) {
      fail_invalid("Error decoding JSON value for " + name + ": " + e.message);
    }
    TermValue& v = values[*column];
    v.kind = bytes ? TermValue::Kind::bytes : TermValue::Kind::null;
    if (bytes) v.bytes = std::move(*bytes);
  }
  return insert_row(std::move(p), s, idx, std::move(values), b, default_ts);
}

Plan plan_insert(const Store& store, const cql::Insert& s, const std::string& keyspace,
                 const Bindings& b, std::optional<std::int64_t> default_ts) {
  Plan p;
  p.table = resolve_table(store, s.table, keyspace);
  no_system(p.table);
  if (s.json) return plan_insert_json(std::move(p), s, b, default_ts);
  const TableDef& def = p.table.def();
  // UpdateStatement.ParsedInsert.prepareInternal: the counts, then duplicate names, then each
  // name against the table; the missing key is StatementRestrictions' complaint, after them.
  if (s.columns.size() != s.values.size()) fail_invalid("Unmatched column names/values");
  for (std::size_t i = 0; i < s.columns.size(); ++i) {
    if (std::find(s.columns.begin(), s.columns.begin() + static_cast<std::ptrdiff_t>(i),
                  s.columns[i]) != s.columns.begin() + static_cast<std::ptrdiff_t>(i)) {
      fail_invalid("The column names contains duplicates");
    }
  }
  std::vector<std::size_t> idx;
  for (const auto& c : s.columns)
    idx.push_back(column_of(def, c));
  auto pk_at = std::find(idx.begin(), idx.end(), def.partition_key);
  if (pk_at == idx.end()) {
    fail_invalid("Some partition key parts are missing: " + def.columns[def.partition_key].name);
  }
  std::vector<TermValue> values;
  for (std::size_t k = 0; k < idx.size(); ++k) {
    const ColumnDef& col = def.columns[idx[k]];
    values.push_back(evaluate(s.values[k], col.type, col.name, b));
  }
  return insert_row(std::move(p), s, idx, std::move(values), b, default_ts);
}

CellWrite assignment_of(const cql::Assignment& a, const TableDef& def, const Bindings& b) {
  std::size_t idx = column_of(def, a.column);
  const ColumnDef& col = def.columns[idx];
  if (idx == def.partition_key) fail_invalid("PRIMARY KEY part " + col.name + " found in SET part");
  const TypeId t = col.type.id;
  CellWrite cw{col.name, CellOp::set, std::nullopt, std::nullopt};
  auto value = [&](const DataType& type) {
    TermValue v = evaluate(a.value, type, col.name, b);
    return v;
  };
  switch (a.kind) {
    case Kind::set: {
      TermValue v = value(col.type);
      if (v.kind == TermValue::Kind::unset) cw.column.clear();  // nothing to write
      cw.value = stored(col, v);
      return cw;
    }
    case Kind::add:
    case Kind::subtract:
    case Kind::prepend: {
      bool collection = t == TypeId::list || t == TypeId::set || t == TypeId::map;
      std::string op = a.kind == Kind::prepend ? col.name + " = ... + " + col.name
                                               : col.name + " = " + col.name +
                                                     (a.kind == Kind::add ? " + ..." : " - ...");
      if (!collection || (a.kind == Kind::prepend && t != TypeId::list)) {
        fail_invalid("Invalid operation (" + op + ") for non " +
                     (a.kind == Kind::prepend ? "list" : "counter") + " column " + col.name);
      }
      // A frozen collection is one value: it can only be replaced whole.
      if (col.frozen) {
        fail_invalid("Invalid operation (" + op + ") for frozen collection column " + col.name);
      }
      DataType vt = col.type;
      if (a.kind == Kind::subtract && t == TypeId::map) vt = DataType::set_of(col.type.params[0]);
      TermValue v = value(vt);
      cw.op = a.kind == Kind::add ? CellOp::append
                                  : (a.kind == Kind::prepend ? CellOp::prepend : CellOp::remove);
      if (v.kind == TermValue::Kind::unset) cw.column.clear();
      cw.value = v.optional();
      return cw;
    }
    case Kind::set_element: {
      if (t != TypeId::map && t != TypeId::list) {
        fail_invalid("Invalid operation (" + col.name + "[?] = ...) for non collection column " +
                     col.name);
      }
      if (col.frozen) {
        fail_invalid("Invalid operation (" + col.name + "[?] = ...) for frozen collection column " +
                     col.name);
      }
      bool map = t == TypeId::map;
      cw.op = CellOp::put;
      cw.key = evaluate_bytes(*a.key, map ? col.type.params[0] : DataType::of(TypeId::int_),
                              "key(" + col.name + ")", b, map ? "map key" : "list index");
      TermValue v = evaluate(a.value, map ? col.type.params[1] : col.type.params[0],
                             "value(" + col.name + ")", b);
      if (v.kind == TermValue::Kind::unset) cw.column.clear();
      cw.value = v.optional();
      return cw;
    }
  }
  return cw;
}

Plan plan_update(const Store& store, const cql::Update& s, const std::string& keyspace,
                 const Bindings& b, std::optional<std::int64_t> default_ts) {
  Plan p;
  p.table = resolve_table(store, s.table, keyspace);
  no_system(p.table);
  const TableDef& def = p.table.def();
  Using u = using_of(s.using_, b, default_ts);
  std::vector<CellWrite> cells;
  for (const auto& a : s.assignments) {
    CellWrite cw = assignment_of(a, def, b);
    if (cw.column.empty()) continue;  // an unset value: nothing to write
    for (const CellWrite& other : cells) {
      if (other.column == cw.column && (other.op == CellOp::set || cw.op == CellOp::set)) {
        fail_invalid("Multiple incompatible setting of column " + cw.column);
      }
    }
    cells.push_back(std::move(cw));
  }
  for (Bytes& key : keys_of(s.where, def, b, "UPDATE")) {
    Write w;
    w.key = std::move(key);
    w.cells = cells;
    w.ttl = u.ttl.value_or(def.params.default_time_to_live);
    w.timestamp = u.timestamp;
    p.mutations.push_back({p.table.keyspace, p.table.name, std::move(w)});
  }
  add_conditions(p, s.conditions, b, s.using_.timestamp.has_value());
  return p;
}

Plan plan_delete(const Store& store, const cql::Delete& s, const std::string& keyspace,
                 const Bindings& b, std::optional<std::int64_t> default_ts) {
  Plan p;
  p.table = resolve_table(store, s.table, keyspace);
  no_system(p.table);
  const TableDef& def = p.table.def();
  Using u = using_of(s.using_, b, default_ts);
  for (const auto& c : s.columns) {
    std::size_t idx = column_of(def, c);
    if (idx == def.partition_key) {
      fail_invalid("Invalid identifier " + c + " for deletion (should not be a PRIMARY KEY part)");
    }
  }
  for (Bytes& key : keys_of(s.where, def, b, "DELETE")) {
    Erase e;
    e.key = std::move(key);
    e.columns = s.columns;
    e.timestamp = u.timestamp;
    p.mutations.push_back({p.table.keyspace, p.table.name, std::move(e)});
  }
  add_conditions(p, s.conditions, b, s.using_.timestamp.has_value());
  return p;
}

Plan plan(const Store& store, const cql::ParsedStatement& parsed, const std::string& keyspace,
          const Bindings& b, std::optional<std::int64_t> default_ts) {
  if (const auto* s = std::get_if<cql::Insert>(&parsed.statement))
    return plan_insert(store, *s, keyspace, b, default_ts);
  if (const auto* s = std::get_if<cql::Update>(&parsed.statement))
    return plan_update(store, *s, keyspace, b, default_ts);
  if (const auto* s = std::get_if<cql::Delete>(&parsed.statement))
    return plan_delete(store, *s, keyspace, b, default_ts);
  fail_invalid(
      "Invalid statement in batch: only UPDATE, INSERT and DELETE statements are allowed.");
}

}  // namespace

void check_modification(const Store& store, const cql::ParsedStatement& parsed,
                        const std::string& keyspace, const Bindings& placeholders) {
  (void)plan(store, parsed, keyspace, placeholders, std::nullopt);
}

ModificationPlan plan_modification(const Store& store, const cql::ParsedStatement& parsed,
                                   const std::string& keyspace, const Bindings& bindings,
                                   std::optional<std::int64_t> default_timestamp) {
  return plan(store, parsed, keyspace, bindings, default_timestamp);
}

}  // namespace nosqlc::sandbox::detail
