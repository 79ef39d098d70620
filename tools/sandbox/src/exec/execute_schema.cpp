// Schema statements: CREATE/DROP KEYSPACE, CREATE/DROP TABLE, TRUNCATE and USE.
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
  // Cassandra prepares every column's type before it looks at the key and the columns.
  for (const cql::ColumnSpec& c : ct.columns) {
    if (!c.type_error.empty()) fail_invalid(c.type_error);
  }
  for (const cql::ColumnSpec& c : ct.columns) {
    if (c.is_static) {
      fail_invalid(
          "Static columns are only useful (and thus allowed) if the table has at least "
          "one clustering column");
    }
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
    def.columns.push_back({c.name, c.type, c.frozen && is_collection(c.type)});
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
  return def;
}

void not_system(const std::string& keyspace) {
  if (is_system_keyspace(keyspace)) {
    fail(error(ServerErrorCode::unauthorized, keyspace + " keyspace is not user-modifiable."));
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
