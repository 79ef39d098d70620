// The session's view of the cluster: a control connection (to any host, moving to another
// when it fails) REGISTERed for every event, the system tables read through it at connect,
// after topology and keyspace events (debounced) and every topology_refresh, and the pools and
// routing made to follow what they say. Everything here runs on the session's strand.
#include "nosqlc/protocol/cluster/murmur3.hpp"
#include "nosqlc/protocol/values.hpp"
#include "session_impl.hpp"

#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>
#include <asio/this_coro.hpp>

#include <algorithm>
#include <limits>

namespace nosqlc::protocol {
namespace {

using Clock = std::chrono::steady_clock;

// How long events are gathered before the system tables are read again: a node joining sends
// several, a schema change touching many tables too.
constexpr std::chrono::milliseconds kEventDebounce{200};

asio::awaitable<QueryResult> read_table(Connection& c, std::string_view cql) {
  Query q;
  q.query = cql;
  q.params.consistency = Consistency::one;
  co_return QueryResult(co_await c.request(q));
}

}  // namespace

asio::awaitable<bool> Session::Impl::discover(Connection c) {
  // What the server cannot answer (an error, or no rows) leaves the routing as it is; a
  // broken connection throws.
  bool unreadable = false;
  std::optional<QueryResult> local, peers, ks;
  try {
    local = co_await read_table(c, kLocalQuery);
    // system.peers_v2 is Cassandra 4's; older servers answer Invalid: read system.peers then.
    try {
      peers = co_await read_table(c, kPeersV2Query);
    } catch (const CqlError&) {
    }
    if (!peers) peers = co_await read_table(c, kPeersQuery);
    ks = co_await read_table(c, kKeyspacesQuery);
  } catch (const CqlError&) {
    unreadable = true;
  } catch (const ClientError& e) {
    if (e.code() != client_errc::unsupported_server) throw;
    unreadable = true;
  }
  if (unreadable || local->rows() == nullptr || peers->rows() == nullptr || ks->rows() == nullptr) {
    co_return false;
  }
  auto found = read_hosts(*local->rows(), local->columns(), *peers->rows(), peers->columns(),
                          c.endpoint().host, c.endpoint().port);
  skipped_hosts = std::move(found.skipped);
  keyspaces = read_keyspaces(*ks->rows(), ks->columns());
  apply_hosts(std::move(found.hosts), true);
  co_return true;
}

void Session::Impl::apply_contact_points() {
  std::vector<HostInfo> hosts;
  for (const auto& e : opt.contact_points) {
    HostInfo h;
    h.address = e.host;
    h.port = e.port;
    hosts.push_back(std::move(h));
  }
  apply_hosts(std::move(hosts), false);
}

void Session::Impl::apply_hosts(std::vector<HostInfo> hosts, bool translate) {
  if (closed || hosts.empty()) return;
  // Peers as they are to be dialled; the host reached already is.
  for (std::size_t i = 1; i < hosts.size() && translate && opt.address_translator; ++i) {
    Endpoint e = opt.address_translator(Endpoint{hosts[i].address, hosts[i].port});
    hosts[i].address = e.host;
    hosts[i].port = e.port;
  }
  // The local DC is chosen once: the first host reached names it unless the user did.
  if (resolved_local_dc.empty()) {
    resolved_local_dc = opt.local_dc.empty() ? hosts[0].dc : opt.local_dc;
  }
  RoutingPolicy policy;
  policy.local_dc = resolved_local_dc;
  policy.remote_hosts_per_dc = opt.allow_remote_dc;
  policy.host_filter = opt.host_filter;
  auto next = std::make_shared<Routing>();
  next->router = Router(std::move(hosts), keyspaces, std::move(policy));
  const auto& known = next->router.hosts();
  next->pools.resize(known.size());
  std::map<std::string, std::shared_ptr<HostPool>> kept;
  for (std::size_t i = 0; i < known.size(); ++i) {
    if (next->router.distance(i) == Router::Distance::ignored) continue;
    Endpoint e{known[i].address, known[i].port};
    const std::string key = to_string(e);
    auto it = pools.find(key);
    std::shared_ptr<HostPool> pool;
    pool = it != pools.end() ? it->second : start_pool(e);
    next->pools[i] = pool;
    kept.emplace(key, pool);
  }
  std::vector<std::shared_ptr<HostPool>> gone;
  for (const auto& [key, pool] : pools) {
    if (!kept.contains(key)) gone.push_back(pool);
  }
  {
    std::lock_guard lock(open_mutex);
    routing = std::move(next);
  }
  for (auto& pool : gone)
    stop_pool(*pool);
  pulse_pool();
}

// The hosts to try for the control connection: those the routing uses, then the contact
// points (all of them may have been replaced meanwhile).
asio::awaitable<std::optional<Connection>> Session::Impl::open_control() {
  std::vector<Endpoint> candidates;
  {
    std::lock_guard lock(open_mutex);
    if (routing) {
      for (std::size_t i = 0; i < routing->pools.size(); ++i) {
        const auto& pool = routing->pools[i];
        if (pool && pool->up) candidates.push_back(pool->endpoint);
      }
    }
  }
  for (const auto& e : opt.contact_points) {
    if (std::find(candidates.begin(), candidates.end(), e) == candidates.end()) {
      candidates.push_back(e);
    }
  }
  for (const auto& e : candidates) {
    if (closed) break;
    try {
      auto c = co_await Connection::open(executor_for(0), e, opt.connection, "", control_events());
      Register r;
      r.events = {"TOPOLOGY_CHANGE", "STATUS_CHANGE", "SCHEMA_CHANGE"};
      co_await c.request(r);
      co_return c;
    } catch (const std::exception& err) {  // the next one
      if (log.enabled(LogLevel::debug)) {
        log.debug("control", std::string("cannot open a control connection: ") + err.what(),
                  to_string(e));
      }
    }
  }
  co_return std::nullopt;
}

asio::awaitable<void> Session::Impl::control_loop(std::shared_ptr<Impl> self) {
  auto backoff = self->opt.reconnect_base;
  asio::steady_timer pause(self->ex);
  while (!self->closed) {
    if (self->control && self->control->is_open()) {
      co_await self->control->wait_closed();
      if (!self->closed) {
        self->log.info("control", "control connection lost: " + self->control->close_reason(),
                       to_string(self->control->endpoint()));
      }
      continue;
    }
    self->control.reset();
    std::optional<Connection> c;
    try {
      c = co_await self->open_control();
      if (c) co_await self->discover(*c);
    } catch (const std::exception&) {  // lost while reading: try another host
      if (c) c->close();
      c.reset();
    }
    if (c && !self->closed) {
      self->log.info("control", "control connection moved here", to_string(c->endpoint()));
      self->control = std::move(c);
      backoff = self->opt.reconnect_base;
      continue;
    }
    if (c) c->close();
    pause.expires_after(self->jittered(backoff));
    std::error_code ec;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
    backoff = self->doubled(backoff);
  }
}

asio::awaitable<void> Session::Impl::refresh_now(std::shared_ptr<Impl> self) {
  if (self->closed || !self->control || !self->control->is_open()) co_return;
  auto c = *self->control;
  try {
    co_await self->discover(c);
  } catch (const std::exception&) {
    c.close();  // the control loop moves to another host and reads them there
  }
}

void Session::Impl::schedule_refresh(std::chrono::milliseconds after) {
  if (closed) return;
  if (!refresh_timer) refresh_timer = std::make_unique<asio::steady_timer>(ex);
  const auto at = Clock::now() + after;
  if (refresh_wanted && refresh_timer->expiry() <= at) return;
  refresh_wanted = true;
  refresh_timer->expires_at(at);
  std::weak_ptr<Impl> weak = shared_from_this();
  refresh_timer->async_wait([weak](std::error_code ec) {
    auto self = weak.lock();
    if (!self || ec || self->closed) return;
    self->refresh_wanted = false;
    auto refresh = [](std::shared_ptr<Impl> s) -> asio::awaitable<void> {
      co_await refresh_now(s);
      s->schedule_refresh(s->opt.topology_refresh);
    };
    asio::co_spawn(self->ex, refresh(self), asio::detached);
  });
}

EventHandler Session::Impl::control_events() {
  std::weak_ptr<Impl> weak = shared_from_this();
  return [weak](const Event& e) {
    if (auto self = weak.lock()) {
      asio::post(self->ex, [self, e] { self->on_cluster_event(e); });
    }
  };
}

void Session::Impl::on_cluster_event(const Event& e) {
  if (closed) return;
  if (const auto* status = std::get_if<StatusChange>(&e)) {
    Endpoint where{address_text(status->node.address),
                   static_cast<std::uint16_t>(status->node.port)};
    if (opt.address_translator) where = opt.address_translator(where);
    if (auto it = pools.find(to_string(where)); it != pools.end()) {
      set_up(*it->second, status->change == StatusChangeType::up, "the cluster reports it DOWN");
    }
    if (status->change == StatusChangeType::up) schedule_refresh(kEventDebounce);
  } else if (const auto* topology = std::get_if<TopologyChange>(&e)) {
    if (log.enabled(LogLevel::info)) {
      log.info("cluster",
               std::string(topology->change == TopologyChangeType::new_node     ? "node added"
                           : topology->change == TopologyChangeType::moved_node ? "node moved"
                                                                                : "node removed") +
                   " (topology event)",
               address_text(topology->node.address));
    }
    schedule_refresh(kEventDebounce);
  } else if (const auto* schema = std::get_if<SchemaChange>(&e)) {
    if (schema->target == SchemaTarget::keyspace) schedule_refresh(kEventDebounce);
  }
  deliver_event(e);
}

// Whether the session knows `address` as a host that is down: such a node keeps the schema
// version it had when it went, and would hold agreement back until it returns.
bool Session::Impl::known_down(const std::string& address) {
  std::lock_guard lock(open_mutex);
  if (!routing) return false;
  for (std::size_t i = 0; i < routing->pools.size(); ++i) {
    const auto& pool = routing->pools[i];
    if (pool && !pool->up && routing->router.hosts()[i].address == address) return true;
  }
  return false;
}

asio::awaitable<bool> Session::wait_for_schema_agreement(std::chrono::milliseconds max_wait) {
  auto impl = impl_;
  auto deadline = detail::deadline_after(max_wait);
  if (impl->log.enabled(LogLevel::debug)) {
    impl->log.debug("schema", "waiting for schema agreement (up to " +
                                  std::to_string(max_wait.count()) + " ms)");
  }
  while (true) {
    // Both tables through one connection, so they describe one coordinator's view.
    auto c = co_await impl->pick_anywhere();
    std::vector<Bytes> versions;
    QueryResult local =
        co_await read_table(c, "SELECT schema_version FROM system.local WHERE key='local'");
    QueryResult peers =
        co_await read_table(c, "SELECT peer, rpc_address, schema_version FROM system.peers");
    if (const auto* rows = local.rows()) {
      for (auto row : rows->rows()) {
        if (auto cell = row[0]) versions.emplace_back(cell->begin(), cell->end());
      }
    }
    if (const auto* rows = peers.rows()) {
      for (auto row : rows->rows()) {
        Inet peer, rpc;
        auto p = row[0], r = row[1];
        const bool has_rpc = r && decode_inet(*r, rpc).ok();
        const bool has_peer = p && decode_inet(*p, peer).ok();
        const std::string address = address_text(has_rpc ? rpc.address : peer.address);
        if ((has_rpc || has_peer) && impl->known_down(address)) continue;  // UP hosts only
        if (auto cell = row[2]) versions.emplace_back(cell->begin(), cell->end());
      }
    }
    bool agree = std::all_of(versions.begin(), versions.end(),
                             [&](const Bytes& v) { return v == versions.front(); });
    if (agree) {
      if (impl->log.enabled(LogLevel::debug)) {
        impl->log.debug("schema", "schema agreement reached over " +
                                      std::to_string(versions.size()) + " nodes");
      }
      // The schema change is everywhere: read it now (a new keyspace's replicas, for one)
      // rather than when its event's debounced refresh comes, as the DataStax drivers do.
      co_await asio::co_spawn(impl->ex, Impl::refresh_now(impl), asio::use_awaitable);
      co_return true;
    }
    if (Clock::now() >= deadline) {
      impl->log.warn("schema", "no schema agreement after " + std::to_string(max_wait.count()) +
                                   " ms: the nodes still report different schema versions");
      co_return false;
    }
    asio::steady_timer pause(co_await asio::this_coro::executor);
    pause.expires_after(std::chrono::milliseconds(200));
    std::error_code ec;
    co_await pause.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
}

std::vector<Session::HostState> Session::hosts() const {
  std::lock_guard lock(impl_->open_mutex);
  std::vector<HostState> out;
  if (!impl_->routing) return out;
  const Routing& r = *impl_->routing;
  for (std::size_t i = 0; i < r.router.hosts().size(); ++i) {
    HostState h;
    h.info = r.router.hosts()[i];
    if (const auto& pool = r.pools[i]) {
      h.used = true;
      h.up = pool->up;
      h.connections = static_cast<std::size_t>(std::count_if(
          pool->open.begin(), pool->open.end(), [](const Connection& c) { return c.is_open(); }));
    }
    out.push_back(std::move(h));
  }
  return out;
}

std::vector<HostInfo> Session::replicas(std::string_view keyspace, BytesView partition_key) const {
  const std::int64_t token = murmur3_token(partition_key);
  std::lock_guard lock(impl_->open_mutex);
  std::vector<HostInfo> out;
  if (!impl_->routing) return out;
  const Router& router = impl_->routing->router;
  for (std::uint32_t i : router.replicas(keyspace, token))
    out.push_back(router.hosts()[i]);
  return out;
}

std::vector<Session::TokenRange> Session::token_ranges() const {
  constexpr auto kMin = std::numeric_limits<std::int64_t>::min();
  constexpr auto kMax = std::numeric_limits<std::int64_t>::max();
  std::vector<std::int64_t> ring;
  {
    std::lock_guard lock(impl_->open_mutex);
    if (impl_->routing) {
      for (const auto& h : impl_->routing->router.hosts())
        ring.insert(ring.end(), h.tokens.begin(), h.tokens.end());
    }
  }
  std::sort(ring.begin(), ring.end());
  ring.erase(std::unique(ring.begin(), ring.end()), ring.end());
  // No Murmur3 key hashes to the minimum (Cassandra maps it to the maximum): (min, max] holds
  // every token.
  std::erase(ring, kMin);
  std::vector<TokenRange> out;
  if (ring.empty()) return {TokenRange{kMin, kMax}};
  out.push_back({kMin, ring.front()});
  for (std::size_t i = 1; i < ring.size(); ++i)
    out.push_back({ring[i - 1], ring[i]});
  if (ring.back() != kMax) out.push_back({ring.back(), kMax});
  return out;
}

std::string Session::local_dc() const {
  std::lock_guard lock(impl_->open_mutex);
  return impl_->routing ? impl_->routing->router.policy().local_dc : std::string();
}

}  // namespace nosqlc::protocol
