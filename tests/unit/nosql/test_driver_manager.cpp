#include <nosqlc/nosql/async.hpp>
#include <nosqlc/nosql/client.hpp>
#include <nosqlc/nosql/driver_manager.hpp>
#include <nosqlc/nosql/errors.hpp>
#include <nosqlc/nosql/memory.hpp>

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <functional>
#include <memory>
#include <string>
#include <vector>

using nosqlc::block_on;
using nosqlc::Client;
using nosqlc::DriverManager;
using nosqlc::errc;
using nosqlc::Properties;

namespace {

class FakeCollection final : public nosqlc::Collection {
 public:
  FakeCollection(Client& client, std::string name) : Collection(client, std::move(name)) {}
};

class FakeClient final : public Client {
 public:
  FakeClient(std::string url, Properties props, std::string driver)
      : Client(std::move(url)), properties(std::move(props)), driver_name(std::move(driver)) {}
  Properties properties;
  std::string driver_name;

 protected:
  std::unique_ptr<nosqlc::Collection> make_collection(std::string name) override {
    return std::make_unique<FakeCollection>(*this, std::move(name));
  }
};

// Accepts URLs with a given prefix and records what connect() received.
class FakeDriver final : public nosqlc::Driver {
 public:
  FakeDriver(std::string name, std::string prefix)
      : name_(std::move(name)), prefix_(std::move(prefix)) {}
  std::string_view name() const noexcept override { return name_; }
  bool accepts_url(std::string_view url) const noexcept override {
    return url.starts_with(prefix_);
  }
  asio::awaitable<std::shared_ptr<Client>> connect(std::string url, Properties props) override {
    ++connects;
    if (fail) throw nosqlc::Error(errc::connection_error, "fake: cannot connect");
    co_return std::make_shared<FakeClient>(std::move(url), std::move(props), name_);
  }
  int connects = 0;
  bool fail = false;

 private:
  std::string name_;
  std::string prefix_;
};

std::shared_ptr<FakeDriver> fake(std::string name, std::string prefix) {
  return std::make_shared<FakeDriver>(std::move(name), std::move(prefix));
}

// The registry is process-global: each test starts from an empty one and leaves the drivers
// it found (the memory driver at least) registered again, in their order.
struct CleanRegistry {
  CleanRegistry() : saved(DriverManager::drivers()) { DriverManager::clear(); }
  ~CleanRegistry() {
    DriverManager::clear();
    for (auto& d : saved)
      DriverManager::register_driver(d);
    DriverManager::register_driver(nosqlc::MemoryDriver::instance());
  }
  std::vector<std::shared_ptr<nosqlc::Driver>> saved;
};

errc error_of(const std::function<void()>& f, std::string* message = nullptr) {
  try {
    f();
  } catch (const nosqlc::Error& e) {
    if (message) *message = e.what();
    return e.kind();
  }
  BOOST_FAIL("no nosqlc::Error thrown");
  return errc{};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(driver_manager)

BOOST_AUTO_TEST_CASE(including_memory_header_registers_memory_driver) {
  auto drivers = DriverManager::drivers();
  BOOST_TEST(std::count(drivers.begin(), drivers.end(), nosqlc::MemoryDriver::instance()) == 1);
  BOOST_TEST(nosqlc::MemoryDriver::instance() == nosqlc::MemoryDriver::instance());
}

BOOST_FIXTURE_TEST_CASE(clear_empties_the_registry, CleanRegistry) {
  DriverManager::register_driver(fake("a", "nosqlc:a:"));
  BOOST_TEST(DriverManager::drivers().size() == 1u);
  DriverManager::clear();
  BOOST_TEST(DriverManager::drivers().empty());
}

BOOST_FIXTURE_TEST_CASE(register_is_idempotent_per_instance, CleanRegistry) {
  auto a = fake("a", "nosqlc:a:");
  DriverManager::register_driver(a);
  DriverManager::register_driver(a);
  BOOST_TEST(DriverManager::drivers().size() == 1u);
  // Another object of the same kind is another driver.
  DriverManager::register_driver(fake("a", "nosqlc:a:"));
  BOOST_TEST(DriverManager::drivers().size() == 2u);
  DriverManager::register_driver(nullptr);
  BOOST_TEST(DriverManager::drivers().size() == 2u);
}

BOOST_FIXTURE_TEST_CASE(deregister_removes_only_that_driver, CleanRegistry) {
  auto a = fake("a", "nosqlc:a:");
  auto b = fake("b", "nosqlc:b:");
  DriverManager::register_driver(a);
  DriverManager::register_driver(b);
  DriverManager::deregister_driver(a);
  auto drivers = DriverManager::drivers();
  BOOST_TEST_REQUIRE(drivers.size() == 1u);
  BOOST_TEST(drivers[0] == b);
  DriverManager::deregister_driver(a);  // not registered: no-op
  DriverManager::deregister_driver(nullptr);
  BOOST_TEST(DriverManager::drivers().size() == 1u);
}

BOOST_FIXTURE_TEST_CASE(drivers_keeps_registration_order_and_is_a_copy, CleanRegistry) {
  auto a = fake("a", "nosqlc:a:");
  auto b = fake("b", "nosqlc:b:");
  auto c = fake("c", "nosqlc:c:");
  DriverManager::register_driver(b);
  DriverManager::register_driver(a);
  DriverManager::register_driver(c);
  DriverManager::register_driver(b);  // re-registering does not move it
  auto drivers = DriverManager::drivers();
  BOOST_TEST_REQUIRE(drivers.size() == 3u);
  BOOST_TEST(drivers[0] == b);
  BOOST_TEST(drivers[1] == a);
  BOOST_TEST(drivers[2] == c);
  drivers.pop_back();
  BOOST_TEST(DriverManager::drivers().size() == 3u);
}

BOOST_FIXTURE_TEST_CASE(get_client_routes_to_the_accepting_driver, CleanRegistry) {
  auto a = fake("a", "nosqlc:a:");
  auto b = fake("b", "nosqlc:b:");
  DriverManager::register_driver(a);
  DriverManager::register_driver(b);
  auto client = block_on(DriverManager::get_client("nosqlc:b:test"));
  auto* fc = dynamic_cast<FakeClient*>(client.get());
  BOOST_TEST_REQUIRE(fc != nullptr);
  BOOST_TEST(fc->driver_name == "b");
  BOOST_TEST(client->url() == "nosqlc:b:test");
  BOOST_TEST(a->connects == 0);
  BOOST_TEST(b->connects == 1);
}

BOOST_FIXTURE_TEST_CASE(first_registered_accepting_driver_wins, CleanRegistry) {
  auto first = fake("first", "nosqlc:x:");
  auto second = fake("second", "nosqlc:");
  DriverManager::register_driver(first);
  DriverManager::register_driver(second);
  auto client = block_on(DriverManager::get_client("nosqlc:x:1"));
  BOOST_TEST(dynamic_cast<FakeClient&>(*client).driver_name == "first");
  client = block_on(DriverManager::get_client("nosqlc:y:1"));
  BOOST_TEST(dynamic_cast<FakeClient&>(*client).driver_name == "second");
}

BOOST_FIXTURE_TEST_CASE(properties_reach_connect, CleanRegistry) {
  DriverManager::register_driver(fake("a", "nosqlc:a:"));
  Properties props{{"username", "u"}, {"password", "p"}, {"consistency", "QUORUM"}};
  auto client = block_on(DriverManager::get_client("nosqlc:a:x", props));
  BOOST_TEST((dynamic_cast<FakeClient&>(*client).properties == props));
}

BOOST_FIXTURE_TEST_CASE(client_data_source_passes_credentials, CleanRegistry) {
  DriverManager::register_driver(fake("a", "nosqlc:a:"));
  nosqlc::ClientDataSource ds("nosqlc:a:x", "alice", "secret", {{"opt", "1"}});
  BOOST_TEST(ds.url() == "nosqlc:a:x");
  auto client = block_on(ds.get_client());
  const auto& got = dynamic_cast<FakeClient&>(*client).properties;
  BOOST_TEST((got == Properties{{"opt", "1"}, {"password", "secret"}, {"username", "alice"}}));
  BOOST_TEST((ds.properties() == got));
  nosqlc::ClientDataSource plain("nosqlc:a:y");
  BOOST_TEST(dynamic_cast<FakeClient&>(*block_on(plain.get_client())).properties.empty());
}

BOOST_FIXTURE_TEST_CASE(no_suitable_driver_names_url_and_drivers, CleanRegistry) {
  DriverManager::register_driver(fake("alpha", "nosqlc:alpha:"));
  DriverManager::register_driver(fake("beta", "nosqlc:beta:"));
  std::string message;
  auto code =
      error_of([] { block_on(DriverManager::get_client("nosqlc:unknown:test")); }, &message);
  BOOST_TEST((code == errc::no_suitable_driver));
  BOOST_TEST(message.find("nosqlc:unknown:test") != std::string::npos, message);
  BOOST_TEST(message.find("alpha") != std::string::npos, message);
  BOOST_TEST(message.find("beta") != std::string::npos, message);
}

BOOST_FIXTURE_TEST_CASE(no_suitable_driver_hides_a_password_in_the_url, CleanRegistry) {
  std::string message;
  auto code = error_of(
      [] { block_on(DriverManager::get_client("nosqlc:cassandara:admin:hunter2@h/ks?pwd=x2")); },
      &message);
  BOOST_TEST((code == errc::no_suitable_driver));
  BOOST_TEST(message.find("hunter2") == std::string::npos, message);
  BOOST_TEST(message.find("x2") == std::string::npos, message);
  BOOST_TEST(message.find("nosqlc:cassandara:admin:***@h/ks?pwd=***") != std::string::npos,
             message);
}

BOOST_FIXTURE_TEST_CASE(no_suitable_driver_with_empty_registry, CleanRegistry) {
  std::string message;
  auto code = error_of([] { block_on(DriverManager::get_client("nosqlc:memory:")); }, &message);
  BOOST_TEST((code == errc::no_suitable_driver));
  BOOST_TEST(message.find("nosqlc:memory:") != std::string::npos, message);
}

BOOST_FIXTURE_TEST_CASE(driver_errors_propagate, CleanRegistry) {
  auto a = fake("a", "nosqlc:a:");
  a->fail = true;
  DriverManager::register_driver(a);
  BOOST_TEST((error_of([] { block_on(DriverManager::get_client("nosqlc:a:")); }) ==
              errc::connection_error));
}

BOOST_FIXTURE_TEST_CASE(deregistered_driver_is_not_used, CleanRegistry) {
  auto a = fake("a", "nosqlc:a:");
  DriverManager::register_driver(a);
  DriverManager::deregister_driver(a);
  BOOST_TEST((error_of([] { block_on(DriverManager::get_client("nosqlc:a:")); }) ==
              errc::no_suitable_driver));
  BOOST_TEST(a->connects == 0);
}

BOOST_AUTO_TEST_CASE(unimplemented_operations_are_unsupported) {
  FakeClient client("nosqlc:fake:", {}, "fake");
  auto& col = client.get_collection("things");
  BOOST_TEST(col.name() == "things");
  BOOST_TEST((error_of([&] { block_on(col.get("k")); }) == errc::unsupported_operation));
  BOOST_TEST((error_of([&] { block_on(col.store("k", {})); }) == errc::unsupported_operation));
  BOOST_TEST((error_of([&] { block_on(col.del("k")); }) == errc::unsupported_operation));
  BOOST_TEST((error_of([&] { block_on(col.insert({})); }) == errc::unsupported_operation));
  BOOST_TEST((error_of([&] { block_on(col.update("k", {})); }) == errc::unsupported_operation));
  BOOST_TEST((error_of([&] { block_on(col.find()); }) == errc::unsupported_operation));
  // The core's checks come before the driver's hooks.
  BOOST_TEST((error_of([&] { block_on(col.get("")); }) == errc::invalid_argument));
  block_on(client.close());
  BOOST_TEST((error_of([&] { block_on(col.get("k")); }) == errc::client_closed));
}

BOOST_AUTO_TEST_CASE(aliases_reach_the_memory_driver) {
  for (std::string url : {"nosqlc:memory:", "pynosqlc:memory:", "jsnosqlc:memory:"}) {
    BOOST_TEST_CONTEXT(url) {
      BOOST_TEST(nosqlc::MemoryDriver::instance()->accepts_url(url));
      auto client = block_on(DriverManager::get_client(url));
      BOOST_TEST(client->url() == url);
      auto& col = client->get_collection("c");
      block_on(col.store("k", {{"v", 1}}));
      BOOST_TEST(block_on(col.get("k")).has_value());
      block_on(client->close());
    }
  }
}

BOOST_AUTO_TEST_CASE(memory_clients_do_not_share_data) {
  auto one = block_on(DriverManager::get_client("nosqlc:memory:"));
  auto two = block_on(DriverManager::get_client("nosqlc:memory:"));
  block_on(one->get_collection("c").store("k", {{"v", 1}}));
  BOOST_TEST(!block_on(two->get_collection("c").get("k")).has_value());
}

BOOST_AUTO_TEST_CASE(malformed_memory_urls) {
  auto& memory = *nosqlc::MemoryDriver::instance();
  BOOST_TEST(memory.name() == "memory");
  BOOST_TEST((error_of([] { block_on(DriverManager::get_client("nosqlc:memory:extra")); }) ==
              errc::invalid_url));
  BOOST_TEST((error_of([] { block_on(DriverManager::get_client("pynosqlc:memory:x")); }) ==
              errc::invalid_url));
  // Not memory URLs at all: no driver claims them.
  BOOST_TEST(!memory.accepts_url("nosqlc:memory"));
  BOOST_TEST(!memory.accepts_url("nosqlc:memoryx:"));
  BOOST_TEST(!memory.accepts_url("memory:"));
  BOOST_TEST(!memory.accepts_url("NOSQLC:memory:"));
  BOOST_TEST((error_of([] { block_on(DriverManager::get_client("nosqlc:memory")); }) ==
              errc::no_suitable_driver));
  // connect() called directly with a URL that is not its own.
  BOOST_TEST(
      (error_of([&] { block_on(memory.connect("nosqlc:other:", {})); }) == errc::invalid_url));
}

BOOST_AUTO_TEST_SUITE_END()
