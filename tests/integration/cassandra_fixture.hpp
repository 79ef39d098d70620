// Where the Cassandra driver's integration tests run: an embedded sandbox by default, or the
// Cassandra that NOSQLC_TEST_CASSANDRA_URL names (then the cases that need the sandbox's test
// API, such as stopping a node, are skipped).
#pragma once

#include <nosqlc/nosql/cassandra.hpp>
#include <nosqlc/nosql/cassandra/url.hpp>
#include <nosqlc/nosql/nosql.hpp>
#include <nosqlc/protocol/client/session.hpp>
#include <nosqlc/sandbox/server.hpp>

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/use_future.hpp>
#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>
#include <nosqlc/protocol/value_forms.hpp>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <optional>
#include <random>
#include <string>

namespace cassandra_test {

namespace pr = nosqlc::protocol;
namespace sb = nosqlc::sandbox;
namespace json = boost::json;

inline std::optional<std::string> real_cassandra_url() {
  const char* env = std::getenv("NOSQLC_TEST_CASSANDRA_URL");
  if (env && *env) return std::string(env);
  return std::nullopt;
}

// A keyspace name unique to this process, so runs against a real Cassandra never meet.
inline std::string fresh_keyspace(const std::string& prefix) {
  static const unsigned token = std::random_device{}() & 0xFFFFFF;
  static unsigned counter = 0;
  return prefix + std::to_string(token) + "_" + std::to_string(++counter);
}

// One database for a test case: a sandbox of `nodes` nodes, or the real Cassandra.
struct Database {
  explicit Database(std::size_t nodes = 1) {
    if (auto url = real_cassandra_url()) {
      // nosqlc:cassandra:HOSTS/keyspace?...: keep the hosts and options, pick a keyspace.
      auto slash = url->find('/', url->find("cassandra:"));
      hosts = url->substr(0, slash);
      auto q = url->find('?', slash);
      options = q == std::string::npos ? "" : url->substr(q);
      return;
    }
    sb::ServerOptions o;
    o.port = 0;
    o.nodes = nodes;
    server = std::make_unique<sb::Server>(o);
    hosts = "nosqlc:cassandra:";
    for (std::size_t i = 0; i < nodes; ++i) {
      if (i > 0) hosts += ",";
      hosts += server->address(i).host + ":" + std::to_string(server->port());
    }
  }
  // The URL of `keyspace` with extra `?options` (without the '?').
  std::string url(const std::string& keyspace, const std::string& extra = "") const {
    std::string u = hosts + "/" + keyspace + options;
    if (!extra.empty()) u += (options.empty() ? "?" : "&") + extra;
    return u;
  }
  bool sandbox() const { return server != nullptr; }

  std::unique_ptr<sb::Server> server;
  std::string hosts;    // "nosqlc:cassandra:h1:p1,h2:p2"
  std::string options;  // "?a=b..." from NOSQLC_TEST_CASSANDRA_URL, or ""
};

// Runs `op` on a private io_context to completion.
template <class T>
T run(asio::awaitable<T> op) {
  asio::io_context io;
  auto f = asio::co_spawn(io, std::move(op), asio::use_future);
  io.run();
  return f.get();
}

// Runs task(0) .. task(n-1) concurrently on the calling coroutine's executor and waits for
// all of them; rethrows the first failure. `task` must stay valid until then.
template <class Task>
asio::awaitable<void> concurrently(int n, Task& task) {
  auto ex = co_await asio::this_coro::executor;
  struct State {
    explicit State(const asio::any_io_executor& e)
        : all_done(e, asio::steady_timer::time_point::max()) {}
    asio::steady_timer all_done;
    int left = 0;
    std::exception_ptr failure;
  };
  auto state = std::make_shared<State>(ex);
  state->left = n;
  for (int i = 0; i < n; ++i) {
    asio::co_spawn(ex, task(i), [state](std::exception_ptr e) {
      if (e && !state->failure) state->failure = e;
      if (--state->left == 0) state->all_done.cancel();
    });
  }
  while (state->left > 0) {
    std::error_code ec;
    co_await state->all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
  }
  if (state->failure) std::rethrow_exception(state->failure);
}

// A raw CQL session to the database behind `url`, for what the driver itself never does.
inline asio::awaitable<std::shared_ptr<pr::Session>> raw_session(const std::string& url) {
  auto u = nosqlc::cassandra::parse_url(url);
  pr::SessionOptions o;
  for (const auto& h : u.hosts)
    o.contact_points.push_back({h.host, h.port});
  co_return co_await pr::Session::connect(co_await asio::this_coro::executor, o);
}

inline nosqlc::Document doc(std::string_view json_text) {
  return json::parse(json_text).as_object();
}

}  // namespace cassandra_test
