// What the multi-node sandbox tests share: a raw session seeded by one node, with short
// timeouts and backoff, and waits with a deadline.
#pragma once

#include "cassandra_fixture.hpp"

#include <asio/this_coro.hpp>

#include <chrono>

namespace cassandra_test {

// A sandbox of `nodes` nodes (127.0.0.1 ..) in one data centre, on a free port.
inline std::unique_ptr<sb::Server> one_dc(std::size_t nodes) {
  sb::ServerOptions o;
  o.port = 0;
  o.nodes = nodes;
  return std::make_unique<sb::Server>(o);
}

// "address:port" of node `node`, for a URL.
inline std::string contact(const sb::Server& s, std::size_t node) {
  return s.address(node).host + ":" + std::to_string(s.port());
}

// The URL of a fresh keyspace (named from `prefix`) replicated `rf` times, through node 0,
// with `extra` options.
inline std::string url_of(const sb::Server& s, const std::string& prefix, int rf,
                          const std::string& extra = "") {
  return "nosqlc:cassandra:" + contact(s, 0) + "/" + fresh_keyspace(prefix) +
         "?replication=SimpleStrategy:" + std::to_string(rf) + (extra.empty() ? "" : "&" + extra);
}

// Milliseconds since `t`.
inline double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

// Session options with node `node` of `server` as the only contact point, 3 s connect and
// request timeouts, and reconnects backing off from 50 ms to 500 ms.
inline pr::SessionOptions one_contact(const sb::Server& server, std::size_t node) {
  using namespace std::chrono_literals;
  pr::SessionOptions o;
  auto a = server.address(node);
  o.contact_points.push_back({a.host, a.port});
  o.connection.connect_timeout = 3000ms;
  o.connection.request_timeout = 3000ms;
  o.reconnect_base = 50ms;
  o.reconnect_max = 500ms;
  return o;
}

// The bytes of `s` (a partition key, a text value); views it.
inline pr::BytesView bytes_of(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

inline asio::awaitable<void> pause(std::chrono::milliseconds d) {
  asio::steady_timer t(co_await asio::this_coro::executor);
  t.expires_after(d);
  co_await t.async_wait(asio::use_awaitable);
}

// Polls `done` every 5 ms for up to `limit`; false when it never held.
template <class F>
asio::awaitable<bool> eventually(F done,
                                 std::chrono::milliseconds limit = std::chrono::seconds(5)) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= until) co_return false;
    co_await pause(std::chrono::milliseconds(5));
  }
  co_return true;
}

}  // namespace cassandra_test
