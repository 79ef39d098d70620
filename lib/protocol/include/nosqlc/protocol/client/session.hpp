// A CQL session: a pool of connections over one or more hosts, prepared statements, paging.
#pragma once

#include "nosqlc/protocol/client/connection.hpp"
#include "nosqlc/protocol/client/options.hpp"
#include "nosqlc/protocol/trace.hpp"

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace nosqlc::protocol {

// A statement prepared by the server (PREPARE), as cached by the session.
struct Prepared {
  std::string query;
  std::string keyspace;  // the session's keyspace when it was prepared (empty: none)
  Bytes id;
  PreparedMetadata metadata;       // the bind markers
  ResultMetadata result_metadata;  // the columns of its rows (no paging state)
  // Routing: the keyspace of the table whose partition key metadata.pk_indices bind (empty:
  // no routing key), and whether it is a compare-and-set (an IF condition), which goes to
  // the key's replicas in one fixed order.
  std::string routing_keyspace;
  bool conditional = false;
  // A SELECT: retried on another host after an unknown outcome, unless the statement's
  // options say otherwise (StatementOptions::idempotent).
  bool idempotent = false;
};
using PreparedPtr = std::shared_ptr<const Prepared>;

// The answer to a QUERY, EXECUTE or BATCH. Owns the frame its views point into.
class QueryResult {
 public:
  // Empty: rows() is nullptr. (Asio needs results to be default-constructible.)
  QueryResult() = default;
  // Throws ClientError unsupported_server when `reply` is not a RESULT. `prepared`: the
  // statement executed, whose result metadata describes rows sent without any.
  explicit QueryResult(ReplyPtr reply, PreparedPtr prepared = {});
  // The result; only for a non-empty QueryResult.
  const Result& result() const noexcept { return *result_; }
  // The rows when the result is Rows, else nullptr.
  const RowsResult* rows() const noexcept {
    return result_ ? std::get_if<RowsResult>(result_) : nullptr;
  }
  // Where the next page starts; nullopt on the last page (or when not Rows).
  std::optional<BytesView> paging_state() const noexcept;
  // The columns of the rows: as sent, or, for a prepared statement executed with
  // skip_metadata (the server then sends none), as its PREPARED result described them.
  const std::vector<ColumnSpec>& columns() const noexcept;
  // Warnings the server attached (empty for an empty result).
  std::vector<std::string> warnings() const {
    return reply_ ? reply_->extras.warnings : std::vector<std::string>{};
  }
  // The server's tracing session for a traced statement (StatementOptions::trace), else
  // nullopt. Session::read_trace reads it.
  std::optional<Uuid> tracing_id() const noexcept {
    return reply_ ? reply_->extras.tracing_id : std::nullopt;
  }

 private:
  ReplyPtr reply_;
  const Result* result_ = nullptr;
  PreparedPtr prepared_;
};

class Pager;

// Thread-safe. Statements (query, execute, batch, pages) run on the caller's executor and go
// straight to a connection (on the connection's thread when io_threads > 0: one hand-over
// each way, batched per turn of its loop); what changes the session's state (prepare,
// set_keyspace, events, reconnects) runs on the session's strand. Every operation resumes the
// caller on its own executor. Values passed as views (Value) must stay valid until the
// operation completes. Destroying the Session closes it (as close() does); operations still
// in flight then fail with `closed`. With io_threads = 0 the executor's io_context must
// outlive the Session and its Pagers; with io_threads > 0 the session's threads end when the
// Session and its Pagers are gone.
class Session {
 public:
  // Connects to the first reachable contact point (trying each in order), then fills the pool
  // (pool_size connections per contact point) in the background, reconnecting each with
  // exponential backoff (reconnect_base doubling up to reconnect_max) and jitter. Throws
  // ClientError as Connection::open for a single contact point; with several, the code of the
  // last one and a message naming every failure; errc::invalid_value for pool_size outside
  // 1..1024, io_threads over 64 or a connection option out of range. With io_threads > 0, `ex`
  // is not used: the strand and the connections run on the session's threads.
  static asio::awaitable<std::shared_ptr<Session>> connect(asio::any_io_executor ex,
                                                           SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // QUERY on the least busy open connection of any host, waiting up to the connect timeout
  // for one. Throws CqlError for an error answer; ClientError timeout, connection_error (no
  // host available, or the connection broke), or closed (the session is closed).
  asio::awaitable<QueryResult> query(std::string cql, std::vector<Value> values = {},
                                     StatementOptions options = {});
  // PREPARE, cached by query text and the session's keyspace (Cassandra binds a statement to
  // the keyspace it was prepared in): concurrent prepares of one text share one PREPARE. A
  // failure is not cached. Throws as query().
  asio::awaitable<PreparedPtr> prepare(std::string cql);
  // EXECUTE, with skip_metadata when the statement returns rows (their columns then come from
  // the PREPARED result: prepare again after altering the table); when the server has
  // forgotten the statement (Unprepared), prepares it again on
  // that connection (requests meeting Unprepared together share that PREPARE) and retries
  // once. Throws as query(); ClientError errc::invalid_value for a null `prepared`, and for a
  // forgotten statement prepared in a keyspace other than the session's current one.
  asio::awaitable<QueryResult> execute(PreparedPtr prepared, std::vector<Value> values,
                                       StatementOptions options = {});
  // BATCH of prepared statements, with the same re-prepare and retry for each statement the
  // server reports as Unprepared. Throws as execute().
  struct BatchItem {
    PreparedPtr prepared;
    std::vector<Value> values;
  };
  asio::awaitable<QueryResult> batch(BatchType type, std::vector<BatchItem> items,
                                     StatementOptions options = {});
  // Pages of a prepared statement, fetched lazily with one page of prefetch, each page as one
  // operation of execute() (retried on another host from the same paging state when its
  // host fails; `options.deadline` bounds each page with its retries). The values are copied: the
  // pager owns them.
  Pager pages(PreparedPtr prepared, std::vector<std::optional<Bytes>> values,
              StatementOptions options = {});

  // Waits until every node reports the same schema_version (system.local and system.peers as
  // seen through one connection), polling up to `max_wait`; a node the session knows to be
  // down is not counted (it keeps an old version until it returns). True when they agree
  // (also with a single node); false when they still differ at the deadline. Throws as
  // query().
  asio::awaitable<bool> wait_for_schema_agreement(std::chrono::milliseconds max_wait);
  // USE `keyspace` (quoted: exact case) on one connection first, which fails with CqlError
  // for an unknown keyspace and changes nothing; then on every other open connection (one
  // that fails is closed and reconnects) and on those opened later. Calls run one at a time.
  asio::awaitable<void> set_keyspace(std::string keyspace);
  // Calls `handler` on the session's strand for each server event of `event_types`
  // ("TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"): the session REGISTERs on one
  // connection, and on another when that one closes (events meanwhile are lost). Takes effect
  // asynchronously; empty `event_types` registers nothing. What `handler` throws is ignored.
  void on_event(EventHandler handler, std::vector<std::string> event_types = {
                                          "TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"});

  // The trace `id` (QueryResult::tracing_id) from system_traces.sessions and .events, read at
  // consistency ONE. The server writes a trace after it answers: until its session row has a
  // duration the read is repeated (after 5, 10, 20... ms) up to `max_wait`. Throws ClientError
  // timeout when it is still incomplete then, else as query().
  asio::awaitable<QueryTrace> read_trace(
      Uuid id, std::chrono::milliseconds max_wait = std::chrono::milliseconds(2000));
  // A snapshot of the session's counters and hosts (metrics.hpp). Callable from any thread.
  Metrics metrics() const;

  // Closes every connection; operations in flight fail with `closed`, later ones too.
  // Idempotent.
  asio::awaitable<void> close();
  // Connections currently open, over every host. Callable from any thread.
  std::size_t open_connections() const;
  // The hosts the session knows (discovered from the system tables, or the contact points of
  // a server that has none), as of now. Callable from any thread.
  struct HostState {
    HostInfo info;
    bool used = false;  // in the local DC (or an allowed remote one) and accepted by the filter
    bool up = false;    // not reported DOWN, and its last connection attempt succeeded
    std::size_t connections = 0;  // open pool connections to it
  };
  std::vector<HostState> hosts() const;
  // The data centre whose hosts serve requests (SessionOptions::local_dc, or the first
  // contact point's); empty before discovery or when the hosts name none.
  std::string local_dc() const;
  // The hosts holding replicas of the partition whose serialized key (a routing key, see
  // protocol::routing_key) is `partition_key` in `keyspace`, primary first, as the session's
  // token map places them; empty when the keyspace, its strategy or the ring is unknown.
  // Callable from any thread.
  std::vector<HostInfo> replicas(std::string_view keyspace, BytesView partition_key) const;
  // The ring split at every node's tokens, as the session's token map knows it: ranges
  // (start, end] that together hold every Murmur3 token once (the range that wraps around is
  // cut in two at the ends of the token space), each owned by the replicas of its `end`; one
  // range of the whole space when the ring is unknown. Callable from any thread.
  struct TokenRange {
    std::int64_t start = 0;  // exclusive
    std::int64_t end = 0;    // inclusive
  };
  std::vector<TokenRange> token_ranges() const;
  // The session's strand.
  asio::any_io_executor get_executor() const noexcept;

  struct Impl;

 private:
  explicit Session(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

// Pages of one statement. Memory held is bounded by two pages: the one returned last and the
// one being prefetched. Move-only; use from one coroutine at a time. Keeps the session's state
// alive (not open: a closed session's pager fails with `closed`). Destroying it mid-prefetch
// is safe: the page being fetched is dropped when it arrives.
class Pager {
 public:
  // The next page, or nullopt after the last (and on a moved-from or cancelled pager). Throws
  // as Session::execute; after a failure, later calls return nullopt.
  asio::awaitable<std::optional<QueryResult>> next();
  // Starts fetching the first page now rather than at the first next() (several pagers then
  // fetch at once). Callable from any thread; no effect once started.
  void start();
  // Stops: later next() calls return nullopt, also one waiting now (once its page arrives).
  // Callable from any thread.
  void cancel();

  struct State;
  explicit Pager(std::shared_ptr<State> state) : state_(std::move(state)) {}
  Pager(Pager&&) noexcept = default;
  Pager& operator=(Pager&& other) noexcept;  // cancels the pager it replaces
  ~Pager();

 private:
  std::shared_ptr<State> state_;
};

}  // namespace nosqlc::protocol
