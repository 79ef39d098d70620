// The shared state of a Session, in four parts, each implemented in its own file: the pool
// (pool.cpp), the prepared statements (prepared_cache.cpp), event registration
// (event_registration.cpp) and statements (session.cpp); pager.cpp pages through it.
// Internal.
//
// Threads: the control strand `ex` owns everything here unless a member says otherwise.
// Connections live on their own executors (the strand itself, or one I/O thread each). The
// hot path (execute, query) runs on the caller's executor: it picks an open connection under
// `open_mutex` and hands its request to that connection directly, never through the strand.
#pragma once

#include "internal.hpp"
#include "io_threads.hpp"
#include "nosqlc/protocol/client/session.hpp"
#include "signal.hpp"

#include <asio/co_spawn.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <atomic>
#include <exception>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace nosqlc::protocol {

[[noreturn]] inline void throw_client(client_errc code, const std::string& message) {
  throw ClientError(make_error_code(code), message);
}

// Runs `op` on `ex` and resumes the caller on its own executor.
template <class T>
asio::awaitable<T> on_strand(const asio::any_io_executor& ex, asio::awaitable<T> op) {
  co_return co_await asio::co_spawn(ex, std::move(op), asio::use_awaitable);
}

// One PREPARE in flight or done, shared by everyone asking for the same text meanwhile.
struct PrepareState {
  explicit PrepareState(const asio::any_io_executor& ex) : done(ex) {}
  detail::Signal done;
  PreparedPtr prepared;
  std::exception_ptr error;
};

// A PREPARE sent again on one connection after Unprepared; in flight only.
struct Reprepare {
  Connection connection;
  std::shared_ptr<PrepareState> state;
};

struct Slot {
  Endpoint endpoint;
  asio::any_io_executor executor;  // where its connections live
  std::optional<Connection> connection;
  std::string last_error;
};

struct Session::Impl : std::enable_shared_from_this<Session::Impl> {
  Impl(asio::any_io_executor control, SessionOptions o,
       std::shared_ptr<detail::IoThreads> io_threads);

  // Null: connections live on the strand. First, so destroyed last: every timer and socket
  // below goes while its io_context is still there.
  std::shared_ptr<detail::IoThreads> threads;
  asio::any_io_executor ex;  // the control strand
  SessionOptions opt;
  std::atomic<bool> closed{false};  // read from any thread

  // ---- Pool (pool.cpp) ----
  std::vector<std::unique_ptr<Slot>> slots;
  std::vector<std::unique_ptr<asio::steady_timer>> backoff_timers;
  std::atomic<std::size_t> open_count{0};
  std::mutex open_mutex;         // guards `open` and `next_pick`, from any thread
  std::vector<Connection> open;  // the slots' open connections
  std::size_t next_pick = 0;
  std::minstd_rand rng{std::random_device{}()};
  // Pulsed whenever a connection opens, so requests waiting for one can go on. Each waiter
  // holds the signal it waits on: its wake-up may run after any handler posted here.
  std::shared_ptr<detail::Signal> pool_signal;

  asio::any_io_executor executor_for(std::size_t slot_index) const;
  void start_slot(std::unique_ptr<Slot> slot);
  static asio::awaitable<void> slot_loop(std::shared_ptr<Impl> self, Slot* slot,
                                         asio::steady_timer* backoff_timer);
  asio::awaitable<void> keep_connected(Slot& slot, asio::steady_timer& backoff_timer);
  asio::awaitable<Connection> open_for(const Slot& slot);
  void add_open(const Connection& c);
  void remove_open(const Connection& c);
  void pulse_pool();
  std::chrono::milliseconds jittered(std::chrono::milliseconds d);
  std::chrono::milliseconds doubled(std::chrono::milliseconds d) const;
  std::string pool_errors() const;
  // Any thread: the open connection with the fewest requests in flight, round-robin among
  // equals; nullopt when none is open.
  std::optional<Connection> try_pick();
  // On the strand: as try_pick, waiting up to the connect timeout for a connection to open.
  asio::awaitable<Connection> pick();
  // Any thread: try_pick, else pick on the strand. (Statements try try_pick first
  // themselves: a coroutine frame less on their hot path.)
  asio::awaitable<Connection> pick_anywhere();
  std::vector<Connection> open_connections_now();
  void close_pool();

  // ---- Prepared statements (prepared_cache.cpp) ----
  // Keyed by cache_key(keyspace, text): Cassandra binds a prepared statement to the keyspace
  // in use when it was prepared, so one text prepared under two keyspaces is two statements.
  std::map<std::string, std::shared_ptr<PrepareState>, std::less<>> prepared;
  std::multimap<std::string, Reprepare, std::less<>> reprepares;
  std::shared_ptr<detail::Signal> keyspace_turn;  // set when the latest set_keyspace ends

  asio::awaitable<void> keyspace_settled();
  asio::awaitable<PreparedPtr> prepare_on(Connection c, const std::string& cql,
                                          std::string keyspace);
  asio::awaitable<PreparedPtr> prepare(std::string cql);
  asio::awaitable<PreparedPtr> reprepare(Connection c, PreparedPtr old);

  // ---- Events (event_registration.cpp) ----
  // The server sends events only on connections that sent REGISTER: one connection does, and
  // another takes over when it closes.
  EventHandler on_event;
  std::vector<std::string> event_types;
  std::optional<Connection> events_on;
  bool registering = false;

  EventHandler event_forwarder();
  static asio::awaitable<void> register_events(std::shared_ptr<Impl> self);
  void want_events();
  void set_events(EventHandler handler, std::vector<std::string> types);

  // ---- Statements (session.cpp) ----
  QueryParameters params_for(const StatementOptions& o, std::vector<Value> values,
                             std::optional<BytesView> paging_state) const;
  // Any thread. Static, so that the coroutine's frame owns the session's state.
  static asio::awaitable<QueryResult> execute(std::shared_ptr<Impl> self, PreparedPtr p,
                                              std::vector<Value> values, StatementOptions o,
                                              std::optional<BytesView> paging);
  asio::awaitable<QueryResult> batch(BatchType type, std::vector<Session::BatchItem> items,
                                     StatementOptions o);
  // On the strand.
  asio::awaitable<void> set_keyspace(std::string keyspace);
  void close_now();
};

}  // namespace nosqlc::protocol
