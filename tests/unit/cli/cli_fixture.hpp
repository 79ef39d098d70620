// Helpers for the nosqlc CLI tests: run() in-process with captured streams, a memory client
// to inject, and fake drivers (a slow collection that counts writes in flight, and a driver
// whose connect fails with a chosen error kind).
#pragma once

#include <nosqlc/cli/drivers.hpp>
#include <nosqlc/cli/run.hpp>
#include <nosqlc/nosql/nosql.hpp>

#include <asio/post.hpp>
#include <asio/this_coro.hpp>
#include <asio/use_awaitable.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace cli_test {

struct Result {
  int code = -1;
  std::string out;
  std::string err;
};

inline Result run_cli(std::vector<std::string> args, const nosqlc::cli::Env& env = {},
                      const std::string& input = "") {
  std::istringstream in(input);
  std::ostringstream out;
  std::ostringstream err;
  Result r;
  r.code = nosqlc::cli::run(std::move(args), in, out, err, env);
  r.out = out.str();
  r.err = err.str();
  return r;
}

// An env whose commands run against `client` in collection "items".
inline nosqlc::cli::Env env_for(std::shared_ptr<nosqlc::Client> client) {
  nosqlc::cli::Env env;
  env.client = std::move(client);
  env.vars["NOSQLC_COLLECTION"] = "items";
  return env;
}

inline std::shared_ptr<nosqlc::Client> memory_client() {
  nosqlc::cli::register_drivers();
  return nosqlc::block_on(nosqlc::DriverManager::get_client("nosqlc:memory:"));
}

// The lines of `text`, each parsed as JSON.
inline std::vector<boost::json::value> json_lines(const std::string& text) {
  std::vector<boost::json::value> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line))
    out.push_back(boost::json::parse(line));
  return out;
}

inline asio::awaitable<void> yield_a_few() {
  auto ex = co_await asio::this_coro::executor;
  for (int i = 0; i < 3; ++i)
    co_await asio::post(ex, asio::use_awaitable);
}

// Suspends in every write, so that an import really has several writes in flight.
class SlowCollection final : public nosqlc::Collection {
 public:
  SlowCollection(nosqlc::Client& c, std::string name) : Collection(c, std::move(name)) {}
  std::map<std::string, nosqlc::Document> docs;
  std::size_t in_flight = 0;
  std::size_t max_in_flight = 0;

 protected:
  asio::awaitable<std::optional<nosqlc::Document>> do_get(std::string key,
                                                          const nosqlc::CallOptions&) override {
    if (key == "boom") throw nosqlc::ServerError(0x1000, "Cannot achieve consistency", {});
    co_await yield_a_few();
    auto it = docs.find(key);
    if (it == docs.end()) co_return std::nullopt;
    co_return it->second;
  }
  asio::awaitable<void> do_store(std::string key, nosqlc::Document doc,
                                 const nosqlc::CallOptions&) override {
    max_in_flight = std::max(max_in_flight, ++in_flight);
    co_await yield_a_few();
    --in_flight;
    if (key == "fail") throw nosqlc::Error(nosqlc::errc::timeout, "write timed out");
    if (key == "refused") {
      throw nosqlc::Error(nosqlc::errc::invalid_argument, "the document is too large");
    }
    docs[key] = std::move(doc);
  }
  asio::awaitable<void> do_insert(std::string key, nosqlc::Document doc,
                                  const nosqlc::CallOptions& options) override {
    co_await do_store(std::move(key), std::move(doc), options);
  }
};

class SlowClient final : public nosqlc::Client {
 public:
  SlowClient() : Client("nosqlc:slow:") {}
  SlowCollection* collection = nullptr;

 protected:
  std::unique_ptr<nosqlc::Collection> make_collection(std::string name) override {
    auto c = std::make_unique<SlowCollection>(*this, std::move(name));
    collection = c.get();
    return c;
  }
};

// Accepts "nosqlc:failing:<kind>" and fails to connect with that kind of error.
class FailingDriver final : public nosqlc::Driver {
 public:
  std::string_view name() const noexcept override { return "failing"; }
  bool accepts_url(std::string_view url) const noexcept override {
    return url.starts_with("nosqlc:failing:");
  }
  asio::awaitable<std::shared_ptr<nosqlc::Client>> connect(std::string url,
                                                           nosqlc::Properties) override {
    using nosqlc::errc;
    std::string kind = url.substr(std::string_view("nosqlc:failing:").size());
    if (kind == "server") throw nosqlc::ServerError(0x1001, "Overloaded", {});
    errc e = kind == "connection" ? errc::connection_error
             : kind == "timeout"  ? errc::timeout
             : kind == "auth"     ? errc::authentication_error
                                  : errc::protocol_error;
    throw nosqlc::Error(e, "cannot connect (" + kind + ")");
    co_return nullptr;
  }
};

// Registers a FailingDriver for the scope.
struct FailingDriverScope {
  std::shared_ptr<nosqlc::Driver> driver = std::make_shared<FailingDriver>();
  FailingDriverScope() { nosqlc::DriverManager::register_driver(driver); }
  ~FailingDriverScope() { nosqlc::DriverManager::deregister_driver(driver); }
};

}  // namespace cli_test
