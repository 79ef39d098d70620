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
#include "nosqlc/protocol/client/latency_histogram.hpp"
#include "nosqlc/protocol/client/retry_policy.hpp"
#include "nosqlc/protocol/client/session.hpp"
#include "nosqlc/protocol/client/timestamps.hpp"
#include "nosqlc/protocol/cluster/router.hpp"
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
#include <span>
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

struct HostPool;

// One connection a host's pool keeps open, reconnecting with backoff. The strand's.
struct Slot {
  Endpoint endpoint;
  asio::any_io_executor executor;  // where its connections live
  std::optional<Connection> connection;
  std::string last_error;
  bool removed = false;  // its host left the pool: the loop ends
  // Its host's pool, which holds the slot until the pool stops (stop_pool, close_pool).
  std::shared_ptr<HostPool> pool;
  std::unique_ptr<asio::steady_timer> backoff;
};

// The connections to one host. `open` and `up` are guarded by the session's open_mutex; the
// rest is the strand's.
struct HostPool {
  Endpoint endpoint;
  std::vector<Connection> open;
  // False once the host is reported DOWN or a connection to it fails to open: plans skip it
  // until one opens again or it is reported UP.
  bool up = true;
  std::vector<std::shared_ptr<Slot>> slots;
  std::shared_ptr<HostCounters> counters;  // its connections' traffic (outlives the pool)
};

// What a statement is routed by.
struct RouteHint {
  std::string_view keyspace;
  std::optional<std::int64_t> token;
  bool fixed_order = false;  // a compare-and-set
};

// How one operation runs: whether it may run twice, each attempt's timeout, the deadline of
// them all (time_point::max(): none).
struct Execution {
  bool idempotent = false;
  std::uint64_t id = 0;      // the operation's number for the tracker (0: not tracked)
  bool speculative = false;  // a speculative lane's first attempt is next
  std::optional<std::chrono::milliseconds> attempt_timeout;
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
};

// One operation's attempts so far: the hosts given an attempt (not picked again, except for a
// retry on the same host) and what each failure was, for the error when all fail.
struct Attempts {
  std::vector<Endpoint> used;
  std::string log;
  std::size_t count = 0;  // attempts made
  std::size_t retries = 0;
  std::size_t reprepares = 0;
  RetryCounts counts;
};

// The routing snapshot: replaced whole, under open_mutex, when the cluster changes.
struct Routing {
  Router router;
  std::vector<std::shared_ptr<HostPool>> pools;  // per router host; null when not pooled
};

struct Session::Impl : std::enable_shared_from_this<Session::Impl> {
  Impl(asio::any_io_executor strand_over, SessionOptions o,
       std::shared_ptr<detail::IoThreads> io_threads);

  // Null: connections live on the strand. First, so destroyed last: every timer and socket
  // below goes while its io_context is still there.
  std::shared_ptr<detail::IoThreads> threads;
  asio::any_io_executor ex;  // the control strand
  SessionOptions opt;
  std::atomic<bool> closed{false};  // read from any thread

  // ---- Observability (observability.cpp); any thread ----
  Logger log;
  std::atomic<std::uint64_t> op_requests{0}, op_errors{0}, op_retries{0}, op_speculative{0},
      op_reprepares{0}, op_ids{0};
  std::atomic<std::size_t> prepared_count{0};
  LatencyRecorder op_latency;  // of tracked operations only (a clock read each way)
  std::mutex metrics_mutex;    // guards errors_by_kind, host_counters
  std::map<std::string, std::uint64_t> errors_by_kind;
  std::map<std::string, std::shared_ptr<HostCounters>> host_counters;  // by to_string(endpoint)
  std::shared_ptr<HostCounters> counters_for(const Endpoint& host);
  void count_failure(const std::exception_ptr& failure);
  void log_warnings(const Reply& reply, const Endpoint& host);  // the server's, at warn
  Metrics metrics();
  // The tracker's calls, which swallow what it throws.
  void track_start(std::uint64_t id, const Request& request,
                   std::span<const PreparedPtr> statements);
  void track_attempt(const Execution& how, const Attempts& tries, const Endpoint& host);
  void track_end(std::uint64_t id, std::chrono::steady_clock::time_point started,
                 const std::exception_ptr& failure);

  // ---- Pool (pool.cpp) ----
  std::atomic<std::size_t> open_count{0};
  std::mutex open_mutex;  // guards `routing`, each pool's `open` and `up`, `next_pick`
  std::shared_ptr<const Routing> routing;
  std::size_t next_pick = 0;
  std::map<std::string, std::shared_ptr<HostPool>> pools;  // by to_string(endpoint); strand
  std::size_t slots_started = 0;                           // spreads slots over io threads
  std::minstd_rand rng{std::random_device{}()};
  // Pulsed whenever a connection opens, so requests waiting for one can go on. Each waiter
  // holds the signal it waits on: its wake-up may run after any handler posted here.
  std::shared_ptr<detail::Signal> pool_signal;

  asio::any_io_executor executor_for(std::size_t slot_index) const;
  // Opens pool_size slots to `endpoint` (one of them holding `first` when given).
  std::shared_ptr<HostPool> start_pool(const Endpoint& endpoint,
                                       std::optional<Connection> first = std::nullopt);
  void stop_pool(HostPool& pool);
  void start_slot(const std::shared_ptr<HostPool>& pool, std::optional<Connection> first);
  static asio::awaitable<void> slot_loop(std::shared_ptr<Impl> self, std::shared_ptr<Slot> slot);
  asio::awaitable<void> keep_connected(Slot& slot);
  asio::awaitable<Connection> open_for(const Slot& slot);
  void add_open(HostPool& pool, const Connection& c);
  void remove_open(HostPool& pool, const Connection& c);
  // Marks the host up or down for plans; logs a change, with `why` it went down.
  void set_up(HostPool& pool, bool up, std::string_view why = {});
  void pulse_pool();
  std::chrono::milliseconds jittered(std::chrono::milliseconds d);
  std::chrono::milliseconds doubled(std::chrono::milliseconds d) const;
  std::string pool_errors() const;
  // Any thread: the least busy open connection of the first host in the hint's plan that has
  // one; nullopt when none has.
  std::optional<Connection> try_pick(const RouteHint& hint = {},
                                     std::span<const Endpoint> skip = {});
  // On the strand: as try_pick, waiting up to the connect timeout for a connection to open.
  asio::awaitable<Connection> pick(RouteHint hint = {});
  // Any thread: try_pick, else pick on the strand. (Statements try try_pick first
  // themselves: a coroutine frame less on their hot path.) The hint's keyspace must outlive
  // the call.
  asio::awaitable<Connection> pick_anywhere(RouteHint hint = {});
  std::vector<Connection> open_connections_now();
  void close_pool();

  // ---- The cluster (cluster_view.cpp): the control connection, discovery, events ----
  std::optional<Connection> control;  // registered for every event type
  std::shared_ptr<detail::Signal> control_changed;
  std::map<std::string, Replication> keyspaces;
  std::vector<std::string> skipped_hosts;  // why rows of the last discovery were unusable
  std::string resolved_local_dc;
  bool refresh_wanted = false;  // an event asked for a refresh, which is coming
  std::unique_ptr<asio::steady_timer> refresh_timer;

  // Routing by the contact points alone, for a server whose system tables cannot be read.
  void apply_contact_points();
  // Reads the system tables through `c` and makes the pools and routing follow them. False
  // when the server cannot answer them (routing unchanged); throws when `c` fails.
  asio::awaitable<bool> discover(Connection c);
  // Applies what discovery found: pools opened and closed, the routing snapshot replaced.
  // `translate`: pass the addresses after the first (peers as advertised) through the
  // address translator.
  void apply_hosts(std::vector<HostInfo> hosts, bool translate);
  static asio::awaitable<void> control_loop(std::shared_ptr<Impl> self);
  // Reads the system tables again on the control connection, now (on the strand).
  static asio::awaitable<void> refresh_now(std::shared_ptr<Impl> self);
  asio::awaitable<std::optional<Connection>> open_control();
  // Called on the control connection's executor: hands its events to the strand.
  EventHandler control_events();
  void on_cluster_event(const Event& e);
  void schedule_refresh(std::chrono::milliseconds after);
  bool known_down(const std::string& address);  // any thread

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
  static asio::awaitable<void> prepare_elsewhere(std::shared_ptr<Impl> self,
                                                 std::vector<Connection> hosts, std::string cql,
                                                 std::string keyspace);
  asio::awaitable<void> prepare_known(Connection c);

  // ---- Events for the user (event_registration.cpp) ----
  // The control connection receives every event; the user's handler gets those of the types
  // it asked for.
  EventHandler on_event;
  std::vector<std::string> event_types;

  void deliver_event(const Event& e);
  void set_events(EventHandler handler, std::vector<std::string> types);

  // ---- Statements (session.cpp, execution.cpp) ----
  detail::TimestampGenerator timestamps;

  QueryParameters params_for(const StatementOptions& o, std::vector<Value> values,
                             std::optional<BytesView> paging_state);
  // The statement's timestamp: the one given, else the generator's (unless turned off).
  std::optional<std::int64_t> timestamp_for(const StatementOptions& o);
  // Any thread. Static, so that the coroutine's frame owns the session's state.
  static asio::awaitable<QueryResult> execute(std::shared_ptr<Impl> self, PreparedPtr p,
                                              std::vector<Value> values, StatementOptions o,
                                              std::optional<BytesView> paging);
  asio::awaitable<QueryResult> batch(BatchType type, std::vector<Session::BatchItem> items,
                                     StatementOptions o);
  Execution execution_for(const StatementOptions& o, bool idempotent) const;
  // Whether the statement goes through run() from the start (a deadline to keep, or
  // speculative executions to start) rather than one attempt first.
  bool needs_run(const Execution& how) const {
    return how.deadline != std::chrono::steady_clock::time_point::max() ||
           (how.idempotent && opt.speculative_max > 0) || opt.tracker;
  }
  // The attempts of one operation (execution.cpp): `request` on a connection of the hint's
  // plan, then retried as retry_policy.hpp says, within `how`. Enters with the first attempt's
  // connection and failure when the caller made it (else with neither). `statements` are the
  // prepared statements `request` executes (replaced when prepared again after Unprepared).
  // Throws the last failure, naming the hosts tried and their errors when there were retries.
  static asio::awaitable<ReplyPtr> run(std::shared_ptr<Impl> self, Request& request,
                                       std::span<PreparedPtr> statements, RouteHint hint,
                                       Execution how, std::optional<Connection> c = std::nullopt,
                                       std::exception_ptr failure = nullptr);
  static asio::awaitable<ReplyPtr> run_attempts(std::shared_ptr<Impl> self, Request& request,
                                                std::span<PreparedPtr> statements, RouteHint hint,
                                                Execution how, Attempts& tries,
                                                std::optional<Connection> c,
                                                std::exception_ptr failure);
  // run() with speculative executions: another attempt on the next host each time the
  // current ones have not answered within the speculative delay (on a strand of its own).
  static asio::awaitable<ReplyPtr> race(std::shared_ptr<Impl> self, const Request& request,
                                        std::vector<PreparedPtr> statements, RouteHint hint,
                                        Execution how);
  std::chrono::milliseconds speculative_delay_after(const Endpoint& busy);
  // Latencies per host, for a speculative delay at a percentile (speculative_percentile).
  std::mutex latency_mutex;
  std::map<std::string, std::unique_ptr<detail::LatencyHistogram>> latencies;
  detail::LatencyHistogram& latency_of(const Endpoint& host);
  // On the strand.
  asio::awaitable<void> set_keyspace(std::string keyspace);
  void close_now();
};

}  // namespace nosqlc::protocol
