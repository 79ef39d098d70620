// The store's schema half: keyspaces, tables, the schema version, and name checks.
#include "cql/uuids.hpp"
#include "store/store_internal.hpp"
#include "system/trace_log.hpp"

#include <algorithm>
#include <chrono>
#include <mutex>

namespace nosqlc::sandbox {
namespace {

constexpr std::size_t kMaxNameLength = 48;  // Cassandra's SchemaConstants.NAME_LENGTH
constexpr std::string_view kStrategyPackage = "org.apache.cassandra.locator.";

// Keyspaces Cassandra owns; the sandbox serves them as virtual tables, never stores them.
constexpr std::string_view kSystemKeyspaces[] = {
    "system",        "system_schema",         "system_auth",  "system_distributed",
    "system_traces", "system_virtual_schema", "system_views",
};

bool valid_name(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

std::string bad_name(std::string_view what, std::string_view name) {
  return std::string(what) + " name must not be empty, more than " +
         std::to_string(kMaxNameLength) +
         " characters long, or contain non-alphanumeric-underscore characters (got \"" +
         std::string(name) + "\")";
}

bool is_count(std::string_view s) {
  return !s.empty() && s.size() <= 9 &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Normalizes the strategy class to its full name and checks the options it requires, with
// Cassandra's ConfigurationException wording.
std::optional<ServerError> check_replication(std::map<std::string, std::string>& rep) {
  auto cls = rep.find("class");
  if (cls == rep.end()) return config_error("Missing replication strategy class");
  if (cls->second.find('.') == std::string::npos) {
    cls->second = std::string(kStrategyPackage) + cls->second;
  }
  const std::string& name = cls->second;
  if (name == std::string(kStrategyPackage) + "LocalStrategy") {
    return config_error(
        "Unable to use given strategy class: LocalStrategy is reserved for internal use.");
  }
  bool simple = name == std::string(kStrategyPackage) + "SimpleStrategy";
  bool nts = name == std::string(kStrategyPackage) + "NetworkTopologyStrategy";
  if (!simple && !nts) {
    return config_error("Unable to find replication strategy class '" + name + "'");
  }
  if (simple && !rep.contains("replication_factor")) {
    return config_error("SimpleStrategy requires a replication_factor strategy option.");
  }
  for (const auto& [option, value] : rep) {
    if (option == "class") continue;
    if (simple && option != "replication_factor") {
      return config_error("Unrecognized strategy option {" + option +
                          "} passed to SimpleStrategy for keyspace");
    }
    if (!is_count(value)) {
      return config_error("Replication factor must be numeric and non-negative; found " + value);
    }
  }
  return std::nullopt;
}

}  // namespace

std::int64_t Store::system_clock_micros() noexcept {
  using namespace std::chrono;
  return duration_cast<microseconds>(system_clock::now().time_since_epoch()).count();
}

Store::Store(Clock clock)
    : clock_(std::move(clock)),
      traces_(std::make_unique<TraceLog>()),
      schema_version_(random_uuid()) {}

Store::~Store() = default;

void Store::schema_changed() {
  previous_schema_version_ = schema_version_;
  schema_changed_at_ = clock_();
  schema_version_ = random_uuid();
}

std::int64_t Store::next_timestamp() {
  last_timestamp_ = std::max(clock_(), last_timestamp_ + 1);
  return last_timestamp_;
}

const Store::TableData* Store::find_table(std::string_view ks, std::string_view t,
                                          ServerError& err) const {
  auto k = keyspaces_.find(ks);
  if (k == keyspaces_.end()) {
    err = invalid("keyspace " + std::string(ks) + " does not exist");
    return nullptr;
  }
  auto it = k->second->tables.find(t);
  if (it == k->second->tables.end()) {
    err = invalid("unconfigured table " + std::string(t));
    return nullptr;
  }
  return &it->second;
}

Store::TableData* Store::find_table(std::string_view ks, std::string_view t, ServerError& err) {
  return const_cast<TableData*>(std::as_const(*this).find_table(ks, t, err));
}

StoreResult<bool> Store::create_keyspace(KeyspaceDef def, bool if_not_exists) {
  if (!valid_name(def.name)) return unexpected(invalid(bad_name("Keyspace", def.name)));
  if (std::find(std::begin(kSystemKeyspaces), std::end(kSystemKeyspaces), def.name) !=
      std::end(kSystemKeyspaces)) {
    if (if_not_exists) return false;
    return unexpected(ServerError{protocol::ServerErrorCode::already_exists,
                                  "Cannot add existing keyspace \"" + def.name + "\"",
                                  protocol::AlreadyExistsError{def.name, ""}});
  }
  std::unique_lock lock(mutex_);
  // As Cassandra, existence is checked before the replication options.
  if (keyspaces_.contains(def.name)) {
    if (if_not_exists) return false;
    return unexpected(ServerError{protocol::ServerErrorCode::already_exists,
                                  "Cannot add existing keyspace \"" + def.name + "\"",
                                  protocol::AlreadyExistsError{def.name, ""}});
  }
  if (def.replication.empty()) {
    return unexpected(invalid("Missing mandatory option 'replication'"));
  }
  if (auto err = check_replication(def.replication)) return unexpected(std::move(*err));
  std::string name = def.name;
  auto data = std::make_unique<KeyspaceData>();
  data->def = std::move(def);
  keyspaces_.emplace(std::move(name), std::move(data));
  schema_changed();
  return true;
}

StoreResult<void> Store::alter_keyspace(std::string_view name,
                                        const std::map<std::string, std::string>& replication,
                                        std::optional<bool> durable_writes) {
  std::unique_lock lock(mutex_);
  auto it = keyspaces_.find(name);
  if (it == keyspaces_.end()) {
    return unexpected(invalid("Keyspace '" + std::string(name) + "' doesn't exist"));
  }
  std::map<std::string, std::string> checked = replication;
  if (!checked.empty()) {
    if (auto err = check_replication(checked)) return unexpected(std::move(*err));
  }
  KeyspaceDef& def = it->second->def;
  if (!checked.empty()) def.replication = std::move(checked);
  if (durable_writes) def.durable_writes = *durable_writes;
  schema_changed();
  return {};
}

StoreResult<bool> Store::drop_keyspace(std::string_view name, bool if_exists) {
  std::unique_lock lock(mutex_);
  auto it = keyspaces_.find(name);
  if (it == keyspaces_.end()) {
    if (if_exists) return false;
    return unexpected(invalid("Keyspace '" + std::string(name) + "' doesn't exist"));
  }
  keyspaces_.erase(it);
  schema_changed();
  return true;
}

StoreResult<bool> Store::create_table(TableDef def, bool if_not_exists) {
  if (!valid_name(def.name)) return unexpected(invalid(bad_name("Table", def.name)));
  if (def.columns.empty() || def.partition_key >= def.columns.size()) {
    return unexpected(invalid("No PRIMARY KEY specifed (exactly one required)"));
  }
  for (std::size_t i = 0; i < def.columns.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (def.columns[i].name == def.columns[j].name) {
        return unexpected(invalid("Multiple definition of identifier " + def.columns[i].name));
      }
    }
  }
  std::unique_lock lock(mutex_);
  auto k = keyspaces_.find(def.keyspace);
  if (k == keyspaces_.end()) {
    return unexpected(invalid("Keyspace '" + def.keyspace + "' doesn't exist"));
  }
  if (k->second->tables.contains(def.name)) {
    if (if_not_exists) return false;
    return unexpected(ServerError{protocol::ServerErrorCode::already_exists,
                                  "Cannot add already existing table \"" + def.name +
                                      "\" to keyspace \"" + def.keyspace + "\"",
                                  protocol::AlreadyExistsError{def.keyspace, def.name}});
  }
  if (def.id == protocol::Uuid{}) def.id = random_uuid();  // else WITH id = ...
  std::string name = def.name;
  TableData data;
  data.def = std::make_shared<const TableDef>(std::move(def));
  k->second->tables.emplace(std::move(name), std::move(data));
  schema_changed();
  return true;
}

StoreResult<void> Store::alter_table(std::string_view keyspace, std::string_view table,
                                     const TableChange& change) {
  std::unique_lock lock(mutex_);
  // AlterTableStatement.apply's words.
  auto missing = [&] {
    return unexpected(
        invalid("Table '" + std::string(keyspace) + "." + std::string(table) + "' doesn't exist"));
  };
  auto k = keyspaces_.find(keyspace);
  if (k == keyspaces_.end()) return missing();
  auto it = k->second->tables.find(table);
  if (it == k->second->tables.end()) return missing();
  TableData& data = it->second;
  TableDef def = *data.def;
  if (auto err = change(def)) return unexpected(std::move(*err));
  const TableDef& old = *data.def;
  std::vector<std::optional<std::size_t>> from(def.columns.size());
  for (std::size_t j = 0; j < def.columns.size(); ++j) {
    auto i = old.column_index(def.columns[j].name);
    if (i && *i != old.partition_key && j != def.partition_key) from[j] = *i;
  }
  for (auto& [pos, row] : data.rows) {
    std::vector<std::optional<StoredCell>> cells(def.columns.size());
    for (std::size_t j = 0; j < cells.size(); ++j) {
      if (from[j] && *from[j] < row.cells.size()) cells[j] = std::move(row.cells[*from[j]]);
    }
    row.cells = std::move(cells);
  }
  data.def = std::make_shared<const TableDef>(std::move(def));
  schema_changed();
  return {};
}

StoreResult<bool> Store::drop_table(std::string_view keyspace, std::string_view table,
                                    bool if_exists) {
  std::unique_lock lock(mutex_);
  auto k = keyspaces_.find(keyspace);
  if (k == keyspaces_.end()) {
    if (if_exists) return false;
    return unexpected(invalid("Keyspace '" + std::string(keyspace) + "' doesn't exist"));
  }
  auto it = k->second->tables.find(table);
  if (it == k->second->tables.end()) {
    if (if_exists) return false;
    return unexpected(
        invalid("Table '" + std::string(keyspace) + "." + std::string(table) + "' doesn't exist"));
  }
  k->second->tables.erase(it);
  schema_changed();
  return true;
}

StoreResult<void> Store::truncate(std::string_view keyspace, std::string_view table) {
  std::unique_lock lock(mutex_);
  ServerError err;
  TableData* t = find_table(keyspace, table, err);
  if (!t) return unexpected(std::move(err));
  t->rows.clear();
  return {};
}

StoreResult<void> Store::check_keyspace(std::string_view name) const {
  std::shared_lock lock(mutex_);
  if (!keyspaces_.contains(name)) {
    return unexpected(invalid("Keyspace '" + std::string(name) + "' does not exist"));
  }
  return {};
}

std::optional<KeyspaceDef> Store::keyspace(std::string_view name) const {
  std::shared_lock lock(mutex_);
  auto it = keyspaces_.find(name);
  if (it == keyspaces_.end()) return std::nullopt;
  return it->second->def;
}

std::vector<KeyspaceDef> Store::keyspaces() const {
  std::shared_lock lock(mutex_);
  std::vector<KeyspaceDef> out;
  for (const auto& [name, ks] : keyspaces_)
    out.push_back(ks->def);
  return out;
}

std::vector<TablePtr> Store::tables(std::string_view keyspace) const {
  std::shared_lock lock(mutex_);
  std::vector<TablePtr> out;
  auto it = keyspaces_.find(keyspace);
  if (it == keyspaces_.end()) return out;
  for (const auto& [name, t] : it->second->tables)
    out.push_back(t.def);
  return out;
}

StoreResult<TablePtr> Store::table(std::string_view keyspace, std::string_view table) const {
  std::shared_lock lock(mutex_);
  ServerError err;
  const TableData* t = find_table(keyspace, table, err);
  if (!t) return unexpected(std::move(err));
  return t->def;
}

protocol::Uuid Store::schema_version() const {
  std::shared_lock lock(mutex_);
  return schema_version_;
}

protocol::Uuid Store::peer_schema_version() const {
  std::shared_lock lock(mutex_);
  if (schema_lag_micros_ > 0 && clock_() - schema_changed_at_ < schema_lag_micros_) {
    return previous_schema_version_;
  }
  return schema_version_;
}

void Store::set_lwt_contention(bool on) {
  std::unique_lock lock(mutex_);
  lwt_contention_ = on;
}

void Store::set_schema_lag(std::chrono::milliseconds lag) {
  std::unique_lock lock(mutex_);
  schema_lag_micros_ = std::chrono::duration_cast<std::chrono::microseconds>(lag).count();
}

}  // namespace nosqlc::sandbox
