// Internal: the tracing of one request (the frame's tracing flag, 0x02), as Cassandra 4.0's
// Message.Request.execute does it: a session with a time UUID as its id, begun with the
// request's name and parameters (QueryMessage, ExecuteMessage, BatchMessage, PrepareMessage),
// events for the steps the request went through, and its duration once done; the id goes back
// in the answer, the session and its events to system_traces.
#pragma once

#include "cql/ast.hpp"
#include "nosqlc/sandbox/executor.hpp"
#include "system/trace_log.hpp"

#include <chrono>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox {
struct PreparedStatement;  // exec/executor_internal.hpp
}  // namespace nosqlc::sandbox

namespace nosqlc::sandbox::detail {

// Cassandra's thread names, shown in system_traces.events.thread.
inline constexpr std::string_view kRequestThread = "Native-Transport-Requests-1";
inline constexpr std::string_view kReadThread = "ReadStage-2";
inline constexpr std::string_view kMutationThread = "MutationStage-2";

// Not thread-safe: one per traced request.
class Tracer {
 public:
  // Begins the session of a request named `request` ("Execute CQL3 query") from `client`,
  // coordinated by node `node` of `cluster`.
  Tracer(Store& store, const ClusterInfo& cluster, std::size_t node, const protocol::Inet& client,
         std::string request, std::map<std::string, std::string> parameters);

  const protocol::Uuid& id() const noexcept { return session_.session_id; }
  std::map<std::string, std::string>& parameters() noexcept { return session_.parameters; }
  // Records an event now.
  void event(std::string activity, std::string_view thread = kRequestThread);
  // "Parsing <query>" and "Preparing statement", as QueryProcessor.getStatement traces them.
  void parsing(std::string_view query);
  // The events Cassandra records while it reads or writes for `s` on the table `table`
  // (SinglePartitionReadCommand, ReadCommand, StorageProxy, Keyspace.applyInternal), given
  // what the sandbox answered. None for schema statements.
  void statement(const cql::Statement& s, std::string_view table, const Reply& reply);
  // The events of a batch's writes, given its answer: those of a write, once per table, or a
  // conditional batch's Paxos round.
  void mutations(std::span<const Mutation> all, const Reply& reply);
  // Ends the session: its duration, then it goes to the Store's TraceLog.
  void finish();

 private:
  void write(const std::vector<std::string>& tables);
  // Whether a conditional statement's or batch's answer says it applied; nullopt for an answer
  // without [applied].
  static std::optional<bool> cas_applied(const Reply& reply);
  void paxos(std::string_view table, const Reply& reply, bool applied);

  Store& store_;
  TraceSession session_;
  std::chrono::steady_clock::time_point start_;
};

// The parameters Cassandra's QueryMessage and ExecuteMessage record: the query text, the page
// size when positive, the consistency and the serial consistency (SERIAL when not given, as
// QueryOptions defaults it).
std::map<std::string, std::string> trace_parameters(std::string_view query,
                                                    const protocol::QueryParameters& params);

// What ExecuteMessage adds for a traced EXECUTE: each bound value as
// "bound_var_<i>_<name>", written as its type's CQL literal (cut at 1,000 characters).
void add_bound_variables(std::map<std::string, std::string>& parameters,
                         const PreparedStatement& prepared,
                         const protocol::QueryParameters& params);

}  // namespace nosqlc::sandbox::detail
