// The sandbox's in-memory store: keyspaces, tables and rows, shared by every node and
// connection of the sandbox server. Type-agnostic: cells hold CQL-serialized bytes, which the
// executor encodes and decodes.
//
// Thread safety: every member function may be called concurrently; reads share a
// std::shared_mutex, writes and schema changes take it exclusively, and each call is atomic
// (a conditional write's check and write happen under one lock).
//
// Errors are values: a protocol::ServerError with Cassandra's code and message (Invalid,
// AlreadyExists with its keyspace and table, ConfigError), ready for an ERROR frame. Names
// passed in are already case-folded as the parser folds them.
#pragma once

#include "nosqlc/protocol/server_error.hpp"
#include "nosqlc/sandbox/expected.hpp"
#include "nosqlc/sandbox/schema.hpp"

#include <chrono>
#include <compare>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace nosqlc::sandbox {

class TraceLog;  // internal: src/system/trace_log.hpp

using protocol::Bytes;
using protocol::BytesView;
using protocol::ServerError;

template <class T>
using StoreResult = Expected<T, ServerError>;

// Where a row sits in the ring: rows are ordered by token, then by key bytes (unsigned,
// lexicographic), as Cassandra orders partitions.
struct RowPosition {
  std::int64_t token = 0;
  Bytes key;  // the serialized partition key
  // Out of line: GCC 12 reports false stringop-overread warnings on inlined vector <=>.
  friend std::strong_ordering operator<=>(const RowPosition& a, const RowPosition& b) noexcept;
  friend bool operator==(const RowPosition& a, const RowPosition& b) noexcept;
};

// When a live cell was written (microseconds) and when it expires (microseconds since the
// epoch, 0 for never): what writetime() and ttl() read.
struct CellStamp {
  std::int64_t timestamp = 0;
  std::int64_t expires_at = 0;
  bool operator==(const CellStamp&) const = default;
};

// A live row as read: one cell per column of the TableDef it was read with (the partition
// key's cell holds the key); nullopt is a null, expired or never written cell.
struct Row {
  RowPosition position;
  std::vector<std::optional<Bytes>> cells;
  std::vector<CellStamp> stamps;  // one per cell; zeros for null cells and the key
  bool operator==(const Row&) const = default;
};

// What a write does to one cell. Collections are kept whole, so the collection operations
// read the current value and write the result (an empty result is a null, as Cassandra's
// non-frozen collections have it).
enum class CellOp {
  set,      // the cell becomes `value` (nullopt: null)
  append,   // list: `value`'s elements appended; set: union; map: `value`'s entries merged
  prepend,  // list: `value`'s elements prepended
  remove,   // list: every element equal to one of `value`'s removed; set: difference;
            // map: `value` is a set of keys, removed
  put,      // map: entry `key` set to `value` (nullopt removes it); list: element at the int
            // index `key` replaced (nullopt removes it), Invalid when out of range
};

struct CellWrite {
  std::string column;
  CellOp op = CellOp::set;
  std::optional<Bytes> value;
  std::optional<Bytes> key;  // CellOp::put only
};

// An INSERT or UPDATE of one row.
struct Write {
  Bytes key;  // serialized partition key value
  // Cells to write, by column name; the partition key column is not allowed here.
  std::vector<CellWrite> cells;
  std::optional<std::int64_t> timestamp;  // microseconds; default: the store's clock, made
                                          // strictly increasing as Cassandra's coordinator does
  std::int32_t ttl = 0;                   // seconds, 0 for none
  // INSERT sets the row marker: the row then exists even when all its other cells are null
  // (UPDATE does not, as in Cassandra).
  bool row_marker = false;
};

// A DELETE of a row, or of some of its columns.
struct Erase {
  Bytes key;
  std::vector<std::string> columns;  // empty: the whole row
  std::optional<std::int64_t> timestamp;
};

// The condition of a lightweight transaction (UPDATE/DELETE ... IF).
struct Condition {
  struct Cell {
    std::string column;
    bool equal = true;           // `=` (true) or `!=`
    std::optional<Bytes> value;  // nullopt compares with null: a missing row's cells are null
  };
  enum class Kind { exists, columns };
  Kind kind = Kind::exists;
  std::vector<Cell> cells;  // Kind::columns, all of them must hold
};

// One statement of a batch.
struct Mutation {
  std::string keyspace;
  std::string table;
  std::variant<Write, Erase> change;
};

struct CasResult {
  bool applied = false;
  std::optional<Row> current;  // the row as it was before the operation, if it existed
};

struct TokenBound {
  std::int64_t value = 0;
  bool inclusive = false;
};

// A range of the ring, one page of it: rows with lower <op> token(pk) <op> upper (no
// wrap-around: an empty range when lower is above upper), strictly after `start_after`.
struct ScanRequest {
  std::optional<TokenBound> lower;
  std::optional<TokenBound> upper;
  std::optional<RowPosition> start_after;  // a previous page's resume_after
  std::size_t limit = 0;                   // rows per page; 0 for no limit
};

struct ScanPage {
  TablePtr table;
  std::vector<Row> rows;
  // Set when more rows remain in the range: the position of the last row returned. Scanning
  // again from it resumes exactly after that row, whatever was written or deleted meanwhile.
  std::optional<RowPosition> resume_after;
};

struct RowsResult {
  TablePtr table;
  std::vector<Row> rows;
};

class Store {
 public:
  // Wall-clock microseconds since the Unix epoch: write timestamps and TTL expiry. Called
  // under the store's lock, possibly from several threads.
  using Clock = std::function<std::int64_t()>;
  static std::int64_t system_clock_micros() noexcept;

  explicit Store(Clock clock = &system_clock_micros);
  // The store's clock now (microseconds since the epoch).
  std::int64_t now_micros() const { return clock_(); }
  ~Store();
  Store(const Store&) = delete;
  Store& operator=(const Store&) = delete;

  // The sessions of traced requests (system_traces): written by the executors, read by the
  // system tables. Thread-safe of its own, hence reachable from a const Store.
  TraceLog& traces() const noexcept { return *traces_; }

  // ---- Schema. Each successful change gives a new schema_version(). ----

  // Creates `def`. Returns false (and changes nothing) when it exists and if_not_exists.
  // Errors: AlreadyExists, Invalid (bad name), ConfigError (bad replication).
  StoreResult<bool> create_keyspace(KeyspaceDef def, bool if_not_exists);
  // ALTER KEYSPACE: new replication options (when not empty) and durable_writes (when given),
  // checked as create_keyspace checks them. Errors: Invalid "Keyspace 'ks' doesn't exist",
  // ConfigError (bad replication).
  StoreResult<void> alter_keyspace(std::string_view name,
                                   const std::map<std::string, std::string>& replication,
                                   std::optional<bool> durable_writes);
  // Drops the keyspace and its tables. Returns false when absent and if_exists.
  StoreResult<bool> drop_keyspace(std::string_view name, bool if_exists);
  // Creates `def` (its id is assigned here). Returns false when it exists and if_not_exists.
  // Errors: Invalid ("Keyspace 'ks' doesn't exist", bad name or columns), AlreadyExists.
  StoreResult<bool> create_table(TableDef def, bool if_not_exists);
  // ALTER TABLE: `change` gets a copy of the table's definition, under the store's lock, and
  // edits it or returns the error to answer. The rows then follow the new columns by name: a
  // dropped column's values are gone, an added one starts empty. Errors: Invalid "Table
  // 'ks.t' doesn't exist", or change's.
  using TableChange = std::function<std::optional<ServerError>(TableDef&)>;
  StoreResult<void> alter_table(std::string_view keyspace, std::string_view table,
                                const TableChange& change);
  // Drops the table and its rows. Returns false when absent and if_exists.
  StoreResult<bool> drop_table(std::string_view keyspace, std::string_view table, bool if_exists);
  // Removes every row, tombstones included.
  StoreResult<void> truncate(std::string_view keyspace, std::string_view table);

  // For USE: Invalid "Keyspace 'x' does not exist" when absent.
  StoreResult<void> check_keyspace(std::string_view name) const;
  std::optional<KeyspaceDef> keyspace(std::string_view name) const;
  std::vector<KeyspaceDef> keyspaces() const;                     // by name
  std::vector<TablePtr> tables(std::string_view keyspace) const;  // by name; empty if absent
  // The table, or Invalid "keyspace ks does not exist" / "unconfigured table t".
  StoreResult<TablePtr> table(std::string_view keyspace, std::string_view table) const;
  // Changes on every schema change; identical for every node sharing this store.
  protocol::Uuid schema_version() const;
  // What the other nodes report in system.peers: schema_version(), except for `lag` after a
  // schema change, when they still report the version before it (a cluster where schema
  // changes take time to reach every node). For tests of schema agreement waits.
  protocol::Uuid peer_schema_version() const;
  void set_schema_lag(std::chrono::milliseconds lag);
  // While on, every `IF column = ...` condition fails (not applied, the current row returned)
  // as if another writer always got there first: for tests of compare-and-set retry limits.
  void set_lwt_contention(bool on);

  // ---- Data. Unknown tables fail as table() does; bad columns, keys and TTLs are Invalid.

  // Upserts: merges w.cells into the row (creating it), last write wins by timestamp.
  StoreResult<void> write(std::string_view keyspace, std::string_view table, const Write& w);
  StoreResult<void> erase(std::string_view keyspace, std::string_view table, const Erase& e);
  // Applies every mutation or none: all are checked (tables, columns, keys, TTLs, list
  // indices) before the first is applied, under one exclusive lock.
  StoreResult<void> apply(std::span<const Mutation> mutations);
  // A conditional batch (one partition: one row here): applies every mutation when
  // `condition` holds on the row `key` of keyspace.table (nullopt: IF NOT EXISTS, no live
  // row), checked and applied under one lock; otherwise not applied, with the current row.
  StoreResult<CasResult> apply_if(std::string_view keyspace, std::string_view table, BytesView key,
                                  const std::optional<Condition>& condition,
                                  std::span<const Mutation> mutations);
  // INSERT ... IF NOT EXISTS: applies `w` (with its row marker) only when no live row has
  // its key; otherwise not applied, with the current row.
  StoreResult<CasResult> insert_if_not_exists(std::string_view keyspace, std::string_view table,
                                              const Write& w);
  // UPDATE ... IF: applies `w` when `c` holds on the current row (cells compared as bytes).
  StoreResult<CasResult> write_if(std::string_view keyspace, std::string_view table,
                                  const Condition& c, const Write& w);
  // DELETE ... IF: erases when `c` holds.
  StoreResult<CasResult> erase_if(std::string_view keyspace, std::string_view table,
                                  const Condition& c, const Erase& e);

  // The live row with this key: zero or one row.
  StoreResult<RowsResult> get(std::string_view keyspace, std::string_view table,
                              BytesView key) const;
  // The live rows among `keys` (WHERE pk IN ...) in Cassandra's order for them: sorted by
  // the key type's comparator (compare_values), each key once.
  StoreResult<RowsResult> get_many(std::string_view keyspace, std::string_view table,
                                   std::span<const Bytes> keys) const;
  // One page of the live rows in a token range (the whole ring by default), in ring order.
  StoreResult<ScanPage> scan(std::string_view keyspace, std::string_view table,
                             const ScanRequest& request) const;

 private:
  struct TableData;
  struct KeyspaceData;

  const TableData* find_table(std::string_view ks, std::string_view t, ServerError& err) const;
  TableData* find_table(std::string_view ks, std::string_view t, ServerError& err);
  std::int64_t next_timestamp();  // under the exclusive lock
  void schema_changed();          // under the exclusive lock
  StoreResult<void> apply_locked(std::span<const Mutation> mutations);
  StoreResult<CasResult> conditional(std::string_view ks, std::string_view t, const Condition* c,
                                     const Write* w, const Erase* e);

  Clock clock_;
  std::unique_ptr<TraceLog> traces_;
  mutable std::shared_mutex mutex_;
  std::map<std::string, std::unique_ptr<KeyspaceData>, std::less<>> keyspaces_;
  protocol::Uuid schema_version_{};
  protocol::Uuid previous_schema_version_{};
  std::int64_t schema_changed_at_ = 0;  // clock_() of the last schema change
  std::int64_t schema_lag_micros_ = 0;
  bool lwt_contention_ = false;
  std::int64_t last_timestamp_ = 0;
};

}  // namespace nosqlc::sandbox
