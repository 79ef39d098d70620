// A named collection of JSON documents keyed by string.
#pragma once

#include "nosqlc/nosql/cursor.hpp"
#include "nosqlc/nosql/observability.hpp"

#include <nosqlc/filter/filter.hpp>

#include <asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <vector>

namespace nosqlc {

class Client;

// How many replicas must answer, as Cassandra names the levels (parse_consistency reads its
// names: "QUORUM", "local_one", ...).
enum class Consistency {
  any,
  one,
  two,
  three,
  quorum,
  all,
  local_quorum,
  each_quorum,
  serial,
  local_serial,
  local_one
};
// The level named `name` in any case ("LOCAL_QUORUM"); nullopt for another name.
std::optional<Consistency> parse_consistency(std::string_view name) noexcept;
std::string_view to_string(Consistency c) noexcept;  // "LOCAL_QUORUM"

struct FindOptions {
  // The initializers let FindOptions{.limit = 2} compile without -Wmissing-field-initializers.
  std::optional<std::size_t> limit{};       // at most this many documents
  std::optional<std::int32_t> page_size{};  // documents fetched per round trip, where it applies
  // A stored document the driver cannot read (written by another tool: not a JSON object, or
  // nested deeper than kMaxDocumentDepth). By default the cursor throws unreadable_document
  // naming its key; with skip_unreadable it passes over it and counts it in
  // Cursor::skipped(), so one bad row does not stop a scan.
  bool skip_unreadable = false;
  // ---- Full scans (a find not restricted to "_id" keys), where the driver splits them ----
  // Token ranges read at once (the Cassandra driver; default: its URL's scan_concurrency,
  // else twice the hosts it uses). Documents then come in no promised order (pynosqlc
  // promises none either); with 1, in token order.
  std::optional<std::size_t> scan_concurrency{};
  // Restarts a scan where an earlier one stopped: a Cursor::resume_position() it gave. The
  // documents already yielded then are not read again. Same filter expected.
  std::optional<std::string> resume_from{};
  // Bound the whole scan, and each page with its retries (default: the URL's deadline_ms).
  std::optional<std::chrono::milliseconds> deadline{};
  std::optional<std::chrono::milliseconds> page_deadline{};
  // The consistency of the reads (default: the URL's).
  std::optional<Consistency> consistency{};
  // Trace every page's request: their trace ids are appended here (must outlive the cursor).
  TraceIds* trace = nullptr;
};

// Per-call settings of get, store, del, insert and update. Unset: the client's URL decides. A
// driver that cannot apply a setting refuses the call with unsupported_operation rather than
// ignore it (the memory driver applies deadline and ttl, and refuses the others). Trivially
// destructible on purpose: g++ 12 destroys a temporary with a destructor twice when it is an
// argument inside co_await, and `co_await col.get(k, {.deadline = 100ms})` must be safe.
struct CallOptions {
  // Bounds the operation with its retries: past it, timeout. (Cassandra driver default: the
  // URL's deadline_ms.)
  std::optional<std::chrono::milliseconds> deadline{};
  // The consistency, and the serial consistency of update's compare-and-set (serial or
  // local_serial; invalid_argument for another).
  std::optional<Consistency> consistency{};
  std::optional<Consistency> serial_consistency{};
  // Writes (store, insert, update): the document expires this long after the write (whole
  // seconds, at least 1). invalid_argument on get and del.
  std::optional<std::chrono::seconds> ttl{};
  // store, insert and del: the write's timestamp, in microseconds since the epoch (the later
  // one wins). invalid_argument on get, and on update, whose compare-and-set Cassandra
  // timestamps itself.
  std::optional<std::int64_t> timestamp{};
  // Trace the call: the id of each request's trace is appended here (must outlive the call).
  TraceIds* trace = nullptr;
};

static_assert(std::is_trivially_destructible_v<CallOptions>);

// One item of store_many or delete_many that failed: its index in the input, its key, and
// the error it would have thrown.
struct BulkFailure {
  std::size_t index = 0;
  std::string key;
  std::error_code code;
  std::string message;
};

struct BulkResult {
  std::size_t succeeded = 0;
  std::vector<BulkFailure> failures;  // in input order
  bool ok() const noexcept { return failures.empty(); }
};

struct BulkOptions {
  std::size_t concurrency = 64;  // operations in flight at once (at least 1)
  CallOptions call{};            // each item's
};

// Obtained from Client::get_collection and owned by the client: valid while the client
// object lives. Operations may run concurrently from several coroutines. Every operation
// throws client_closed once the client is closed; invalid_argument for an empty key, a
// document check_document refuses (a number JSON cannot write, nesting deeper than
// kMaxDocumentDepth), or a key or document the driver's database cannot hold (the Cassandra
// driver's size limits); unreadable_document (naming the key) when a stored document cannot
// be read; and the connection/server errors of the driver.
class Collection {
 public:
  virtual ~Collection() = default;
  Collection(const Collection&) = delete;
  Collection& operator=(const Collection&) = delete;

  // The name as the driver stores it (the Cassandra driver folds it to lower case).
  const std::string& name() const noexcept { return name_; }

  // The document at `key` with "_id" set to `key`, or nullopt when there is none.
  asio::awaitable<std::optional<Document>> get(std::string_view key, CallOptions options = {});
  // Stores `doc` at `key`, replacing what was there (upsert).
  asio::awaitable<void> store(std::string_view key, Document doc, CallOptions options = {});
  // Removes the document at `key`; no-op when there is none.
  asio::awaitable<void> del(std::string_view key, CallOptions options = {});
  // Stores `doc` under a new UUIDv4 key, which it also writes as "_id", and returns the key.
  asio::awaitable<std::string> insert(Document doc, CallOptions options = {});
  // Shallow merge: each member of `patch` replaces the document's member of that name.
  // Throws document_not_found when `key` holds no document. Never loses a concurrent update.
  asio::awaitable<void> update(std::string_view key, Document patch, CallOptions options = {});
  // Writes each (key, document) with store(), at most options.concurrency at once, and goes on
  // past failures: each is reported in the result (with its index), none is thrown. Not a
  // batch: each item is its own write, applied or failed alone. Runs on the caller's
  // executor; throws only client_closed (before starting) and invalid_argument for a
  // concurrency of 0.
  asio::awaitable<BulkResult> store_many(std::vector<std::pair<std::string, Document>> items,
                                         BulkOptions options = {});
  // The same for del() of each key.
  asio::awaitable<BulkResult> delete_many(std::vector<std::string> keys, BulkOptions options = {});
  // The documents matching `filter` (all of them by default), each with "_id".
  asio::awaitable<Cursor> find(const filter::Ast& filter = {}, FindOptions options = {});
  asio::awaitable<Cursor> find(const filter::Filter& filter, FindOptions options = {});

 protected:
  Collection(Client& client, std::string name) : client_(client), name_(std::move(name)) {}

  // Driver hooks, called after the core's checks. The default throws unsupported_operation.
  // `options` lives in the calling operation's frame until the hook's awaitable completes (by
  // reference: a copy in every coroutine frame of the chain measurably slowed each call).
  virtual asio::awaitable<std::optional<Document>> do_get(std::string key,
                                                          const CallOptions& options);
  virtual asio::awaitable<void> do_store(std::string key, Document doc, const CallOptions& options);
  virtual asio::awaitable<void> do_del(std::string key, const CallOptions& options);
  virtual asio::awaitable<void> do_insert(std::string key, Document doc,
                                          const CallOptions& options);
  virtual asio::awaitable<void> do_update(std::string key, Document patch,
                                          const CallOptions& options);
  virtual asio::awaitable<Cursor> do_find(const filter::Ast& filter, FindOptions options);

  Client& client() noexcept { return client_; }

 private:
  void check_open() const;
  Client& client_;
  std::string name_;
};

}  // namespace nosqlc
