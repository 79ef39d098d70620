#include "cassandra_collection.hpp"

#include "call_options.hpp"
#include "cassandra_client.hpp"
#include "cql_values.hpp"
#include "error_mapping.hpp"
#include "keys_source.hpp"
#include "nosqlc/nosql/cassandra/key_filter.hpp"
#include "nosqlc/nosql/errors.hpp"
#include "range_scan.hpp"
#include "scan_rows.hpp"

#include <asio/co_spawn.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <nosqlc/protocol/values.hpp>

#include <algorithm>
#include <random>

namespace nosqlc::cassandra {
namespace {

namespace pr = nosqlc::protocol;
using asio::use_awaitable;

// Compare-and-set attempts of one update before giving up with `conflict`, and the cap of the
// random pause between attempts: writers that lost a round spread out instead of meeting
// again in lockstep (the pause doubles per lost round, 1 ms to 64 ms).
constexpr int kMaxCasAttempts = 64;
constexpr int kMaxCasPauseShift = 6;

std::chrono::microseconds cas_pause(int attempt) {
  static thread_local std::minstd_rand rng{std::random_device{}()};
  int cap_us = 1000 << std::min(attempt, kMaxCasPauseShift);
  return std::chrono::microseconds(std::uniform_int_distribution<int>(0, cap_us)(rng));
}
// The `data` text a `get` statement's answer holds: nullopt for no row or a null cell. Views
// the result.
std::optional<std::string_view> stored_text(const pr::QueryResult& r) {
  const auto* rows = r.rows();
  if (rows == nullptr || rows->row_count == 0) return std::nullopt;
  auto cell = (*rows->rows().begin())[0];
  if (!cell) return std::nullopt;
  return as_text(*cell);
}

// Whether a compare-and-set that failed so may have been applied all the same: the connection
// broke or the answer did not come in time after the request left, or the coordinator timed
// out waiting for the Paxos round (WriteTimeout of a CAS write).
bool unknown_outcome(const pr::ClientError& e) {
  if (const auto* cql = dynamic_cast<const pr::CqlError*>(&e)) {
    const auto* d = std::get_if<pr::WriteTimeoutError>(&cql->details());
    return cql->server_code() == pr::ServerErrorCode::write_timeout && d != nullptr &&
           d->write_type == "CAS";
  }
  return e.code() == pr::client_errc::timeout || e.code() == pr::client_errc::connection_error;
}

// A TTL as the [int] seconds `USING TTL ?` binds; invalid_argument past Cassandra's cap.
pr::Bytes ttl_value(std::chrono::seconds ttl) {
  constexpr std::int64_t kMaxTtl = 630'720'000;  // 20 years: Attributes.MAX_TTL
  if (ttl.count() > kMaxTtl) {
    throw Error(errc::invalid_argument, "invalid ttl: " + std::to_string(ttl.count()) +
                                            " s is more than Cassandra's 630720000 (20 years)");
  }
  pr::Bytes out;
  pr::encode_int(static_cast<std::int32_t>(ttl.count()), out);
  return out;
}

// Cassandra refuses partition keys longer than this (FBUtilities.MAX_UNSIGNED_SHORT).
constexpr std::size_t kMaxKeyBytes = 65535;

bool is_utf8(std::string_view s) {
  std::string_view ignored;
  return pr::decode_text(text(s), ignored).ok();
}

// A key the table can hold: checked here so that the caller gets invalid_argument, not the
// server's Invalid.
void check_key(std::string_view key) {
  if (key.size() > kMaxKeyBytes) {
    throw Error(errc::invalid_argument, "invalid key: " + std::to_string(key.size()) +
                                            " bytes, Cassandra keys hold at most 65535");
  }
  if (!is_utf8(key)) throw Error(errc::invalid_argument, "invalid key: not valid UTF-8");
}

// Refuses a `data` text over the URL's max_document_bytes before anything is sent: with the
// default, an update's compare-and-set (old and new text in one frame) fits Cassandra's
// 16 MiB frame and mutation limits.
void check_size(std::size_t bytes, std::size_t limit, const char* what) {
  if (bytes <= limit) return;
  throw Error(errc::invalid_argument, std::string(what) + " is " + std::to_string(bytes) +
                                          " bytes of JSON, more than max_document_bytes (" +
                                          std::to_string(limit) + "); nothing was written");
}

// The document as the `data` text, which CQL requires to be UTF-8.
std::string document_text(const Document& doc, std::size_t limit, const char* what) {
  std::string data = json_text(doc);
  check_size(data.size(), limit, what);
  if (!is_utf8(data)) {
    throw Error(errc::invalid_argument,
                "invalid document: a string in it is not valid UTF-8 (CQL text must be)");
  }
  return data;
}

// Runs `op` on `ex` (the session's strand) and translates its errors.
template <class T>
asio::awaitable<T> on(const asio::any_io_executor& ex, asio::awaitable<T> op) {
  co_return co_await translated(asio::co_spawn(ex, std::move(op), use_awaitable));
}

}  // namespace

CassandraCollection::CassandraCollection(CassandraClient& client, std::string name)
    : Collection(client, name), cass_(client), table_(client.config().keyspace + "." + name) {}

asio::awaitable<std::shared_ptr<const CassandraCollection::Statements>>
CassandraCollection::prepare_all() {
  auto& s = cass_.session();
  if (cass_.config().auto_create) {
    co_await s.query("CREATE TABLE IF NOT EXISTS " + table_ + " (pk text PRIMARY KEY, data text)");
    co_await cass_.after_schema_change();
  } else {
    const std::string& ks = cass_.config().keyspace;
    auto found = co_await s.query(
        "SELECT table_name FROM system_schema.tables WHERE keyspace_name = ? AND table_name = ?",
        values(text(ks), text(name())));
    if (!found.rows() || found.rows()->row_count == 0) {
      throw Error(errc::collection_not_found, "collection \"" + name() +
                                                  "\" does not exist in keyspace \"" + ks +
                                                  "\" (the URL says auto_create=false)");
    }
  }
  auto st = std::make_shared<Statements>();
  st->get = co_await s.prepare("SELECT data FROM " + table_ + " WHERE pk = ?");
  st->put = co_await s.prepare("INSERT INTO " + table_ + " (pk, data) VALUES (?, ?)");
  st->del = co_await s.prepare("DELETE FROM " + table_ + " WHERE pk = ?");
  st->cas = co_await s.prepare("UPDATE " + table_ + " SET data = ? WHERE pk = ? IF data = ?");
  st->select_in = co_await s.prepare("SELECT pk, data FROM " + table_ + " WHERE pk IN ?");
  st->scan_range = co_await s.prepare("SELECT pk, data FROM " + table_ +
                                      " WHERE token(pk) > ? AND token(pk) <= ?");
  co_return st;
}

asio::awaitable<const CassandraCollection::Statements*> CassandraCollection::ready() {
  if (const Statements* st = ready_.load(std::memory_order_acquire)) co_return st;
  co_return co_await on(cass_.executor(), prepare_once());
}

asio::awaitable<const CassandraCollection::Statements*> CassandraCollection::prepare_once() {
  // Runs on the strand: no lock needed around this state.
  while (!statements_) {
    if (!preparing_) {
      preparing_ = true;
      prepared_signal_ = std::make_unique<asio::steady_timer>(
          co_await asio::this_coro::executor, asio::steady_timer::time_point::max());
      std::exception_ptr failure;
      try {
        statements_ = co_await prepare_all();
        ready_.store(statements_.get(), std::memory_order_release);
      } catch (...) {
        failure = std::current_exception();
      }
      preparing_ = false;
      prepared_signal_->cancel();
      if (failure) std::rethrow_exception(failure);  // waiters try again themselves
      break;
    }
    std::error_code ec;
    co_await prepared_signal_->async_wait(asio::redirect_error(use_awaitable, ec));
  }
  co_return statements_.get();
}

// Each operation runs on the caller's executor (the session hands its requests to the
// connections). do_get, do_store and do_del check their arguments and hand over a member
// coroutine that does the work and translates its own errors: one frame per layer less, and
// the arguments live in that frame, which a lambda's captures would not (g++ 12 destroys a
// temporary closure while its coroutine is suspended).
asio::awaitable<std::optional<Document>> CassandraCollection::do_get(std::string key,
                                                                     const CallOptions& options) {
  check_key(key);
  return get_now(std::move(key), options);
}

asio::awaitable<std::optional<Document>> CassandraCollection::get_now(std::string key,
                                                                      const CallOptions& options) {
  try {
    const Statements* st = ready_.load(std::memory_order_acquire);
    if (st == nullptr) st = co_await ready();
    auto r = co_await cass_.session().execute(st->get, values(text(key)),
                                              statement_options(options, false));
    note_trace(options.trace, r);
    auto data = stored_text(r);
    if (!data) co_return std::nullopt;
    co_return read_document(key, *data);
  } catch (...) {
    rethrow_as_nosqlc();
  }
}

asio::awaitable<void> CassandraCollection::do_store(std::string key, Document doc,
                                                    const CallOptions& options) {
  check_key(key);
  std::string data = document_text(doc, cass_.config().max_document_bytes, "the document");
  if (options.ttl) return store_with_ttl(std::move(key), std::move(data), options);
  return store_now(std::move(key), std::move(data), options);
}

// A statement of its own, prepared on first use (cached by the session): plain writes keep
// theirs, and their coroutine frame its size.
asio::awaitable<void> CassandraCollection::store_with_ttl(std::string key, std::string data,
                                                          const CallOptions& options) {
  try {
    const pr::Bytes ttl = ttl_value(*options.ttl);
    co_await ready();
    auto& s = cass_.session();
    auto put_ttl =
        co_await s.prepare("INSERT INTO " + table_ + " (pk, data) VALUES (?, ?) USING TTL ?");
    auto r = co_await s.execute(put_ttl, values(text(key), text(data), pr::BytesView(ttl)),
                                statement_options(options, true));
    note_trace(options.trace, r);
  } catch (...) {
    rethrow_as_nosqlc();
  }
}

asio::awaitable<void> CassandraCollection::store_now(std::string key, std::string data,
                                                     const CallOptions& options) {
  try {
    const Statements* st = ready_.load(std::memory_order_acquire);
    if (st == nullptr) st = co_await ready();
    auto r = co_await cass_.session().execute(st->put, values(text(key), text(data)),
                                              statement_options(options, true));
    note_trace(options.trace, r);
  } catch (...) {
    rethrow_as_nosqlc();
  }
}

asio::awaitable<void> CassandraCollection::do_del(std::string key, const CallOptions& options) {
  check_key(key);
  return del_now(std::move(key), options);
}

asio::awaitable<void> CassandraCollection::del_now(std::string key, const CallOptions& options) {
  try {
    const Statements* st = ready_.load(std::memory_order_acquire);
    if (st == nullptr) st = co_await ready();
    auto r = co_await cass_.session().execute(st->del, values(text(key)),
                                              statement_options(options, true));
    note_trace(options.trace, r);
  } catch (...) {
    rethrow_as_nosqlc();
  }
}

asio::awaitable<void> CassandraCollection::do_insert(std::string key, Document doc,
                                                     const CallOptions& options) {
  co_await do_store(std::move(key), std::move(doc), options);
}

asio::awaitable<void> CassandraCollection::do_update(std::string key, Document patch,
                                                     const CallOptions& options) {
  check_key(key);
  // A bad patch fails before anything is read.
  (void)document_text(patch, cass_.config().max_document_bytes, "the patch");
  co_await translated(update_now(std::move(key), std::move(patch), options));
}

// A shallow merge applied with compare-and-set on the whole `data` text, so that a concurrent
// update of the same key is never lost: when another writer got there first, the merge is
// redone on what it wrote.
asio::awaitable<void> CassandraCollection::update_now(std::string key, Document patch,
                                                      const CallOptions& options) {
  const Statements* st = co_await ready();
  auto& s = cass_.session();
  // The deadline bounds every statement of the update together: each gets what is left.
  const auto until = options.deadline
                         ? std::optional(std::chrono::steady_clock::now() + *options.deadline)
                         : std::nullopt;
  auto left = [&](bool idempotent) {
    CallOptions now = options;
    if (until) {
      const auto rest =
          std::chrono::ceil<std::chrono::milliseconds>(*until - std::chrono::steady_clock::now());
      if (rest.count() <= 0) {
        throw Error(errc::timeout, "update of key \"" + key + "\": the call's deadline passed");
      }
      now.deadline = rest;
    }
    return statement_options(now, idempotent);
  };
  std::optional<std::string> current;
  {
    auto r = co_await s.execute(st->get, values(text(key)), left(true));
    note_trace(options.trace, r);
    if (auto data = stored_text(r)) current.emplace(*data);
  }
  // With a TTL, the compare-and-set sets it too (a statement of its own, prepared on first use).
  pr::PreparedPtr cas = st->cas;
  pr::Bytes ttl;
  if (options.ttl) {
    cas = co_await s.prepare("UPDATE " + table_ +
                             " USING TTL ? SET data = ? WHERE pk = ? IF data = ?");
    ttl = ttl_value(*options.ttl);
  }
  for (int attempt = 0; attempt < kMaxCasAttempts; ++attempt) {
    if (!current) {
      throw Error(errc::document_not_found, "key \"" + key + "\"");
    }
    // The stored text goes back as the compare-and-set's condition: one written by another
    // tool, or under a larger limit, could make the frame too large for the server.
    check_size(current->size(), cass_.config().max_document_bytes,
               "the stored document (an update sends it back as its compare-and-set condition)");
    Document doc = read_document(key, *current);
    doc.erase("_id");
    for (const auto& [field, value] : patch)
      doc[field] = value;
    // UTF-8 already: the stored text is CQL text and the patch was checked in do_update.
    std::string merged = json_text(doc);
    check_size(merged.size(), cass_.config().max_document_bytes, "the updated document");
    pr::QueryResult r;
    std::exception_ptr unknown;
    try {
      if (options.ttl) {
        r = co_await s.execute(
            cas, values(pr::BytesView(ttl), text(merged), text(key), text(*current)), left(false));
      } else {
        r = co_await s.execute(cas, values(text(merged), text(key), text(*current)), left(false));
      }
      note_trace(options.trace, r);
    } catch (const pr::ClientError& e) {
      if (!unknown_outcome(e)) throw;
      unknown = std::current_exception();
    }
    if (unknown) {
      // It may or may not have been applied: read what is there now (through Paxos, which
      // completes a round left half done) rather than send the same compare-and-set again.
      pr::StatementOptions serial = left(true);
      serial.consistency = options.serial_consistency
                               ? *serial.serial_consistency
                               : *pr::consistency_from_string(cass_.config().serial_consistency);
      std::optional<std::string> now;
      try {
        auto again = co_await s.execute(st->get, values(text(key)), serial);
        if (auto data = stored_text(again)) now.emplace(*data);
      } catch (const std::exception&) {
        std::rethrow_exception(unknown);  // the original failure says more
      }
      if (now == merged) co_return;  // it was applied
      current = std::move(now);      // it was not (or was overwritten since): merge again
      continue;
    }
    const auto* rows = r.rows();
    if (rows == nullptr || rows->row_count == 0) {
      throw Error(errc::protocol_error, "conditional update answered without [applied]");
    }
    auto row = *rows->rows().begin();
    int applied_col = column(r, "[applied]");
    auto applied = applied_col >= 0 ? row[static_cast<std::size_t>(applied_col)] : std::nullopt;
    if (!applied || applied->size() != 1) {
      throw Error(errc::protocol_error, "conditional update answered without [applied]");
    }
    if ((*applied)[0] != 0) co_return;
    // Not applied: the row now holds something else (or nothing); merge onto that.
    int data_col = column(r, "data");
    auto now = data_col >= 0 ? row[static_cast<std::size_t>(data_col)] : std::nullopt;
    if (now) {
      current.emplace(as_text(*now));
    } else {
      current.reset();
    }
    asio::steady_timer pause(co_await asio::this_coro::executor, cas_pause(attempt));
    co_await pause.async_wait(use_awaitable);
  }
  throw Error(errc::conflict, "update of key \"" + key + "\" lost " +
                                  std::to_string(kMaxCasAttempts) +
                                  " compare-and-set rounds to concurrent writers");
}

asio::awaitable<Cursor> CassandraCollection::do_find(const filter::Ast& filter,
                                                     FindOptions options) {
  const Statements* st = co_await ready();
  auto keys = key_restriction(filter);
  if (keys) {
    if (options.resume_from) {
      throw Error(errc::invalid_argument,
                  "resume_from resumes a full scan, and this find is restricted to _id keys");
    }
    // A key the table cannot hold matches nothing; sending it would only get Invalid.
    std::erase_if(*keys, [](const std::string& k) {
      return k.empty() || k.size() > kMaxKeyBytes || !is_utf8(k);
    });
    co_return Cursor(std::make_unique<KeysSource>(alive(cass_.weak_session()),
                                                  cass_.config().keyspace, st->select_in,
                                                  std::move(*keys), filter, options.skip_unreadable,
                                                  statement_options(options), options.trace),
                     options.limit);
  }
  auto session = alive(cass_.weak_session());
  RangeScanOptions scan;
  scan.page_options = statement_options(options);
  scan.trace = options.trace;
  if (options.deadline) scan.deadline = std::chrono::steady_clock::now() + *options.deadline;
  scan.skip_unreadable = options.skip_unreadable;
  scan.concurrency = options.scan_concurrency.value_or(cass_.config().scan_concurrency);
  if (scan.concurrency == 0) {  // twice the hosts serving requests: two pages in flight each
    std::size_t used = 0;
    for (const auto& h : session->hosts())
      used += h.used && h.up ? 1 : 0;
    scan.concurrency = std::clamp<std::size_t>(2 * used, 1, 64);
  }
  auto ranges = options.resume_from ? parse_position(*options.resume_from)
                                    : ring_ranges(*session, cass_.config().scan_split);
  co_return Cursor(std::make_unique<RangeScanSource>(cass_.weak_session(), st->scan_range,
                                                     std::move(ranges), filter, std::move(scan)),
                   options.limit);
}

}  // namespace nosqlc::cassandra
