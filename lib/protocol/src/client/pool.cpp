// The session's pool: pool_size slots per host, each kept connected for the session's life
// (reconnecting with exponential backoff and jitter), and the choice of a connection for a
// request, which any thread may make.
#include "nosqlc/protocol/engine/handshake.hpp"
#include "session_impl.hpp"

#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>

#include <algorithm>

namespace nosqlc::protocol {

using asio::use_awaitable;
using Clock = std::chrono::steady_clock;

asio::any_io_executor Session::Impl::executor_for(std::size_t slot_index) const {
  if (threads) return threads->executor(slot_index);
  return ex;
}

void Session::Impl::pulse_pool() {
  auto old = std::exchange(pool_signal, std::make_shared<detail::Signal>(ex));
  old->set();
}

// Uniform in [d/2, d]: slots that lost their connections together spread their retries.
std::chrono::milliseconds Session::Impl::jittered(std::chrono::milliseconds d) {
  auto n = std::max<std::chrono::milliseconds::rep>(d.count(), 0);
  std::uniform_int_distribution<std::chrono::milliseconds::rep> dist(n / 2, n);
  return std::chrono::milliseconds(dist(rng));
}

std::chrono::milliseconds Session::Impl::doubled(std::chrono::milliseconds d) const {
  return d >= opt.reconnect_max / 2 ? opt.reconnect_max : d * 2;
}

void Session::Impl::add_open(const Connection& c) {
  std::lock_guard lock(open_mutex);
  open.push_back(c);
}

void Session::Impl::remove_open(const Connection& c) {
  std::lock_guard lock(open_mutex);
  std::erase(open, c);
}

// Opens a connection for `slot`, with the keyspace current when it is ready: set_keyspace
// may run while it opens.
asio::awaitable<Connection> Session::Impl::open_for(const Slot& slot) {
  std::string keyspace = opt.keyspace;
  auto c = co_await Connection::open(slot.executor, slot.endpoint, opt.connection, keyspace,
                                     event_forwarder());
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

asio::awaitable<void> Session::Impl::slot_loop(std::shared_ptr<Impl> self, Slot* slot,
                                               asio::steady_timer* backoff_timer) {
  try {
    co_await self->keep_connected(*slot, *backoff_timer);
  } catch (const std::exception& e) {  // detached: say why the slot stopped
    slot->last_error = std::string("reconnection stopped: ") + e.what();
  }
}

asio::awaitable<void> Session::Impl::keep_connected(Slot& slot, asio::steady_timer& backoff_timer) {
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
        add_open(*slot.connection);
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
      remove_open(*slot.connection);
      const bool had_events = events_on && *events_on == *slot.connection;
      slot.connection.reset();
      if (had_events) {
        events_on.reset();
        want_events();
      }
      if (closed) break;  // close_pool() already zeroed open_count
      --open_count;
    }
    backoff_timer.expires_after(jittered(backoff));
    std::error_code ec;
    co_await backoff_timer.async_wait(asio::redirect_error(use_awaitable, ec));
    backoff = doubled(backoff);
  }
}

void Session::Impl::start_slot(std::unique_ptr<Slot> slot) {
  auto timer = std::make_unique<asio::steady_timer>(ex);
  Slot* s = slot.get();
  asio::steady_timer* t = timer.get();
  if (s->connection) {
    ++open_count;
    add_open(*s->connection);
  }
  slots.push_back(std::move(slot));
  backoff_timers.push_back(std::move(timer));
  asio::co_spawn(ex, slot_loop(shared_from_this(), s, t), asio::detached);
}

std::string Session::Impl::pool_errors() const {
  std::string s;
  for (const auto& slot : slots) {
    if (slot->last_error.empty()) continue;
    if (!s.empty()) s += "; ";
    s += to_string(slot->endpoint) + ": " + slot->last_error;
  }
  return s.empty() ? "no connection is open" : s;
}

std::optional<Connection> Session::Impl::try_pick() {
  if (closed) throw_client(client_errc::closed, "session is closed");
  std::lock_guard lock(open_mutex);
  const std::size_t n = open.size();
  const Connection* best = nullptr;
  std::size_t best_load = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const Connection& c = open[(next_pick + i) % n];
    if (!c.is_open()) continue;
    const std::size_t load = c.in_flight();
    if (best == nullptr || load < best_load) {
      best = &c;
      best_load = load;
    }
  }
  if (best == nullptr) return std::nullopt;
  ++next_pick;
  return *best;
}

asio::awaitable<Connection> Session::Impl::pick() {
  auto deadline = detail::deadline_after(opt.connection.connect_timeout);
  while (true) {
    if (auto c = try_pick()) co_return std::move(*c);
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

asio::awaitable<Connection> Session::Impl::pick_anywhere() {
  if (auto c = try_pick()) co_return std::move(*c);
  // (co_spawn wants a default-constructible result.)
  auto wait = [](std::shared_ptr<Impl> self) -> asio::awaitable<std::optional<Connection>> {
    co_return co_await self->pick();
  };
  auto c = co_await on_strand(ex, wait(shared_from_this()));
  co_return std::move(*c);
}

std::vector<Connection> Session::Impl::open_connections_now() {
  std::lock_guard lock(open_mutex);
  return open;
}

void Session::Impl::close_pool() {
  open_count = 0;
  for (auto& t : backoff_timers)
    t->cancel();
  for (auto& s : slots) {
    if (s->connection) s->connection->close();
  }
  {
    std::lock_guard lock(open_mutex);
    open.clear();
  }
  pulse_pool();
}

}  // namespace nosqlc::protocol
