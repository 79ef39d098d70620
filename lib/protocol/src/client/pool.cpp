// The session's pools: pool_size slots per host the routing uses, each kept connected for as
// long as its host is (reconnecting with exponential backoff and jitter), and the choice of a
// connection for a request, which any thread may make.
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

void Session::Impl::add_open(HostPool& pool, const Connection& c) {
  bool was_up = true;
  {
    std::lock_guard lock(open_mutex);
    pool.open.push_back(c);
    was_up = std::exchange(pool.up, true);
  }
  const std::string host = to_string(pool.endpoint);
  if (!was_up) log.info("host", "host UP (a connection opened)", host);
  if (log.enabled(LogLevel::info)) {
    log.info("connection", std::string("connection opened") + (c.compressed() ? " (lz4)" : ""),
             host);
  }
}

void Session::Impl::remove_open(HostPool& pool, const Connection& c) {
  std::lock_guard lock(open_mutex);
  std::erase(pool.open, c);
}

void Session::Impl::set_up(HostPool& pool, bool up, std::string_view why) {
  bool was = false;
  {
    std::lock_guard lock(open_mutex);
    was = std::exchange(pool.up, up);
  }
  if (was != up) {
    const std::string host = to_string(pool.endpoint);
    if (up) {
      log.info("host", "host UP", host);
    } else {
      log.warn("host", std::string("host DOWN: ") + std::string(why), host);
    }
  }
  if (!up) return;
  // Back at once: no waiting out a backoff that may have grown to minutes.
  for (auto& slot : pool.slots) {
    if (slot->backoff) slot->backoff->cancel();
  }
}

// Opens a connection for `slot`, with the keyspace current when it is ready: set_keyspace
// may run while it opens.
asio::awaitable<Connection> Session::Impl::open_for(const Slot& slot) {
  std::string keyspace = opt.keyspace;
  ConnectionOptions options = opt.connection;
  if (slot.pool) options.counters = slot.pool->counters;
  auto c = co_await Connection::open(slot.executor, slot.endpoint, std::move(options), keyspace);
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

asio::awaitable<void> Session::Impl::slot_loop(std::shared_ptr<Impl> self,
                                               std::shared_ptr<Slot> slot) {
  // However the loop ends (also with its frame destroyed by an io_context that never runs
  // again, the session unclosed), the slot lets its pool go: they hold each other.
  detail::ScopeExit unlink([s = slot.get()] { s->pool.reset(); });
  try {
    co_await self->keep_connected(*slot);
  } catch (const std::exception& e) {  // detached: say why the slot stopped
    slot->last_error = std::string("reconnection stopped: ") + e.what();
  }
}

asio::awaitable<void> Session::Impl::keep_connected(Slot& slot) {
  auto backoff = opt.reconnect_base;
  while (!closed && !slot.removed) {
    if (!slot.connection) {
      try {
        auto c = co_await open_for(slot);
        if (closed || slot.removed) {
          c.close();
          break;
        }
        bool first_of_host = false;
        {
          std::lock_guard lock(open_mutex);
          first_of_host = slot.pool->open.empty();
        }
        if (first_of_host && !prepared.empty()) co_await prepare_known(c);
        if (closed || slot.removed) {
          c.close();
          break;
        }
        slot.connection = std::move(c);
        slot.last_error.clear();
        ++open_count;
        add_open(*slot.pool, *slot.connection);
        backoff = opt.reconnect_base;
        pulse_pool();
      } catch (const std::exception& e) {
        slot.last_error = e.what();
        if (!slot.removed) {
          if (log.enabled(LogLevel::debug)) {
            log.debug("connection", "cannot connect: " + slot.last_error, to_string(slot.endpoint));
          }
          set_up(*slot.pool, false, slot.last_error);
        }
      }
    }
    if (slot.connection) {
      co_await slot.connection->wait_closed();
      slot.last_error = slot.connection->close_reason();
      if (!closed && log.enabled(LogLevel::info)) {
        log.info("connection", "connection closed: " + slot.last_error, to_string(slot.endpoint));
      }
      remove_open(*slot.pool, *slot.connection);
      slot.connection.reset();
      if (closed) break;  // close_pool() already zeroed open_count
      --open_count;
      if (slot.removed) break;
    }
    slot.backoff->expires_after(jittered(backoff));
    std::error_code ec;
    co_await slot.backoff->async_wait(asio::redirect_error(use_awaitable, ec));
    // Cancelled: the host came back (UP), try at once and from the start of the backoff.
    backoff = ec ? opt.reconnect_base : doubled(backoff);
  }
}

void Session::Impl::start_slot(const std::shared_ptr<HostPool>& pool,
                               std::optional<Connection> first) {
  auto slot = std::make_shared<Slot>();
  slot->endpoint = pool->endpoint;
  slot->pool = pool;
  slot->backoff = std::make_unique<asio::steady_timer>(ex);
  if (first) {
    slot->executor = first->get_executor();
    slot->connection = std::move(first);
    ++open_count;
    add_open(*pool, *slot->connection);
  } else {
    slot->executor = executor_for(slots_started);
  }
  ++slots_started;
  pool->slots.push_back(slot);
  asio::co_spawn(ex, slot_loop(shared_from_this(), std::move(slot)), asio::detached);
}

std::shared_ptr<HostPool> Session::Impl::start_pool(const Endpoint& endpoint,
                                                    std::optional<Connection> first) {
  auto pool = std::make_shared<HostPool>();
  pool->endpoint = endpoint;
  pool->counters = counters_for(endpoint);
  log.info("host", "host added to the pool", to_string(endpoint));
  pools[to_string(endpoint)] = pool;
  for (std::size_t k = 0; k < opt.pool_size; ++k) {
    start_slot(pool, k == 0 ? std::move(first) : std::nullopt);
  }
  return pool;
}

// Its slots stop reconnecting and close their connections: requests in flight on them fail
// with `closed` (the host left the cluster, or the filter or DC now excludes it).
void Session::Impl::stop_pool(HostPool& pool) {
  log.info("host", "host removed from the pool", to_string(pool.endpoint));
  for (auto& slot : pool.slots) {
    slot->removed = true;
    slot->backoff->cancel();
    if (slot->connection) slot->connection->close();
  }
  pool.slots.clear();  // each loop holds its slot, and the slot the pool, until the loop ends
  pools.erase(to_string(pool.endpoint));
}

std::string Session::Impl::pool_errors() const {
  std::string s;
  for (const auto& [name, pool] : pools) {
    for (const auto& slot : pool->slots) {
      if (slot->last_error.empty()) continue;
      if (!s.empty()) s += "; ";
      s += name + ": " + slot->last_error;
      break;  // one per host is enough to say why
    }
  }
  return s.empty() ? "no connection is open" : s;
}

std::optional<Connection> Session::Impl::try_pick(const RouteHint& hint,
                                                  std::span<const Endpoint> skip) {
  if (closed) throw_client(client_errc::closed, "session is closed");
  // The plan's buffer is the thread's: no allocation per request once it has grown.
  thread_local std::vector<std::uint32_t> plan;
  std::lock_guard lock(open_mutex);
  if (!routing) return std::nullopt;
  const Routing& r = *routing;
  auto least_busy = [](const HostPool& pool, std::size_t& load) -> const Connection* {
    const Connection* best = nullptr;
    for (const auto& c : pool.open) {
      if (!c.is_open()) continue;
      const std::size_t l = c.in_flight();
      if (best == nullptr || l < load) {
        best = &c;
        load = l;
      }
    }
    return best;
  };
  auto skipped = [&](const HostPool& pool) {
    return !skip.empty() && std::find(skip.begin(), skip.end(), pool.endpoint) != skip.end();
  };
  const std::size_t rotation = next_pick++;
  if (r.pools.size() == 1) {  // one host: no plan to make
    std::size_t load = 0;
    const Connection* c =
        r.pools[0] && !skipped(*r.pools[0]) ? least_busy(*r.pools[0], load) : nullptr;
    if (c == nullptr) return std::nullopt;
    return *c;
  }
  r.router.plan(
      hint.keyspace, hint.token, hint.fixed_order, rotation,
      [&](std::uint32_t h) {
        std::size_t load = SIZE_MAX;
        if (r.pools[h] && r.pools[h]->up) least_busy(*r.pools[h], load);
        return load;
      },
      plan);
  for (auto h : plan) {
    const HostPool* pool = r.pools[h].get();
    if (pool == nullptr || !pool->up || skipped(*pool)) continue;
    std::size_t load = 0;
    if (const Connection* c = least_busy(*pool, load)) return *c;
  }
  return std::nullopt;
}

asio::awaitable<Connection> Session::Impl::pick(RouteHint hint) {
  auto deadline = detail::deadline_after(opt.connection.connect_timeout);
  while (true) {
    if (auto c = try_pick(hint)) co_return std::move(*c);
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

asio::awaitable<Connection> Session::Impl::pick_anywhere(RouteHint hint) {
  if (auto c = try_pick(hint)) co_return std::move(*c);
  // (co_spawn wants a default-constructible result.)
  auto wait = [](std::shared_ptr<Impl> self,
                 RouteHint h) -> asio::awaitable<std::optional<Connection>> {
    co_return co_await self->pick(h);
  };
  auto c = co_await on_strand(ex, wait(shared_from_this(), hint));
  co_return std::move(*c);
}

std::vector<Connection> Session::Impl::open_connections_now() {
  std::lock_guard lock(open_mutex);
  std::vector<Connection> all;
  if (!routing) return all;
  for (const auto& pool : routing->pools) {
    if (pool) all.insert(all.end(), pool->open.begin(), pool->open.end());
  }
  return all;
}

void Session::Impl::close_pool() {
  open_count = 0;
  for (auto& [name, pool] : pools) {
    for (auto& slot : pool->slots) {
      slot->backoff->cancel();
      if (slot->connection) slot->connection->close();
    }
    pool->slots.clear();  // breaks the pool-slot cycle: the loops end on `closed`
  }
  {
    std::lock_guard lock(open_mutex);
    if (routing) {
      for (const auto& pool : routing->pools) {
        if (pool) pool->open.clear();
      }
    }
  }
  if (control) control->close();
  if (refresh_timer) refresh_timer->cancel();
  pulse_pool();
}

}  // namespace nosqlc::protocol
