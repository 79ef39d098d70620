// The process-wide registry of drivers, and the one entry point that opens clients.
#pragma once

#include "nosqlc/nosql/driver.hpp"

#include <asio/awaitable.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc {

// All members are static and thread-safe.
class DriverManager {
 public:
  // Adds `driver` unless that same object is registered already.
  static void register_driver(std::shared_ptr<Driver> driver);
  // Removes `driver` if registered.
  static void deregister_driver(const std::shared_ptr<Driver>& driver);
  // A client from the first registered driver that accepts `url`. Throws no_suitable_driver
  // naming the URL and the registered drivers when none does, else what the driver throws.
  // `observers`: where the client logs and reports its requests (observability.hpp).
  static asio::awaitable<std::shared_ptr<Client>> get_client(std::string url,
                                                             Properties properties = {},
                                                             ClientObservers observers = {});
  // The registered drivers, in registration order.
  static std::vector<std::shared_ptr<Driver>> drivers();
  // Removes every driver (for tests).
  static void clear();
};

// Registers a driver from a header's inline variable, so that including the driver's header
// is enough, also in static links (the variable lives in the includer's object file).
template <class D>
struct DriverRegistrar {
  DriverRegistrar() { DriverManager::register_driver(D::instance()); }
};

}  // namespace nosqlc
