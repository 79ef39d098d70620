// Internal: what the executor's files share: the statement context, errors, bound values and
// term evaluation, the table a statement names (user or system), and the Rows result writer.
#pragma once

#include "cql/ast.hpp"
#include "nosqlc/sandbox/executor.hpp"
#include "system/system_tables.hpp"

#include <nosqlc/protocol/values.hpp>

#include <functional>
#include <memory>
#include <span>
#include <string>
#include <variant>

namespace nosqlc::sandbox {

// A statement the node has prepared: internal, as it holds the parsed statement.
struct PreparedStatement {
  Bytes id;
  std::string query;
  std::string keyspace;  // the connection's keyspace when it was prepared
  cql::ParsedStatement parsed;
  protocol::PreparedMetadata metadata;       // the bind markers
  protocol::ResultMetadata result_metadata;  // the rows, for a SELECT
  // The id of the user table it was prepared on, if any. Cassandra forgets the statements of a
  // dropped table, so one whose table is gone or re-created is unprepared: a driver that skips
  // metadata then never decodes rows with stale columns.
  std::optional<protocol::Uuid> table_id;
  // Its columns then: an ALTER TABLE that changes them unprepares it too, as Cassandra's
  // QueryProcessor drops the statements of a table whose columns changed (onAlterTable).
  std::vector<ColumnDef> table_columns;
};

}  // namespace nosqlc::sandbox

namespace nosqlc::sandbox::detail {

using protocol::DataType;
using protocol::ServerErrorCode;
using protocol::TypeId;

inline ServerError error(ServerErrorCode code, std::string message) {
  return ServerError{code, std::move(message), {}};
}
inline ServerError invalid(std::string message) {
  return error(ServerErrorCode::invalid, std::move(message));
}

// Thrown inside the executor only; the entry points turn it into an ERROR reply.
struct Failure {
  ServerError error;
};
[[noreturn]] inline void fail(ServerError e) {
  throw Failure{std::move(e)};
}
[[noreturn]] inline void fail_invalid(std::string message) {
  throw Failure{invalid(std::move(message))};
}
// The consistency checks of Cassandra 4's ConsistencyLevel, with its InvalidRequest texts:
// validateForRead (SELECT), validateForWrite (a plain write), and validateForCas and
// validateForCasCommit (a conditional write: its serial and its commit consistency).
inline void check_read_consistency(protocol::Consistency c) {
  if (c == protocol::Consistency::any) {
    fail_invalid("ANY ConsistencyLevel is only supported for writes");
  }
}
inline bool is_serial(protocol::Consistency c) {
  return c == protocol::Consistency::serial || c == protocol::Consistency::local_serial;
}
inline void check_write_consistency(protocol::Consistency c) {
  if (is_serial(c)) fail_invalid("You must use conditional updates for serializable writes");
}
inline void check_cas_consistency(protocol::Consistency serial, protocol::Consistency commit) {
  if (!is_serial(serial)) {
    fail_invalid(
        "Invalid consistency for conditional update. Must be one of SERIAL or "
        "LOCAL_SERIAL");
  }
  if (is_serial(commit)) {
    fail_invalid(std::string(protocol::to_string(commit)) +
                 " is not supported as conditional update commit consistency. Use ANY if you "
                 "mean \"make sure it is accepted but I don't care how many replicas commit it "
                 "for non-SERIAL reads\"");
  }
}

template <class T>
T take(Expected<T, ServerError> r) {
  if (!r) fail(r.error());
  return std::move(*r);
}
inline void take(Expected<void, ServerError> r) {
  if (!r) fail(r.error());
}

// A bound or computed value: null, unset (protocol v4's "not set"), or bytes.
struct TermValue {
  enum class Kind { null, unset, bytes };
  Kind kind = Kind::null;
  Bytes bytes;
  bool is_bytes() const noexcept { return kind == Kind::bytes; }
  std::optional<Bytes> optional() const {
    return is_bytes() ? std::optional<Bytes>(bytes) : std::nullopt;
  }
};

// The values bound to a statement's markers, by marker index.
class Bindings {
 public:
  // Matches `params` to the markers: by position, or by name when the request names its
  // values. Invalid when the counts differ or a name matches no marker.
  Bindings(const std::vector<cql::MarkerInfo>& markers, const protocol::QueryParameters& params);
  // For checking a statement at PREPARE, as Cassandra checks it before any value is bound:
  // each marker holds a valid value of its receiver's type (`specs`, one per marker), and
  // placeholders() tells the checks of a bound value's range (a TTL's, a timestamp's, a
  // LIMIT's), which Cassandra makes at EXECUTE, to stand aside.
  static Bindings placeholders(const std::vector<protocol::ColumnSpec>& specs);
  Bindings(const Bindings&) = delete;  // values_ may view owned_
  Bindings(Bindings&&) = default;
  Bindings& operator=(const Bindings&) = delete;
  Bindings& operator=(Bindings&&) = default;

  const protocol::Value& at(int marker) const { return values_[static_cast<std::size_t>(marker)]; }
  bool placeholders() const noexcept { return placeholder_; }

 private:
  Bindings() = default;
  std::vector<protocol::Value> values_;
  std::vector<Bytes> owned_;  // the placeholders' bytes
  bool placeholder_ = false;
};

// The table a statement reads or writes: a Store table or a system table.
struct TableRef {
  std::string keyspace;
  std::string name;
  TablePtr table;                       // user tables
  const SystemTable* system = nullptr;  // system tables
  const TableDef& def() const { return system ? system->def : *table; }
};

// Resolves [ks.]name with the statement's keyspace: Invalid "No keyspace has been specified.
// ...", "keyspace ks does not exist" or "unconfigured table t".
TableRef resolve_table(const Store& store, const cql::QualifiedName& name,
                       const std::string& keyspace);
// The column `name` of `def`, or Invalid "Undefined column name name".
std::size_t column_of(const TableDef& def, std::string_view name);

// The columns of `SELECT *` in Cassandra's order: the partition key, then the others by name.
std::vector<std::size_t> star_order(const TableDef& def);
// A lightweight transaction's rows (ModificationStatement.buildCasResultSet): [applied], and
// when it was not applied and the row exists, the row's `cols` as they were.
Reply cas_rows(const std::string& keyspace, const std::string& table, const TableDef& def,
               const CasResult& r, const std::vector<std::size_t>& cols);

// The checks Cassandra 4.0 makes when it prepares a statement (ModificationStatement.Parsed
// and SelectStatement.RawStatement prepare, StatementRestrictions, Term.Raw prepare): the
// columns named, the WHERE clause, the SET and IF clauses, literals against their columns'
// types. Those of a bound value's range wait for EXECUTE, as in Cassandra; a write to a
// system table is refused at EXECUTE too (authorization). Throws a Failure.
void check_modification(const Store& store, const cql::ParsedStatement& parsed,
                        const std::string& keyspace, const Bindings& placeholders);
void check_select(const cql::ParsedStatement& parsed, const TableRef& table,
                  const Bindings& placeholders);

// The receiver of a bind marker: its name and type as PREPARE describes it.
using MarkerSpecs = std::vector<protocol::ColumnSpec>;
// The receivers of every marker of `statement` on `table` (for a statement without a table,
// such as USE, an empty list).
MarkerSpecs marker_specs(const cql::ParsedStatement& parsed, const TableRef* table);

// The value of `term` for a receiver of type `type` named `receiver`. Literals are converted,
// markers read from `bindings` and checked against the type, collections built and sorted,
// functions (now(), uuid(), toTimestamp(now()), ...) evaluated.
TermValue evaluate(const cql::Term& term, const DataType& type, std::string_view receiver,
                   const Bindings& bindings);
// The same for a value that must be bytes: Invalid for null ("Invalid null value for
// <what>") and unset.
Bytes evaluate_bytes(const cql::Term& term, const DataType& type, std::string_view receiver,
                     const Bindings& bindings, std::string_view what);

// A statement's keyspace: the name's own, else the connection's.
// The table a statement names, if any.
const cql::QualifiedName* table_name(const cql::Statement& s);

inline std::string keyspace_of(const cql::QualifiedName& n, const std::string& current) {
  return n.keyspace ? *n.keyspace : current;
}

// Writes a Rows result into a Reply.
class RowsWriter {
 public:
  RowsWriter(Reply& reply, std::string keyspace, std::string table)
      : reply_(reply), keyspace_(std::move(keyspace)), table_(std::move(table)) {}
  void column(std::string name, DataType type) {
    columns_.push_back({keyspace_, table_, std::move(name), std::move(type)});
  }
  std::size_t columns() const noexcept { return columns_.size(); }
  // One row; exactly columns() cells.
  void row(std::span<const std::optional<BytesView>> cells);
  std::int32_t row_count() const noexcept { return rows_; }
  // Sets the reply's message; `paging_state` becomes the reply's when given.
  void finish(std::optional<Bytes> paging_state = std::nullopt);

 private:
  Reply& reply_;
  std::string keyspace_, table_;
  std::vector<protocol::ColumnSpec> columns_;
  std::int32_t rows_ = 0;
};

// The Unavailable error Cassandra 4.0 answers when the live ones among `replicas` (of one
// partition or ring range, placed under `replication`) cannot meet `cl` for a request that
// node `coordinator` coordinates (ReplicaPlans.assureSufficientLiveReplicas; SERIAL and
// LOCAL_SERIAL as StorageProxy.getPaxosParticipants), or nullopt when they can.
std::optional<ServerError> unavailable(const ClusterInfo& info, std::size_t coordinator,
                                       const protocol::Replication& replication,
                                       std::span<const std::size_t> replicas,
                                       protocol::Consistency cl);

// What a coordinator checks before it reads or writes a user table: that the replicas up can
// meet the request's consistency level. Keyspaces without known replicas are not checked.
class ReplicaCheck {
 public:
  using ReplicationOf =
      std::function<std::shared_ptr<const protocol::Replication>(const std::string&)>;
  ReplicaCheck(const Cluster& cluster, std::size_t coordinator, ReplicationOf replication_of);
  // Fails Unavailable unless each key's partition in `keyspace` can be served at `cl`.
  void keys(const std::string& keyspace, std::span<const Bytes> keys, protocol::Consistency cl);
  // Fails Unavailable unless every ring range holding tokens in lower..upper can be.
  void range(const std::string& keyspace, std::optional<TokenBound> lower,
             std::optional<TokenBound> upper, protocol::Consistency cl);
  // Once keys() checked some: whether the coordinator holds a replica of every one.
  std::optional<bool> on_replicas() const noexcept { return on_replicas_; }

 private:
  const protocol::Replication* placed(const std::string& keyspace);

  const Cluster& cluster_;
  std::size_t coordinator_;
  ReplicationOf replication_of_;
  std::shared_ptr<const protocol::Replication> replication_;
  std::shared_ptr<const ClusterInfo> info_;  // one snapshot per request
  std::optional<bool> on_replicas_;
};

// The options of `options` (CREATE TABLE or ALTER TABLE ... WITH) applied over `params`, checked
// as Cassandra 4.0's TableAttributes and TableParams check them: SyntaxException for an
// unknown option or a malformed value, ConfigurationException for a bad class or range.
// `altering`: ALTER TABLE, where `id` cannot change and the fp chance keeps its value.
TableParams table_params(const std::vector<cql::Property>& options, TableParams params,
                         bool altering);
// A double as Java's Double.toString writes it (as Cassandra prints table options): plain from
// 10^-3 up to 10^7, else d.dddE±n; always with a fraction.
std::string java_double(double d);
// The table id `WITH id = ...` asks for (already checked by table_params), if any.
std::optional<protocol::Uuid> table_id_option(const std::vector<cql::Property>& options);

// Statement runners, one file each.
Reply run_schema(Store& store, const cql::Statement& s, const std::string& keyspace,
                 ClientState& state);
Reply run_modification(Store& store, const cql::ParsedStatement& parsed,
                       const std::string& keyspace, const protocol::QueryParameters& params,
                       ReplicaCheck& check);
Reply run_select(const Store& store, const ClusterInfo& cluster, std::size_t node,
                 const cql::ParsedStatement& parsed, const std::string& keyspace,
                 const protocol::QueryParameters& params, ReplicaCheck& check);

// DESCRIBE, as Cassandra 4.0's DescribeStatement answers it, for a connection whose current
// keyspace is `keyspace` ("" for none); paged by `params`' page size, by row.
Reply run_describe(const Store& store, const Cluster& cluster, const cql::Describe& d,
                   const std::string& keyspace, const protocol::QueryParameters& params,
                   const ReplicaCheck::ReplicationOf& replication_of);

// What one INSERT, UPDATE or DELETE does: the same change to each of its keys, maybe under a
// condition.
struct ModificationPlan {
  TableRef table;
  std::vector<Mutation> mutations;  // one per key
  enum class Cas { none, not_exists, condition } cas = Cas::none;
  Condition condition;                         // Cas::condition: IF EXISTS or IF col = ...
  std::vector<std::string> condition_columns;  // in IF order, for a failed LWT's answer
};
// Plans `parsed` (an INSERT, UPDATE or DELETE; anything else is Invalid "Invalid statement in
// batch") with Cassandra's checks; writes without a timestamp of their own get
// `default_timestamp`.
ModificationPlan plan_modification(const Store& store, const cql::ParsedStatement& parsed,
                                   const std::string& keyspace, const Bindings& bindings,
                                   std::optional<std::int64_t> default_timestamp);

// A batch, from a BATCH request or a BEGIN BATCH text: its statements planned, run as
// Cassandra 4.0's BatchStatement runs them (one timestamp; with conditions, one partition of
// one table, all applied or none, answered with [applied]).
struct BatchRun {
  enum class Type { logged, unlogged, counter } type = Type::logged;
  std::vector<ModificationPlan> plans;
  protocol::Consistency consistency = protocol::Consistency::one;
  std::optional<protocol::Consistency> serial_consistency;
};
Reply run_batch(Store& store, const BatchRun& batch, ReplicaCheck& check);
// A BEGIN BATCH text: BatchStatement.validate's checks, then run_batch. `timestamp` is the
// protocol's default timestamp, or the coordinator's.
// `planned`, when given, receives the batch's writes before they run (for its trace).
Reply run_text_batch(Store& store, const cql::ParsedStatement& parsed, const std::string& keyspace,
                     const protocol::QueryParameters& params, ReplicaCheck& check,
                     std::vector<Mutation>* planned = nullptr);
// What PREPARE refuses of a BEGIN BATCH text (its statements' checks and validate()'s).
void check_text_batch(const Store& store, const cql::ParsedStatement& parsed,
                      const std::string& keyspace, const Bindings& placeholders);
// The receivers of a BEGIN BATCH text's markers, each on its own statement's table.
MarkerSpecs batch_marker_specs(const Store& store, const cql::ParsedStatement& parsed,
                               const std::string& keyspace);

// Notes in `reply` the partition keys `mutations` write (for the node's statistics).
void note_keys(Reply& reply, std::span<const Mutation> mutations);

// Writes to the sandbox keyspace's control tables: UPDATE/INSERT/DELETE on sandbox.nodes (a
// ControlAction in the reply) and TRUNCATE sandbox.node_stats.
Reply run_control(Cluster& cluster, const cql::ParsedStatement& parsed,
                  const protocol::QueryParameters& params);

// The result metadata of a SELECT (for PREPARE), or empty metadata for other statements.
protocol::ResultMetadata select_metadata(const cql::ParsedStatement& parsed, const TableRef& t);

}  // namespace nosqlc::sandbox::detail
