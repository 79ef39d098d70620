// Runs the compliance suite against the memory driver.
#include "compliance.hpp"

#include <nosqlc/nosql/driver_manager.hpp>
#include <nosqlc/nosql/memory.hpp>

namespace {

// main() comes from test_main.cpp, so the suite is added while statics are initialized,
// which is also when BOOST_AUTO_TEST_CASE adds its cases to the master suite.
const struct Register {
  Register() {
    nosqlc::compliance::register_compliance_suite(
        "memory", []() -> asio::awaitable<std::shared_ptr<nosqlc::Client>> {
          co_return co_await nosqlc::DriverManager::get_client("nosqlc:memory:");
        });
  }
} register_memory;

}  // namespace
