#include "nosqlc/protocol/client/session.hpp"

#include "internal.hpp"
#include "nosqlc/protocol/engine/handshake.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/post.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <atomic>
#include <map>
#include <random>
#include <utility>

namespace nosqlc::protocol {
namespace {

using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

[[noreturn]] void throw_client(client_errc code, const std::string& message) {
  throw ClientError(make_error_code(code), message);
}

// A steady_timer used as a one-shot event: wait() resumes once set() was called.
class Signal {
 public:
  explicit Signal(const asio::any_io_executor& ex) : timer_(ex, Clock::time_point::max()) {}
  void set() {
    set_ = true;
    timer_.cancel();
  }
  bool is_set() const noexcept { return set_; }
  asio::awaitable<void> wait() {
    while (!set_) {
      std::error_code ec;
      co_await timer_.async_wait(asio::redirect_error(use_awaitable, ec));
    }
  }

 private:
  asio::steady_timer timer_;
  bool set_ = false;
};

// One PREPARE in flight or done, shared by everyone asking for the same text meanwhile.
struct PrepareState {
  explicit PrepareState(const asio::any_io_executor& ex) : done(ex) {}
  Signal done;
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
  std::optional<Connection> connection;
  std::string last_error;
};

void require_statement(const PreparedPtr& p) {
  if (!p) throw ClientError(make_error_code(errc::invalid_value), "no prepared statement given");
}

}  // namespace

QueryResult::QueryResult(ReplyPtr reply) : reply_(std::move(reply)) {
  const auto* r = std::get_if<Result>(&reply_->message);
  if (r == nullptr) throw_client(client_errc::unsupported_server, "answer is not a RESULT");
  result_ = r;
}

std::optional<BytesView> QueryResult::paging_state() const noexcept {
  if (const auto* rows = this->rows()) return rows->metadata.paging_state;
  return std::nullopt;
}

// Everything below runs on the strand `ex`, except open_count reads.
struct Session::Impl : std::enable_shared_from_this<Session::Impl> {
  Impl(asio::any_io_executor executor, SessionOptions o)
      : ex(asio::make_strand(executor)), opt(std::move(o)) {}

  asio::any_io_executor ex;
  SessionOptions opt;
  std::vector<std::unique_ptr<Slot>> slots;
  std::vector<std::unique_ptr<asio::steady_timer>> backoff_timers;
  // Keyed by cache_key(keyspace, text): Cassandra binds a prepared statement to the keyspace
  // in use when it was prepared, so one text prepared under two keyspaces is two statements.
  std::map<std::string, std::shared_ptr<PrepareState>, std::less<>> prepared;
  std::multimap<std::string, Reprepare, std::less<>> reprepares;
  std::shared_ptr<Signal> keyspace_turn;  // set when the latest set_keyspace ends
  EventHandler on_event;
  // The server sends events only on connections that sent REGISTER: one connection does, and
  // another takes over when it closes.
  std::vector<std::string> event_types;
  std::optional<Connection> events_on;
  bool registering = false;
  bool closed = false;
  std::atomic<std::size_t> open_count{0};
  std::size_t next_pick = 0;
  std::minstd_rand rng{std::random_device{}()};
  // Pulsed whenever a connection opens, so requests waiting for one can go on. Each waiter
  // holds the signal it waits on: its wake-up may run after any handler posted here.
  std::shared_ptr<Signal> pool_signal = std::make_shared<Signal>(ex);

  void pulse_pool() {
    auto old = std::exchange(pool_signal, std::make_shared<Signal>(ex));
    old->set();
  }

  EventHandler event_forwarder() {
    std::weak_ptr<Impl> weak = shared_from_this();
    return [weak](const Event& e) {
      auto self = weak.lock();
      if (!self || !self->on_event) return;
      // A connection registered for earlier types may still send those.
      static constexpr std::string_view kinds[] = {"TOPOLOGY_CHANGE", "STATUS_CHANGE",
                                                   "SCHEMA_CHANGE"};
      const auto& types = self->event_types;
      if (std::find(types.begin(), types.end(), kinds[e.index()]) == types.end()) return;
      self->on_event(e);
    };
  }

  // REGISTERs for `event_types` on one open connection unless one already is registered.
  static asio::awaitable<void> register_events(std::shared_ptr<Impl> self) {
    if (self->registering || self->event_types.empty()) co_return;
    self->registering = true;
    detail::ScopeExit done([&self] { self->registering = false; });
    while (!self->closed && !(self->events_on && self->events_on->is_open())) {
      self->events_on.reset();
      std::optional<Connection> candidate;
      for (const auto& slot : self->slots) {
        if (slot->connection && slot->connection->is_open()) {
          candidate = *slot->connection;
          break;
        }
      }
      if (!candidate) co_return;  // the next connection to open registers
      Register r;
      r.events = self->event_types;
      try {
        co_await candidate->request(r);
        // on_event may have changed the types meanwhile: register those instead.
        if (r.events == self->event_types) self->events_on = std::move(candidate);
      } catch (const CqlError&) {
        co_return;  // the server refuses these event types: retrying cannot help
      } catch (const std::exception&) {
        candidate->close();  // its slot reconnects; try another connection
      }
    }
  }

  void want_events() {
    if (event_types.empty() || closed) return;
    asio::co_spawn(ex, register_events(shared_from_this()), asio::detached);
  }

  // Uniform in [d/2, d]: slots that lost their connections together spread their retries.
  std::chrono::milliseconds jittered(std::chrono::milliseconds d) {
    auto n = std::max<std::chrono::milliseconds::rep>(d.count(), 0);
    std::uniform_int_distribution<std::chrono::milliseconds::rep> dist(n / 2, n);
    return std::chrono::milliseconds(dist(rng));
  }

  std::chrono::milliseconds doubled(std::chrono::milliseconds d) const {
    return d >= opt.reconnect_max / 2 ? opt.reconnect_max : d * 2;
  }

  // Opens a connection for `slot`, with the keyspace current when it is ready: set_keyspace
  // may run while it opens.
  asio::awaitable<Connection> open_for(const Slot& slot) {
    std::string keyspace = opt.keyspace;
    auto c =
        co_await Connection::open(ex, slot.endpoint, opt.connection, keyspace, event_forwarder());
    while (!closed && opt.keyspace != keyspace) {
      keyspace = opt.keyspace;
      std::string use = use_statement(keyspace);
      Query q;
      q.query = use;
      q.params.consistency = Consistency::one;
      co_await c.request(q);
    }
    co_return c;
  }

  // Keeps one pool slot connected for the session's life, with exponential backoff and
  // jitter between failed attempts.
  static asio::awaitable<void> slot_loop(std::shared_ptr<Impl> self, Slot* slot,
                                         asio::steady_timer* backoff_timer) {
    try {
      co_await self->keep_connected(*slot, *backoff_timer);
    } catch (const std::exception& e) {  // detached: say why the slot stopped
      slot->last_error = std::string("reconnection stopped: ") + e.what();
    }
  }

  asio::awaitable<void> keep_connected(Slot& slot, asio::steady_timer& backoff_timer) {
    auto backoff = opt.reconnect_base;
    while (!closed) {
      if (!slot.connection) {
        try {
          auto c = co_await open_for(slot);
          if (closed) {
            c.close();
            break;
          }
          slot.connection = std::move(c);
          slot.last_error.clear();
          ++open_count;
          backoff = opt.reconnect_base;
          pulse_pool();
          want_events();
        } catch (const std::exception& e) {
          slot.last_error = e.what();
        }
      }
      if (slot.connection) {
        co_await slot.connection->wait_closed();
        slot.last_error = slot.connection->close_reason();
        const bool had_events = events_on && *events_on == *slot.connection;
        slot.connection.reset();
        if (had_events) {
          events_on.reset();
          want_events();
        }
        if (closed) break;  // close() already zeroed open_count
        --open_count;
      }
      backoff_timer.expires_after(jittered(backoff));
      std::error_code ec;
      co_await backoff_timer.async_wait(asio::redirect_error(use_awaitable, ec));
      backoff = doubled(backoff);
    }
  }

  void start_slot(std::unique_ptr<Slot> slot) {
    auto timer = std::make_unique<asio::steady_timer>(ex);
    Slot* s = slot.get();
    asio::steady_timer* t = timer.get();
    if (s->connection) ++open_count;
    slots.push_back(std::move(slot));
    backoff_timers.push_back(std::move(timer));
    asio::co_spawn(ex, slot_loop(shared_from_this(), s, t), asio::detached);
  }

  std::string pool_errors() const {
    std::string s;
    for (const auto& slot : slots) {
      if (slot->last_error.empty()) continue;
      if (!s.empty()) s += "; ";
      s += to_string(slot->endpoint) + ": " + slot->last_error;
    }
    return s.empty() ? "no connection is open" : s;
  }

  // The open connection with the fewest requests in flight, over every host, waiting up to
  // the connect timeout for one to open.
  asio::awaitable<Connection> pick() {
    auto deadline = detail::deadline_after(opt.connection.connect_timeout);
    while (true) {
      if (closed) throw_client(client_errc::closed, "session is closed");
      Connection* best = nullptr;
      const std::size_t n = slots.size();
      for (std::size_t i = 0; i < n; ++i) {
        auto& slot = slots[(next_pick + i) % n];
        if (!slot->connection || !slot->connection->is_open()) continue;
        if (best == nullptr || slot->connection->in_flight() < best->in_flight()) {
          best = &*slot->connection;
        }
      }
      if (best != nullptr) {
        ++next_pick;
        co_return *best;
      }
      if (Clock::now() >= deadline) {
        throw_client(client_errc::connection_error, "no host available: " + pool_errors());
      }
      // Wait for a connection to open, or the deadline.
      asio::steady_timer limit(ex);
      limit.expires_at(deadline);
      auto signal = pool_signal;
      std::weak_ptr<Impl> weak = shared_from_this();
      limit.async_wait([weak, signal](std::error_code ec) {
        auto self = weak.lock();
        if (!ec && self && self->pool_signal == signal) self->pulse_pool();
      });
      co_await signal->wait();
      limit.cancel();
    }
  }

  QueryParameters params_for(const StatementOptions& o, std::vector<Value> values,
                             std::optional<BytesView> paging_state) const {
    QueryParameters p;
    p.consistency = o.consistency.value_or(opt.consistency);
    p.serial_consistency = o.serial_consistency.value_or(opt.serial_consistency);
    p.values = std::move(values);
    std::int32_t page = o.page_size.value_or(opt.page_size);
    if (page > 0) p.page_size = page;
    p.paging_state = paging_state;
    p.default_timestamp = o.timestamp;
    return p;
  }

  static std::string cache_key(std::string_view keyspace, std::string_view cql) {
    std::string key(keyspace);
    key += '\0';  // no keyspace name holds a NUL
    key += cql;
    return key;
  }

  // Resumes once no set_keyspace is under way: until then connections differ in keyspace,
  // and a statement prepared on one of them could belong to either.
  asio::awaitable<void> keyspace_settled() {
    while (keyspace_turn && !keyspace_turn->is_set()) {
      auto turn = keyspace_turn;
      co_await turn->wait();
    }
  }

  asio::awaitable<PreparedPtr> prepare_on(Connection c, const std::string& cql,
                                          std::string keyspace) {
    Prepare p;
    p.query = cql;
    auto reply = co_await c.request(p);
    const auto* result = std::get_if<Result>(&reply->message);
    const auto* pr = result ? std::get_if<PreparedResult>(result) : nullptr;
    if (pr == nullptr)
      throw_client(client_errc::unsupported_server, "PREPARE answered without an id");
    auto out = std::make_shared<Prepared>();
    out->query = cql;
    out->keyspace = std::move(keyspace);
    out->id.assign(pr->id.begin(), pr->id.end());
    out->metadata = pr->metadata;
    out->result_metadata = pr->result_metadata;
    out->result_metadata.paging_state.reset();
    co_return out;
  }

  asio::awaitable<PreparedPtr> prepare(std::string cql) {
    co_await keyspace_settled();
    const std::string keyspace = opt.keyspace;
    const std::string key = cache_key(keyspace, cql);
    if (auto it = prepared.find(key); it != prepared.end()) {
      auto state = it->second;
      co_await state->done.wait();
      if (state->error) std::rethrow_exception(state->error);
      co_return state->prepared;
    }
    auto state = std::make_shared<PrepareState>(ex);
    prepared.emplace(key, state);
    try {
      state->prepared = co_await prepare_on(co_await pick(), cql, keyspace);
    } catch (...) {
      state->error = std::current_exception();
      prepared.erase(key);  // a later call tries again
    }
    state->done.set();
    if (state->error) std::rethrow_exception(state->error);
    co_return state->prepared;
  }

  // PREPARE `cql` again on `c`, which answered Unprepared. Requests that hit Unprepared on
  // one connection together (after a restart) share one PREPARE.
  // A statement prepared under another keyspace cannot be prepared again faithfully (a v4
  // PREPARE has no keyspace): that is an error, not a silent switch of tables.
  asio::awaitable<PreparedPtr> reprepare(Connection c, PreparedPtr old) {
    co_await keyspace_settled();
    if (!old->keyspace.empty() && old->keyspace != opt.keyspace) {
      throw ClientError(make_error_code(errc::invalid_value),
                        "the server lost prepared statement \"" + old->query +
                            "\", prepared in keyspace \"" + old->keyspace +
                            "\", and the session now uses keyspace \"" + opt.keyspace +
                            "\": prepare it again");
    }
    const std::string& cql = old->query;
    const std::string key = cache_key(old->keyspace, cql);
    for (auto [it, end] = reprepares.equal_range(key); it != end; ++it) {
      if (!(it->second.connection == c)) continue;
      auto state = it->second.state;
      co_await state->done.wait();
      if (state->error) std::rethrow_exception(state->error);
      co_return state->prepared;
    }
    auto state = std::make_shared<PrepareState>(ex);
    auto entry = reprepares.emplace(key, Reprepare{c, state});
    try {
      state->prepared = co_await prepare_on(c, cql, old->keyspace);
    } catch (...) {
      state->error = std::current_exception();
    }
    reprepares.erase(entry);
    state->done.set();
    if (state->error) std::rethrow_exception(state->error);
    if (auto it = prepared.find(key);
        it != prepared.end() && it->second->done.is_set() && !it->second->error) {
      it->second->prepared = state->prepared;  // later prepare() calls get the fresh one
    }
    co_return state->prepared;
  }

  static bool is_unprepared(const CqlError& e) {
    return e.server_code() == ServerErrorCode::unprepared;
  }

  asio::awaitable<QueryResult> execute(PreparedPtr p, std::vector<Value> values, StatementOptions o,
                                       std::optional<BytesView> paging) {
    require_statement(p);
    auto c = co_await pick();
    for (int attempt = 0;; ++attempt) {
      Execute e;
      e.id = p->id;
      e.params = params_for(o, values, paging);
      try {
        co_return QueryResult(co_await c.request(e, o.timeout));
      } catch (const CqlError& err) {
        if (!is_unprepared(err) || attempt > 0) throw;
      }
      // The server lost the statement (a restart): prepare it there again and retry once.
      p = co_await reprepare(c, p);
    }
  }

  asio::awaitable<QueryResult> batch(BatchType type, std::vector<Session::BatchItem> items,
                                     StatementOptions o) {
    for (const auto& item : items)
      require_statement(item.prepared);
    auto c = co_await pick();
    // Each statement the server may have forgotten is prepared again once.
    for (std::size_t attempt = 0;; ++attempt) {
      Batch b;
      b.type = type;
      b.consistency = o.consistency.value_or(opt.consistency);
      b.serial_consistency = o.serial_consistency.value_or(opt.serial_consistency);
      b.default_timestamp = o.timestamp;
      for (const auto& item : items)
        b.statements.push_back(BatchStatement{BytesView(item.prepared->id), item.values});
      PreparedPtr forgotten;
      try {
        co_return QueryResult(co_await c.request(b, o.timeout));
      } catch (const CqlError& err) {
        if (!is_unprepared(err) || attempt >= items.size()) throw;
        for (const auto& item : items) {
          if (item.prepared->id == err.unprepared_id()) forgotten = item.prepared;
        }
        if (!forgotten) throw;  // not one of ours: retrying cannot help
      }
      auto fresh = co_await reprepare(c, forgotten);
      for (auto& item : items) {
        if (item.prepared->id == forgotten->id) item.prepared = fresh;
      }
    }
  }

  asio::awaitable<void> set_keyspace(std::string keyspace) {
    // One at a time, so that every connection ends on the last keyspace asked for.
    auto previous = std::exchange(keyspace_turn, std::make_shared<Signal>(ex));
    detail::ScopeExit next_turn([mine = keyspace_turn] { mine->set(); });
    if (previous) co_await previous->wait();
    std::string use = use_statement(keyspace);
    Query q;
    q.query = use;
    q.params.consistency = Consistency::one;
    // The first USE checks the keyspace exists before anything changes.
    auto first = co_await pick();
    co_await first.request(q);
    opt.keyspace = keyspace;
    std::vector<Connection> others;
    for (const auto& slot : slots) {
      if (slot->connection && slot->connection->is_open() && !(*slot->connection == first)) {
        others.push_back(*slot->connection);
      }
    }
    for (auto& c : others) {
      try {
        co_await c.request(q);
      } catch (const std::exception&) {
        c.close();  // its slot reconnects, with the new keyspace
      }
    }
  }

  void close_now() {
    if (closed) return;
    closed = true;
    open_count = 0;
    for (auto& t : backoff_timers)
      t->cancel();
    for (auto& s : slots) {
      if (s->connection) s->connection->close();
    }
    events_on.reset();
    pulse_pool();
  }
};

namespace {

// Runs `op` on the session's strand and resumes the caller on its own executor.
template <class T>
asio::awaitable<T> on_strand(const asio::any_io_executor& ex, asio::awaitable<T> op) {
  co_return co_await asio::co_spawn(ex, std::move(op), use_awaitable);
}

}  // namespace

asio::awaitable<std::shared_ptr<Session>> Session::connect(asio::any_io_executor ex,
                                                           SessionOptions options) {
  if (options.contact_points.empty()) {
    throw_client(client_errc::connection_error, "no contact points given");
  }
  if (options.pool_size == 0 || options.pool_size > 1024) {
    throw ClientError(make_error_code(errc::invalid_value),
                      "pool_size must be 1 to 1024, not " + std::to_string(options.pool_size));
  }
  detail::check_options(options.connection);
  auto impl = std::make_shared<Impl>(ex, std::move(options));
  // Coroutine lambdas are named: g++ 12 destroys a temporary closure (and so its captures)
  // while the coroutine it started is still suspended.
  auto connect_first =
      [impl]() -> asio::awaitable<std::optional<std::pair<std::size_t, Connection>>> {
    std::string errors;
    for (std::size_t i = 0; i < impl->opt.contact_points.size(); ++i) {
      try {
        auto c =
            co_await Connection::open(impl->ex, impl->opt.contact_points[i], impl->opt.connection,
                                      impl->opt.keyspace, impl->event_forwarder());
        co_return std::make_pair(i, std::move(c));
      } catch (const ClientError& e) {
        if (!errors.empty()) errors += "; ";
        errors += e.what();
        if (impl->opt.contact_points.size() == 1) throw;
        if (i + 1 == impl->opt.contact_points.size()) {
          throw ClientError(e.code(), "no contact point reachable: " + errors);
        }
      }
    }
    co_return std::nullopt;
  };
  auto first = co_await asio::co_spawn(impl->ex, connect_first(), use_awaitable);
  auto fill_pool = [impl, &first]() -> asio::awaitable<void> {
    for (std::size_t h = 0; h < impl->opt.contact_points.size(); ++h) {
      for (std::size_t k = 0; k < impl->opt.pool_size; ++k) {
        auto slot = std::make_unique<Slot>();
        slot->endpoint = impl->opt.contact_points[h];
        if (first && first->first == h && k == 0) slot->connection = std::move(first->second);
        impl->start_slot(std::move(slot));
      }
    }
    co_return;
  };
  co_await asio::co_spawn(impl->ex, fill_pool(), use_awaitable);
  co_return std::shared_ptr<Session>(new Session(impl));
}

Session::~Session() {
  try {
    asio::post(impl_->ex, [impl = impl_] { impl->close_now(); });
  } catch (...) {  // out of memory: the connections close when their peers do
  }
}

asio::awaitable<QueryResult> Session::query(std::string cql, std::vector<Value> values,
                                            StatementOptions options) {
  auto impl = impl_;
  auto op = [impl, cql = std::move(cql), values = std::move(values),
             options]() mutable -> asio::awaitable<QueryResult> {
    Query q;
    q.query = cql;
    q.params = impl->params_for(options, std::move(values), std::nullopt);
    auto c = co_await impl->pick();
    co_return QueryResult(co_await c.request(q, options.timeout));
  };
  co_return co_await on_strand(impl->ex, op());
}

asio::awaitable<PreparedPtr> Session::prepare(std::string cql) {
  auto impl = impl_;
  co_return co_await on_strand(impl->ex, impl->prepare(std::move(cql)));
}

asio::awaitable<QueryResult> Session::execute(PreparedPtr prepared, std::vector<Value> values,
                                              StatementOptions options) {
  auto impl = impl_;
  co_return co_await on_strand(
      impl->ex, impl->execute(std::move(prepared), std::move(values), options, std::nullopt));
}

asio::awaitable<QueryResult> Session::batch(BatchType type, std::vector<BatchItem> items,
                                            StatementOptions options) {
  auto impl = impl_;
  co_return co_await on_strand(impl->ex, impl->batch(type, std::move(items), options));
}

asio::awaitable<bool> Session::wait_for_schema_agreement(std::chrono::milliseconds max_wait) {
  auto impl = impl_;
  auto op = [impl, max_wait]() -> asio::awaitable<bool> {
    auto deadline = detail::deadline_after(max_wait);
    while (true) {
      // Both tables through one connection, so they describe one coordinator's view.
      auto c = co_await impl->pick();
      std::vector<Bytes> versions;
      for (std::string_view cql : {"SELECT schema_version FROM system.local WHERE key='local'",
                                   "SELECT schema_version FROM system.peers"}) {
        Query q;
        q.query = cql;
        q.params.consistency = Consistency::one;
        QueryResult r(co_await c.request(q));
        if (const auto* rows = r.rows()) {
          for (auto row : rows->rows()) {
            if (auto cell = row[0]) versions.emplace_back(cell->begin(), cell->end());
          }
        }
      }
      bool agree = std::all_of(versions.begin(), versions.end(),
                               [&](const Bytes& v) { return v == versions.front(); });
      if (agree) co_return true;
      if (Clock::now() >= deadline) co_return false;
      asio::steady_timer pause(impl->ex);
      pause.expires_after(std::chrono::milliseconds(200));
      std::error_code ec;
      co_await pause.async_wait(asio::redirect_error(use_awaitable, ec));
    }
  };
  co_return co_await on_strand(impl->ex, op());
}

asio::awaitable<void> Session::set_keyspace(std::string keyspace) {
  auto impl = impl_;
  co_await on_strand(impl->ex, impl->set_keyspace(std::move(keyspace)));
}

void Session::on_event(EventHandler handler, std::vector<std::string> event_types) {
  auto impl = impl_;
  asio::post(impl->ex, [impl, h = std::move(handler), types = std::move(event_types)]() mutable {
    impl->on_event = std::move(h);
    const bool changed = types != impl->event_types;
    impl->event_types = std::move(types);
    if (changed && impl->events_on) {
      impl->events_on.reset();  // a connection cannot unregister: the next one registers anew
    }
    impl->want_events();
  });
}

asio::awaitable<void> Session::close() {
  auto impl = impl_;
  auto op = [impl]() -> asio::awaitable<void> {
    impl->close_now();
    co_return;
  };
  co_await on_strand(impl->ex, op());
}

std::size_t Session::open_connections() const {
  return impl_->open_count.load(std::memory_order_relaxed);
}

asio::any_io_executor Session::get_executor() const noexcept {
  return impl_->ex;
}

// ---- Pager ----

struct Pager::State {
  std::shared_ptr<Session::Impl> session;
  PreparedPtr prepared;
  std::vector<std::optional<Bytes>> values;
  StatementOptions options;
  Bytes paging_state;
  bool more = true;
  std::atomic<bool> cancelled{false};  // set by cancel() from any thread
  // The page being fetched: its result or error once `done` is set.
  struct Fetch {
    explicit Fetch(const asio::any_io_executor& ex) : done(ex) {}
    Signal done;
    std::optional<QueryResult> result;
    std::exception_ptr error;
  };
  std::shared_ptr<Fetch> fetch;

  std::vector<Value> value_views() const {
    std::vector<Value> out;
    out.reserve(values.size());
    for (const auto& v : values)
      out.push_back(v ? Value::of(*v) : Value::null());
    return out;
  }

  // Starts fetching the page at `paging_state` (the first page when `first`). The fetch
  // holds the state, so the paging state and values it views outlive it.
  void start(std::shared_ptr<State> self, bool first) {
    auto f = std::make_shared<Fetch>(session->ex);
    fetch = f;
    // co_spawn keeps the function object (and so its captures) until the coroutine ends.
    asio::co_spawn(
        session->ex,
        [self, f, first]() -> asio::awaitable<void> {
          try {
            std::optional<BytesView> ps;
            if (!first) ps = BytesView(self->paging_state);
            f->result.emplace(co_await self->session->execute(self->prepared, self->value_views(),
                                                              self->options, ps));
          } catch (...) {
            f->error = std::current_exception();
          }
          f->done.set();
        },
        asio::detached);
  }
};

Pager Session::pages(PreparedPtr prepared, std::vector<std::optional<Bytes>> values,
                     StatementOptions options) {
  auto state = std::make_shared<Pager::State>();
  state->session = impl_;
  state->prepared = std::move(prepared);
  state->values = std::move(values);
  state->options = options;
  return Pager(std::move(state));
}

asio::awaitable<std::optional<QueryResult>> Pager::next() {
  auto s = state_;
  if (!s) co_return std::nullopt;
  auto op = [s]() -> asio::awaitable<std::optional<QueryResult>> {
    if (s->cancelled || !s->more) co_return std::nullopt;
    if (!s->fetch) s->start(s, true);
    auto f = s->fetch;
    co_await f->done.wait();
    s->fetch.reset();
    if (s->cancelled) co_return std::nullopt;
    if (f->error) {
      s->more = false;
      std::rethrow_exception(f->error);
    }
    auto ps = f->result->paging_state();
    if (ps && !ps->empty()) {
      s->paging_state.assign(ps->begin(), ps->end());
      s->start(s, false);  // prefetch while the caller works on this page
    } else {
      s->more = false;
    }
    co_return std::move(f->result);
  };
  co_return co_await on_strand(s->session->ex, op());
}

void Pager::cancel() {
  if (!state_) return;
  state_->cancelled = true;
  try {
    // The prefetched page, if any, is dropped on the strand that owns it.
    asio::post(state_->session->ex, [s = state_] { s->fetch.reset(); });
  } catch (...) {  // out of memory: the page goes with the state
  }
}

// Dropping a pager only raises the flag: a fetch in flight holds the state and lets it go when
// its page arrives; with none, the state (and any prefetched page) goes with the last owner.
// Nothing is posted, so no executor is touched here.
Pager& Pager::operator=(Pager&& other) noexcept {
  if (this != &other) {
    if (state_) state_->cancelled = true;
    state_ = std::move(other.state_);
  }
  return *this;
}

Pager::~Pager() {
  if (state_) state_->cancelled = true;
}

}  // namespace nosqlc::protocol
