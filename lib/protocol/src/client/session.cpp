#include "nosqlc/protocol/client/session.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/strand.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
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

struct Slot {
  Endpoint endpoint;
  std::optional<Connection> connection;
  std::string last_error;
};

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

struct Session::Impl : std::enable_shared_from_this<Session::Impl> {
  Impl(asio::any_io_executor executor, SessionOptions o)
      : ex(asio::make_strand(executor)), opt(std::move(o)) {}

  asio::any_io_executor ex;
  SessionOptions opt;
  std::vector<std::unique_ptr<Slot>> slots;
  std::vector<std::unique_ptr<asio::steady_timer>> backoff_timers;
  std::map<std::string, std::shared_ptr<PrepareState>, std::less<>> prepared;
  EventHandler on_event;
  bool closed = false;
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
      if (auto self = weak.lock(); self && self->on_event) self->on_event(e);
    };
  }

  std::chrono::milliseconds jittered(std::chrono::milliseconds d) {
    std::uniform_int_distribution<long long> dist(d.count() / 2, d.count());
    return std::chrono::milliseconds(dist(rng));
  }

  // Keeps one pool slot connected for the session's life.
  static asio::awaitable<void> slot_loop(std::shared_ptr<Impl> self, Slot* slot,
                                         asio::steady_timer* backoff_timer) {
    auto backoff = self->opt.reconnect_base;
    while (!self->closed) {
      if (!slot->connection) {
        try {
          auto c = co_await Connection::open(self->ex, slot->endpoint, self->opt.connection,
                                             self->opt.keyspace, self->event_forwarder());
          if (self->closed) {
            c.close();
            break;
          }
          slot->connection = std::move(c);
          slot->last_error.clear();
          backoff = self->opt.reconnect_base;
          self->pulse_pool();
        } catch (const std::exception& e) {
          slot->last_error = e.what();
        }
      }
      if (slot->connection) {
        co_await slot->connection->wait_closed();
        slot->last_error = slot->connection->close_reason();
        slot->connection.reset();
        if (self->closed) break;
      }
      backoff_timer->expires_after(self->jittered(backoff));
      std::error_code ec;
      co_await backoff_timer->async_wait(asio::redirect_error(use_awaitable, ec));
      backoff = std::min(backoff * 2, self->opt.reconnect_max);
    }
  }

  void start_slot(std::unique_ptr<Slot> slot) {
    auto timer = std::make_unique<asio::steady_timer>(ex);
    Slot* s = slot.get();
    asio::steady_timer* t = timer.get();
    slots.push_back(std::move(slot));
    backoff_timers.push_back(std::move(timer));
    asio::co_spawn(ex, slot_loop(shared_from_this(), s, t), asio::detached);
  }

  std::string pool_errors() const {
    std::string s;
    for (const auto& slot : slots) {
      if (slot->last_error.empty()) continue;
      if (!s.empty()) s += "; ";
      s += slot->last_error;
    }
    return s.empty() ? "no connection is open" : s;
  }

  // The open connection with the fewest requests in flight, waiting up to the connect
  // timeout for one to open.
  asio::awaitable<Connection> pick() {
    auto deadline = Clock::now() + opt.connection.connect_timeout;
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
      limit.async_wait([this, signal](std::error_code ec) {
        if (!ec && pool_signal == signal) pulse_pool();
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

  asio::awaitable<ReplyPtr> send(Connection c, const Request& r, const StatementOptions& o) {
    co_return co_await c.request(r, o.timeout);
  }

  asio::awaitable<PreparedPtr> prepare_on(Connection c, const std::string& cql) {
    Prepare p;
    p.query = cql;
    auto reply = co_await c.request(p);
    const auto* result = std::get_if<Result>(&reply->message);
    const auto* pr = result ? std::get_if<PreparedResult>(result) : nullptr;
    if (pr == nullptr)
      throw_client(client_errc::unsupported_server, "PREPARE answered without an id");
    auto out = std::make_shared<Prepared>();
    out->query = cql;
    out->id.assign(pr->id.begin(), pr->id.end());
    out->metadata = pr->metadata;
    out->result_metadata = pr->result_metadata;
    out->result_metadata.paging_state.reset();
    co_return out;
  }

  asio::awaitable<PreparedPtr> prepare(std::string cql) {
    if (auto it = prepared.find(cql); it != prepared.end()) {
      auto state = it->second;
      co_await state->done.wait();
      if (state->error) std::rethrow_exception(state->error);
      co_return state->prepared;
    }
    auto state = std::make_shared<PrepareState>(ex);
    prepared.emplace(cql, state);
    try {
      state->prepared = co_await prepare_on(co_await pick(), cql);
    } catch (...) {
      state->error = std::current_exception();
      prepared.erase(cql);  // a later call tries again
    }
    state->done.set();
    if (state->error) std::rethrow_exception(state->error);
    co_return state->prepared;
  }

  asio::awaitable<QueryResult> execute(PreparedPtr p, std::vector<Value> values, StatementOptions o,
                                       std::optional<BytesView> paging) {
    auto c = co_await pick();
    for (int attempt = 0;; ++attempt) {
      Execute e;
      e.id = p->id;
      e.params = params_for(o, values, paging);
      try {
        co_return QueryResult(co_await send(c, e, o));
      } catch (const CqlError& err) {
        if (err.server_code() != ServerErrorCode::unprepared || attempt > 0) throw;
      }
      // The server lost the statement (a restart, or another node): prepare it there again.
      auto fresh = co_await prepare_on(c, p->query);
      if (auto it = prepared.find(p->query); it != prepared.end() && it->second->done.is_set()) {
        it->second->prepared = fresh;
      }
      p = fresh;
    }
  }

  asio::awaitable<void> close() {
    if (closed) co_return;
    closed = true;
    for (auto& t : backoff_timers)
      t->cancel();
    for (auto& s : slots) {
      if (s->connection) s->connection->close();
    }
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
  auto impl = std::make_shared<Impl>(ex, std::move(options));
  // Coroutine lambdas are named: g++ 12 destroys a temporary closure (and so its captures)
  // while the coroutine it started is still suspended.
  auto connect_first =
      [impl]() -> asio::awaitable<std::optional<std::pair<std::size_t, Connection>>> {
    std::string errors;
    std::exception_ptr last;
    for (std::size_t i = 0; i < impl->opt.contact_points.size(); ++i) {
      try {
        auto c =
            co_await Connection::open(impl->ex, impl->opt.contact_points[i], impl->opt.connection,
                                      impl->opt.keyspace, impl->event_forwarder());
        co_return std::make_pair(i, std::move(c));
      } catch (const ClientError& e) {
        last = std::current_exception();
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
      for (std::size_t k = 0; k < std::max<std::size_t>(1, impl->opt.pool_size); ++k) {
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
  auto impl = impl_;
  asio::co_spawn(
      impl->ex, [impl]() -> asio::awaitable<void> { co_await impl->close(); }, asio::detached);
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
    co_return QueryResult(co_await impl->send(c, q, options));
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
  auto op = [impl, type, items = std::move(items), options]() -> asio::awaitable<QueryResult> {
    Batch b;
    b.type = type;
    b.consistency = options.consistency.value_or(impl->opt.consistency);
    b.serial_consistency = options.serial_consistency.value_or(impl->opt.serial_consistency);
    b.default_timestamp = options.timestamp;
    for (const auto& item : items) {
      b.statements.push_back(BatchStatement{BytesView(item.prepared->id), item.values});
    }
    auto c = co_await impl->pick();
    co_return QueryResult(co_await impl->send(c, b, options));
  };
  co_return co_await on_strand(impl->ex, op());
}

asio::awaitable<bool> Session::wait_for_schema_agreement(std::chrono::milliseconds max_wait) {
  auto impl = impl_;
  auto op = [impl, max_wait]() -> asio::awaitable<bool> {
    auto deadline = Clock::now() + max_wait;
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
      co_await pause.async_wait(use_awaitable);
    }
  };
  co_return co_await on_strand(impl->ex, op());
}

asio::awaitable<void> Session::set_keyspace(std::string keyspace) {
  auto impl = impl_;
  auto op = [impl, keyspace]() -> asio::awaitable<void> {
    impl->opt.keyspace = keyspace;
    std::string use = "USE \"" + keyspace + "\"";
    for (auto& slot : impl->slots) {
      if (!slot->connection || !slot->connection->is_open()) continue;
      Query q;
      q.query = use;
      co_await slot->connection->request(q);
    }
  };
  co_await on_strand(impl->ex, op());
}

void Session::on_event(EventHandler handler) {
  auto impl = impl_;
  asio::post(impl->ex, [impl, h = std::move(handler)]() mutable { impl->on_event = std::move(h); });
}

asio::awaitable<void> Session::close() {
  auto impl = impl_;
  co_await on_strand(impl->ex, impl->close());
}

std::size_t Session::open_connections() const {
  std::size_t n = 0;
  for (const auto& s : impl_->slots)
    n += s->connection && s->connection->is_open();
  return n;
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
  bool cancelled = false;
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

  // Starts fetching the page at `paging_state` (the first page when `first`).
  void start(std::shared_ptr<State> self, bool first) {
    auto f = std::make_shared<Fetch>(session->ex);
    fetch = f;
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
  auto op = [s]() -> asio::awaitable<std::optional<QueryResult>> {
    if (s->cancelled || !s->more) co_return std::nullopt;
    if (!s->fetch) s->start(s, true);
    auto f = s->fetch;
    co_await f->done.wait();
    s->fetch.reset();
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
  auto s = state_;
  asio::post(s->session->ex, [s] {
    s->cancelled = true;
    s->fetch.reset();
  });
}

Pager::~Pager() {
  cancel();
}

}  // namespace nosqlc::protocol
