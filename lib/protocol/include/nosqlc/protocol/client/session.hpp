// A CQL session: a pool of connections over one or more hosts, prepared statements, paging.
#pragma once

#include "nosqlc/protocol/client/connection.hpp"
#include "nosqlc/protocol/client/options.hpp"

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
  Bytes id;
  PreparedMetadata metadata;       // the bind markers
  ResultMetadata result_metadata;  // the columns of its rows (no paging state)
};
using PreparedPtr = std::shared_ptr<const Prepared>;

// The answer to a QUERY, EXECUTE or BATCH. Owns the frame its views point into.
class QueryResult {
 public:
  // Empty: rows() is nullptr. (Asio needs results to be default-constructible.)
  QueryResult() = default;
  // Throws ClientError unsupported_server when `reply` is not a RESULT.
  explicit QueryResult(ReplyPtr reply);
  // The result; only for a non-empty QueryResult.
  const Result& result() const noexcept { return *result_; }
  // The rows when the result is Rows, else nullptr.
  const RowsResult* rows() const noexcept {
    return result_ ? std::get_if<RowsResult>(result_) : nullptr;
  }
  // Where the next page starts; nullopt on the last page (or when not Rows).
  std::optional<BytesView> paging_state() const noexcept;
  // Warnings the server attached (empty for an empty result).
  std::vector<std::string> warnings() const {
    return reply_ ? reply_->extras.warnings : std::vector<std::string>{};
  }

 private:
  ReplyPtr reply_;
  const Result* result_ = nullptr;
};

class Pager;

// Thread-safe: every operation hops onto the session's strand and back to the caller's
// executor. Values passed as views (Value) must stay valid until the operation completes.
class Session {
 public:
  // Connects to the first reachable contact point (trying each in order), then fills the pool
  // (pool_size connections per contact point) in the background, reconnecting with
  // exponential backoff and jitter. Throws ClientError as Connection::open, for the last
  // contact point tried, naming every failure.
  static asio::awaitable<std::shared_ptr<Session>> connect(asio::any_io_executor ex,
                                                           SessionOptions options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // QUERY. Throws CqlError for an error answer, ClientError for a timeout or when no
  // connection is available (connection_error), or when the session is closed (closed).
  asio::awaitable<QueryResult> query(std::string cql, std::vector<Value> values = {},
                                     StatementOptions options = {});
  // PREPARE, cached by query text: concurrent prepares of one text share one PREPARE.
  asio::awaitable<PreparedPtr> prepare(std::string cql);
  // EXECUTE; when the server has forgotten the statement (Unprepared), prepares it again on
  // that connection and retries once.
  asio::awaitable<QueryResult> execute(PreparedPtr prepared, std::vector<Value> values,
                                       StatementOptions options = {});
  // BATCH of prepared statements.
  struct BatchItem {
    PreparedPtr prepared;
    std::vector<Value> values;
  };
  asio::awaitable<QueryResult> batch(BatchType type, std::vector<BatchItem> items,
                                     StatementOptions options = {});
  // Pages of a prepared statement, fetched lazily with one page of prefetch. The values are
  // copied: the pager owns them.
  Pager pages(PreparedPtr prepared, std::vector<std::optional<Bytes>> values,
              StatementOptions options = {});

  // Waits until every node reports the same schema_version (system.local and system.peers as
  // seen through one connection), polling up to `max_wait`. True when they agree (also with a
  // single node); false when they still differ at the deadline.
  asio::awaitable<bool> wait_for_schema_agreement(std::chrono::milliseconds max_wait);
  // USE `keyspace` on every open connection and on those opened later.
  asio::awaitable<void> set_keyspace(std::string keyspace);
  // Server events (after REGISTER through query/execute is not needed: the session registers
  // for nothing itself); called on the session's strand.
  void on_event(EventHandler handler);

  // Closes every connection; operations in flight fail with `closed`. Idempotent.
  asio::awaitable<void> close();
  // Connections currently open.
  std::size_t open_connections() const;
  asio::any_io_executor get_executor() const noexcept;

  struct Impl;

 private:
  explicit Session(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

// Pages of one statement. Memory held is bounded by two pages: the one returned last and the
// one being prefetched. Move-only; use from one coroutine at a time.
class Pager {
 public:
  // The next page, or nullopt after the last. Throws as Session::execute.
  asio::awaitable<std::optional<QueryResult>> next();
  // Stops prefetching. Later next() calls return nullopt.
  void cancel();

  struct State;
  explicit Pager(std::shared_ptr<State> state) : state_(std::move(state)) {}
  Pager(Pager&&) noexcept = default;
  Pager& operator=(Pager&&) noexcept = default;
  ~Pager();

 private:
  std::shared_ptr<State> state_;
};

}  // namespace nosqlc::protocol
