// What a session tells about itself: its metrics snapshot, failures by kind, and the request
// tracker's calls.
#include "session_impl.hpp"

#include <cctype>

namespace nosqlc::protocol {
namespace {

// "read_timeout", "unavailable", ... for a server's error; "timeout", "connection_error",
// "closed", ... for the client's own.
std::string kind_of(const std::exception_ptr& failure) {
  try {
    std::rethrow_exception(failure);
  } catch (const CqlError& e) {
    std::string k(to_string(e.server_code()));
    for (auto& ch : k)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return k;
  } catch (const ClientError& e) {
    if (e.code().category() == client_category()) {
      std::string k = e.code().message();
      for (auto& ch : k)
        if (ch == ' ') ch = '_';
      return k;
    }
    if (e.code() == asio::error::operation_aborted) return "cancelled";
    return "protocol_error";
  } catch (...) {
    return "other";
  }
}

std::string_view statement_of(const Request& request, std::span<const PreparedPtr> statements) {
  if (const auto* q = std::get_if<Query>(&request)) return q->query;
  if (!statements.empty() && statements[0]) return statements[0]->query;
  return {};
}

}  // namespace

std::shared_ptr<HostCounters> Session::Impl::counters_for(const Endpoint& host) {
  std::lock_guard lock(metrics_mutex);
  auto& c = host_counters[to_string(host)];
  if (!c) c = std::make_shared<HostCounters>();
  return c;
}

void Session::Impl::count_failure(const std::exception_ptr& failure) {
  op_errors.fetch_add(1, std::memory_order_relaxed);
  std::string kind = kind_of(failure);
  std::lock_guard lock(metrics_mutex);
  ++errors_by_kind[kind];
}

void Session::Impl::log_warnings(const Reply& reply, const Endpoint& host) {
  if (!log.enabled(LogLevel::warn)) return;
  const std::string where = to_string(host);
  for (const auto& w : reply.extras.warnings)
    log.warn("server", "server warning: " + w, where);
}

Metrics Session::Impl::metrics() {
  Metrics m;
  m.requests = op_requests.load(std::memory_order_relaxed);
  m.errors = op_errors.load(std::memory_order_relaxed);
  m.retries = op_retries.load(std::memory_order_relaxed);
  m.speculative_executions = op_speculative.load(std::memory_order_relaxed);
  m.reprepares = op_reprepares.load(std::memory_order_relaxed);
  m.latency = op_latency.summary();
  m.connections = open_count.load(std::memory_order_relaxed);
  m.prepared_statements = prepared_count.load(std::memory_order_relaxed);
  // Hosts as routing knows them now, then those with traffic that it no longer has.
  std::map<std::string, HostMetrics> hosts;
  {
    std::lock_guard lock(open_mutex);
    if (routing) {
      for (std::size_t i = 0; i < routing->router.hosts().size(); ++i) {
        const auto& pool = routing->pools[i];
        if (!pool) continue;
        HostMetrics h;
        h.address = to_string(pool->endpoint);
        h.datacenter = routing->router.hosts()[i].dc;
        h.up = pool->up;
        for (const auto& c : pool->open) {
          if (!c.is_open()) continue;
          ++h.connections;
          h.in_flight += c.in_flight();
        }
        hosts[h.address] = std::move(h);
      }
    }
  }
  std::lock_guard lock(metrics_mutex);
  m.errors_by_kind = errors_by_kind;
  for (const auto& [address, c] : host_counters) {
    HostMetrics& h = hosts[address];
    h.address = address;
    h.requests = c->requests.load(std::memory_order_relaxed);
    h.errors = c->errors.load(std::memory_order_relaxed);
    h.timeouts = c->timeouts.load(std::memory_order_relaxed);
    h.bytes_sent = c->bytes_sent.load(std::memory_order_relaxed);
    h.bytes_received = c->bytes_received.load(std::memory_order_relaxed);
    h.latency = c->latency.summary();
  }
  for (auto& [address, h] : hosts) {
    m.timeouts += h.timeouts;
    m.bytes_sent += h.bytes_sent;
    m.bytes_received += h.bytes_received;
    m.hosts.push_back(std::move(h));
  }
  return m;
}

void Session::Impl::track_start(std::uint64_t id, const Request& request,
                                std::span<const PreparedPtr> statements) {
  try {
    opt.tracker->on_start(id, statement_of(request, statements));
  } catch (...) {  // the tracker's failure is not the request's
  }
}

void Session::Impl::track_attempt(const Execution& how, const Attempts& tries,
                                  const Endpoint& host) {
  using Kind = RequestTracker::AttemptKind;
  const Kind kind =
      how.speculative ? Kind::speculative : (tries.count == 0 ? Kind::first : Kind::retry);
  try {
    opt.tracker->on_attempt(how.id, to_string(host), tries.count + 1, kind);
  } catch (...) {
  }
}

void Session::Impl::track_end(std::uint64_t id, std::chrono::steady_clock::time_point started,
                              const std::exception_ptr& failure) {
  const auto latency = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - started);
  if (!failure) op_latency.record(latency);
  try {
    opt.tracker->on_end(id, latency, failure);
  } catch (...) {
  }
}

Metrics Session::metrics() const {
  return impl_->metrics();
}

}  // namespace nosqlc::protocol
