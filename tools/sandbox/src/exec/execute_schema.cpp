// Schema statements: CREATE/ALTER/DROP KEYSPACE, CREATE/DROP TABLE, TRUNCATE and USE.
#include "exec/executor_internal.hpp"

namespace nosqlc::sandbox::detail {
namespace {

using protocol::SchemaChange;
using protocol::SchemaChangeType;
using protocol::SchemaTarget;

Reply schema_reply(SchemaChangeType change, SchemaTarget target, std::string keyspace,
                   std::string name) {
  Reply r;
  SchemaChange sc{change, target, std::move(keyspace), std::move(name), {}};
  r.schema_change = sc;
  r.message = protocol::Result{std::move(sc)};
  return r;
}

bool is_collection(const DataType& t) {
  return t.id == TypeId::list || t.id == TypeId::set || t.id == TypeId::map;
}

bool contains_counter(const DataType& t) {
  if (t.id == TypeId::counter) return true;
  for (const auto& p : t.params) {
    if (contains_counter(p)) return true;
  }
  return false;
}

constexpr const char* kStaticNeedsClustering =
    "Static columns are only useful (and thus allowed) if the table has at least one clustering "
    "column";

// A column as the sandbox keeps it, or what it refuses of its type (as it refuses them in
// CREATE TABLE and ALTER TABLE ADD alike).
ColumnDef column_def(const cql::ColumnSpec& c) {
  if (contains_counter(c.type)) {
    fail_invalid("The nosqlc sandbox does not support counter columns (column " + c.name + ")");
  }
  if (c.type.id == TypeId::custom || c.type.id == TypeId::udt) {
    fail_invalid("The nosqlc sandbox does not support custom or user-defined types (column " +
                 c.name + ")");
  }
  if (c.frozen && !is_collection(c.type) && c.type.id != TypeId::tuple) {
    fail_invalid("frozen<> is only allowed on collections, tuples, and user-defined types (got " +
                 protocol::to_cql(c.type) + ")");
  }
  return {c.name, c.type, c.frozen && is_collection(c.type)};
}

TableDef table_def(const cql::CreateTable& ct, const std::string& keyspace) {
  TableDef def;
  def.keyspace = keyspace;
  def.name = ct.table.name;
  if (ct.partition_key.empty()) {
    fail_invalid("No PRIMARY KEY specifed for table '" + def.name + "' (exactly one required)");
  }
  if (ct.partition_key.size() > 1 || !ct.clustering.empty()) {
    fail_invalid("The nosqlc sandbox supports only a single-column PRIMARY KEY (table " + def.name +
                 ")");
  }
  // Cassandra 4.0 still creates COMPACT STORAGE tables (CASSANDRA-16217), with hidden
  // clustering and value columns and static regular ones; the sandbox does not model them and
  // says so rather than create an ordinary table.
  for (const cql::Property& p : ct.options) {
    if (p.name == "compact_storage") {
      fail_invalid("The nosqlc sandbox does not support COMPACT STORAGE (table " + def.name + ")");
    }
  }
  // CreateTableStatement.builder: the options (attrs.validate) before anything else.
  def.params = table_params(ct.options, TableParams{}, false);
  if (auto id = table_id_option(ct.options)) def.id = *id;
  // Cassandra prepares every column's type before it looks at the key and the columns.
  for (const cql::ColumnSpec& c : ct.columns) {
    if (!c.type_error.empty()) fail_invalid(c.type_error);
  }
  for (const cql::ColumnSpec& c : ct.columns) {
    if (c.is_static) fail_invalid(kStaticNeedsClustering);
    def.columns.push_back(column_def(c));
  }
  auto pk = def.column_index(ct.partition_key.front());
  if (!pk)
    fail_invalid("Unknown definition " + ct.partition_key.front() + " referenced in PRIMARY KEY");
  if (is_collection(def.columns[*pk].type) && !def.columns[*pk].frozen) {
    fail_invalid("Invalid non-frozen collection type for PRIMARY KEY component " +
                 ct.partition_key.front());
  }
  if (def.columns[*pk].type.id == TypeId::duration) {
    fail_invalid("duration type is not supported for PRIMARY KEY part " + ct.partition_key.front());
  }
  def.partition_key = *pk;
  // CreateTableStatement.builder: CLUSTERING ORDER may name clustering columns only, and the
  // sandbox's tables have none.
  for (const cql::Property& p : ct.options) {
    const auto* order = std::get_if<std::string>(&p.value);
    if (p.name != "clustering_order" || !order) continue;
    std::string names;
    std::size_t at = 0;
    while (at < order->size()) {
      std::size_t end = order->find(", ", at);
      if (end == std::string::npos) end = order->size();
      std::string item = order->substr(at, end - at);
      for (std::string_view dir : {" ASC", " DESC"}) {
        if (item.ends_with(dir)) item.resize(item.size() - dir.size());
      }
      names += (names.empty() ? "" : ", ") + item;
      at = end + 2;
    }
    fail_invalid("Only clustering key columns can be defined in CLUSTERING ORDER directive: [" +
                 names + "] are not clustering columns");
  }
  return def;
}

void not_system(const std::string& keyspace) {
  if (is_system_keyspace(keyspace)) {
    fail(error(ServerErrorCode::unauthorized, keyspace + " keyspace is not user-modifiable."));
  }
}

// A type as CQL3Type.toString spells it in Cassandra's messages.
std::string cql_type(const DataType& type, bool frozen) {
  std::string t = schema_type_text(type);
  return frozen ? "frozen<" + t + ">" : t;
}

// AbstractType.isValueCompatibleWith, for the types the sandbox has: can values written as
// `written` be read as `now`?
bool value_compatible(const ColumnDef& now, const DroppedColumn& written) {
  if (now.type == written.type && now.frozen == written.frozen) return true;
  if (now.type.id == TypeId::blob) return true;  // BytesType reads anything
  if (now.type.id == TypeId::varchar && written.type.id == TypeId::ascii) return true;
  if (now.type.id == TypeId::bigint && written.type.id == TypeId::timestamp) return true;
  return false;
}

// ALTER TABLE's changes to a definition, with AlterTableStatement's (Cassandra 4.0) checks
// and words. Runs under the store's lock: throws a Failure, which alter() turns into the
// error to answer.
void alter(TableDef& def, const cql::AlterTable& s, std::int64_t now_micros) {
  using Kind = cql::AlterTable::Kind;
  const std::string qualified = def.keyspace + "." + def.name;
  switch (s.kind) {
    case Kind::alter_type:
      fail_invalid("Altering column types is no longer supported");
    case Kind::drop_compact_storage:
      // AlterTableStatement.DropCompactStorage on a table that never was compact.
      fail_invalid("Cannot DROP COMPACT STORAGE on table without COMPACT STORAGE");
    case Kind::add:
      for (const cql::ColumnSpec& c : s.added) {
        if (!c.type_error.empty()) fail_invalid(c.type_error);
        if (def.column_index(c.name)) {
          fail_invalid("Column with name '" + c.name + "' already exists");
        }
        if (c.is_static) fail_invalid(kStaticNeedsClustering);
        ColumnDef col = column_def(c);
        for (const DroppedColumn& d : def.dropped) {
          if (d.name != c.name || value_compatible(col, d)) continue;
          // The dropped column's type is the receiver here (droppedColumn.type
          // .isValueCompatibleWith(type)).
          fail_invalid("Cannot re-add previously dropped column '" + c.name + "' of type " +
                       cql_type(col.type, col.frozen) + ", incompatible with previous type " +
                       cql_type(d.type, d.frozen));
        }
        def.columns.push_back(std::move(col));
      }
      return;
    case Kind::drop: {
      TableDef before = def;
      for (const std::string& name : s.dropped) {
        auto i = before.column_index(name);
        if (!i) fail_invalid("Column " + name + " was not found in table '" + qualified + "'");
        if (*i == before.partition_key) fail_invalid("Cannot drop PRIMARY KEY column " + name);
        auto at = def.column_index(name);
        if (!at) continue;  // named twice: dropped once
        const ColumnDef& col = def.columns[*at];
        // TableMetadata.Builder.recordColumnDrop: one record per name, the latest drop.
        std::erase_if(def.dropped, [&](const DroppedColumn& d) { return d.name == name; });
        def.dropped.push_back({name, col.type, col.frozen, s.drop_timestamp.value_or(now_micros)});
        std::string key = def.columns[def.partition_key].name;
        def.columns.erase(def.columns.begin() + static_cast<std::ptrdiff_t>(*at));
        def.partition_key = *def.column_index(key);
      }
      return;
    }
    case Kind::rename: {
      const TableDef before = def;
      for (const auto& [from, to] : s.renamed) {
        auto i = before.column_index(from);
        if (!i) fail_invalid("Column " + from + " was not found in table " + qualified);
        if (*i != before.partition_key)
          fail_invalid("Cannot rename non PRIMARY KEY column " + from);
        if (before.column_index(to)) {
          fail_invalid("Cannot rename column " + from + " to " + to + " in table '" + qualified +
                       "'; another column with that name already exists");
        }
        def.columns[*i].name = to;
      }
      return;
    }
    case Kind::options:
      def.params = table_params(s.options, def.params, true);
      return;
  }
}

struct SchemaRunner {
  Store& store;
  const std::string& keyspace;
  ClientState& state;

  Reply operator()(const cql::CreateKeyspace& s) {
    if (!s.other_properties.empty()) {
      fail(error(ServerErrorCode::syntax_error,
                 "Unknown property '" + s.other_properties.front().name + "'"));
    }
    KeyspaceDef def{s.name, s.replication, s.durable_writes.value_or(true)};
    if (!take(store.create_keyspace(std::move(def), s.if_not_exists))) return Reply{};
    return schema_reply(SchemaChangeType::created, SchemaTarget::keyspace, s.name, "");
  }
  // AlterKeyspaceStatement (4.0): local system keyspaces are refused by
  // AlterSchemaStatement.validate; the sandbox keeps no replicated system keyspace to alter.
  Reply operator()(const cql::AlterKeyspace& s) {
    if (!s.other_properties.empty()) {
      fail(error(ServerErrorCode::syntax_error,
                 "Unknown property '" + s.other_properties.front().name + "'"));
    }
    if (s.name == "system" || s.name == "system_schema") {
      fail_invalid("System keyspace '" + s.name + "' is not user-modifiable");
    }
    if (s.name == "system_virtual_schema" || s.name == "system_views") {
      fail_invalid("Virtual keyspace '" + s.name + "' is not user-modifiable");
    }
    if (is_system_keyspace(s.name)) {
      fail_invalid("The nosqlc sandbox does not alter the system keyspace " + s.name);
    }
    take(store.alter_keyspace(s.name, s.replication, s.durable_writes));
    return schema_reply(SchemaChangeType::updated, SchemaTarget::keyspace, s.name, "");
  }
  Reply operator()(const cql::DropKeyspace& s) {
    not_system(s.name);
    if (!take(store.drop_keyspace(s.name, s.if_exists))) return Reply{};
    return schema_reply(SchemaChangeType::dropped, SchemaTarget::keyspace, s.name, "");
  }
  Reply operator()(const cql::Use& s) {
    if (!is_system_keyspace(s.keyspace)) take(store.check_keyspace(s.keyspace));
    state.keyspace = s.keyspace;
    Reply r;
    r.message = protocol::Result{protocol::SetKeyspaceResult{s.keyspace}};
    return r;
  }
  // The keyspace a table statement changes: named or current, never a system one.
  std::string user_keyspace(const cql::QualifiedName& table) const {
    std::string ks = keyspace_of(table, keyspace);
    if (ks.empty()) {
      fail_invalid(
          "No keyspace has been specified. USE a keyspace, or explicitly specify "
          "keyspace.tablename");
    }
    not_system(ks);
    return ks;
  }
  Reply operator()(const cql::CreateTable& s) {
    std::string ks = user_keyspace(s.table);
    // As CreateTableStatement.apply: the keyspace and the table are looked for before the
    // columns' types are prepared and the key is checked (table_def).
    if (!s.partition_key.empty()) {
      if (!store.keyspace(ks)) fail_invalid("Keyspace '" + ks + "' doesn't exist");
      if (store.table(ks, s.table.name).has_value()) {
        if (s.if_not_exists) return Reply{};
        fail(ServerError{
            ServerErrorCode::already_exists,
            "Cannot add already existing table \"" + s.table.name + "\" to keyspace \"" + ks + "\"",
            protocol::AlreadyExistsError{ks, s.table.name}});
      }
    }
    if (!take(store.create_table(table_def(s, ks), s.if_not_exists))) return Reply{};
    return schema_reply(SchemaChangeType::created, SchemaTarget::table, ks, s.table.name);
  }
  Reply operator()(const cql::AlterTable& s) {
    std::string ks = user_keyspace(s.table);
    const std::int64_t now = store.now_micros();
    take(store.alter_table(ks, s.table.name, [&](TableDef& def) -> std::optional<ServerError> {
      try {
        alter(def, s, now);
      } catch (Failure& f) {
        return std::move(f.error);
      }
      return std::nullopt;
    }));
    return schema_reply(SchemaChangeType::updated, SchemaTarget::table, ks, s.table.name);
  }
  Reply operator()(const cql::DropTable& s) {
    std::string ks = user_keyspace(s.table);
    if (!take(store.drop_table(ks, s.table.name, s.if_exists))) return Reply{};
    return schema_reply(SchemaChangeType::dropped, SchemaTarget::table, ks, s.table.name);
  }
  Reply operator()(const cql::Truncate& s) {
    TableRef t = resolve_table(store, s.table, keyspace);
    if (t.system) not_system(t.keyspace);
    take(store.truncate(t.keyspace, t.name));
    return Reply{};
  }
  template <class T>
  Reply operator()(const T&) {
    fail(error(ServerErrorCode::server_error, "not a schema statement"));
  }
};

}  // namespace

Reply run_schema(Store& store, const cql::Statement& s, const std::string& keyspace,
                 ClientState& state) {
  return std::visit(SchemaRunner{store, keyspace, state}, s);
}

}  // namespace nosqlc::sandbox::detail
