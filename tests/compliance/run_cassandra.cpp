// Runs the compliance suite against the Cassandra driver: on an embedded sandbox server
// (started in this process on a free loopback port) by default, or on the Cassandra that
// NOSQLC_TEST_CASSANDRA_URL names, e.g. nosqlc:cassandra:127.0.0.1:9042/nosqlc_compliance.
#include "compliance.hpp"

#include <nosqlc/nosql/cassandra.hpp>
#include <nosqlc/nosql/driver_manager.hpp>
#include <nosqlc/sandbox/server.hpp>

#include <cstdlib>
#include <memory>
#include <mutex>

namespace {

const std::string& url() {
  static const std::string u = [] {
    if (const char* env = std::getenv("NOSQLC_TEST_CASSANDRA_URL"); env && *env) {
      return std::string(env);
    }
    nosqlc::sandbox::ServerOptions o;
    o.port = 0;
    static nosqlc::sandbox::Server server(o);  // lives until the process exits
    return "nosqlc:cassandra:127.0.0.1:" + std::to_string(server.port()) + "/compliance";
  }();
  return u;
}

const struct Register {
  Register() {
    nosqlc::compliance::register_compliance_suite(
        "cassandra", []() -> asio::awaitable<std::shared_ptr<nosqlc::Client>> {
          co_return co_await nosqlc::DriverManager::get_client(url());
        });
  }
} register_cassandra;

}  // namespace
