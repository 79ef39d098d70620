// The sandbox's statement executor: runs QUERY, PREPARE, EXECUTE and BATCH against the Store
// and the system tables, answering what Cassandra 4 answers (a RESULT, or an ERROR with
// Cassandra's code and wording). Sans-io: the server feeds it decoded requests. One Executor
// per node: its prepared statements are that node's, as in Cassandra.
#pragma once

#include "nosqlc/protocol/messages.hpp"
#include "nosqlc/sandbox/cluster.hpp"
#include "nosqlc/sandbox/store.hpp"

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace nosqlc::sandbox {
namespace cql {
struct ParsedStatement;
}
namespace detail {
class ReplicaCheck;
class Tracer;
}  // namespace detail

// What a connection carries between statements.
struct ClientState {
  std::string keyspace;   // set by USE; empty before
  protocol::Inet client;  // the client's address, shown by system_traces.sessions
};

// The executor's answer: a Result or a ServerError in `message`, which may view the buffers
// below (so a Reply must outlive the encoding of its message; moving it keeps the views).
struct Reply {
  protocol::Response message = protocol::Result{protocol::VoidResult{}};
  // A schema change to announce to connections registered for SCHEMA_CHANGE events.
  std::optional<protocol::SchemaChange> schema_change;
  std::vector<std::string> warnings;
  // The session of a traced request (system_traces), sent with the answer (flag 0x02).
  std::optional<protocol::Uuid> tracing_id;

  Bytes rows;          // the content of a Rows result
  Bytes paging_state;  // of a Rows result with more pages
  Bytes prepared_id;   // of a Prepared result

  // Not sent: the partition keys a statement on a user table was restricted to (a key, an IN
  // of keys, a batch's keys), for the node's statistics; `keyed` false for the others.
  bool keyed = false;
  std::string routed_keyspace;
  std::vector<Bytes> routed_keys;
  // Not sent: a change of the cluster (sandbox.nodes) for the server to carry out before it
  // sends the answer.
  std::optional<ControlAction> control;
};

// A statement the node has prepared (exec/executor_internal.hpp).
struct PreparedStatement;

// Thread-safe: a node's connections may run statements concurrently.
class Executor {
 public:
  Executor(Store& store, Cluster& cluster, std::size_t node);

  // With `trace` (the request's tracing flag), each of these records a tracing session in
  // system_traces, as Cassandra does, and sets Reply::tracing_id, errors included.
  Reply query(std::string_view cql, const protocol::QueryParameters& params, ClientState& state,
              bool trace = false);
  // Prepares `cql` for the connection's keyspace; the same text and keyspace always get the
  // same id (on every node, as with Cassandra's MD5 ids).
  Reply prepare(std::string_view cql, ClientState& state, bool trace = false);
  // Unprepared (with the id) when this node does not know the statement.
  Reply execute(BytesView id, const protocol::QueryParameters& params, ClientState& state,
                bool trace = false);
  Reply batch(const protocol::Batch& batch, ClientState& state, bool trace = false);

  // Forgets every prepared statement, as a restarted Cassandra node does.
  void forget_prepared();
  // How many times this node ran the statement `text` (QUERY, EXECUTE of its prepared form,
  // or inside a BATCH), for tests that check which CQL a client sends. Counts up to 10,000
  // distinct texts.
  std::size_t times_run(std::string_view text) const;
  std::size_t node() const noexcept { return node_; }

 private:
  // `on_replicas`: whether this node holds a replica of every key the statement checked.
  Reply run(const cql::ParsedStatement& parsed, const std::string& keyspace,
            const protocol::QueryParameters& params, ClientState& state,
            std::optional<bool>& on_replicas, detail::Tracer* tracer);
  Reply query_traced(std::string_view cql, const protocol::QueryParameters& params,
                     ClientState& state, detail::Tracer* tracer);
  Reply prepare_traced(std::string_view cql, ClientState& state, detail::Tracer* tracer);
  Reply execute_traced(BytesView id, const protocol::QueryParameters& params, ClientState& state,
                       detail::Tracer* tracer);
  Reply batch_traced(const protocol::Batch& batch, ClientState& state, detail::Tracer* tracer);
  // Null when unknown or prepared on a table since dropped (then forgotten).
  std::shared_ptr<const PreparedStatement> find_prepared(BytesView id);

  void count(std::string_view text);
  // Counts a statement in the node's statistics, and the keys it was restricted to
  // (`on_replicas` when already known).
  void record(StatementKind kind, const Reply& r, std::optional<bool> on_replicas);
  void record_keys(const Reply& r, std::optional<bool> on_replicas);
  detail::ReplicaCheck replica_check();
  // The timestamp of a write: the client's, else the node's clock plus its injected skew
  // (nullopt without a skew: the store stamps it).
  std::optional<std::int64_t> write_timestamp(std::optional<std::int64_t> client);
  // The replication of `keyspace` (null when there is none), read again only when the schema
  // changed: parsing it for every keyed request cost the sandbox a tenth of its instructions.
  std::shared_ptr<const protocol::Replication> replication_of(const std::string& keyspace);

  Store& store_;
  Cluster& cluster_;
  std::size_t node_;
  std::atomic<std::int64_t> last_timestamp_{0};  // of the skewed writes
  mutable std::mutex mutex_;
  std::unordered_map<std::string, std::shared_ptr<const PreparedStatement>> prepared_;
  std::unordered_map<std::string, std::size_t> runs_;  // by statement text
  // By keyspace: the schema version it was read at, and the replication.
  std::unordered_map<std::string,
                     std::pair<protocol::Uuid, std::shared_ptr<const protocol::Replication>>>
      replications_;
};

}  // namespace nosqlc::sandbox
