#include "nosqlc/nosql/driver_manager.hpp"

#include "nosqlc/nosql/errors.hpp"
#include "nosqlc/nosql/url.hpp"

#include <algorithm>
#include <mutex>

namespace nosqlc {
namespace {

struct Registry {
  std::mutex mutex;
  std::vector<std::shared_ptr<Driver>> drivers;
};

// Function-local so that registrars running during static initialization find it built.
Registry& registry() {
  static Registry r;
  return r;
}

}  // namespace

void DriverManager::register_driver(std::shared_ptr<Driver> driver) {
  if (!driver) return;
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  if (std::find(r.drivers.begin(), r.drivers.end(), driver) == r.drivers.end()) {
    r.drivers.push_back(std::move(driver));
  }
}

void DriverManager::deregister_driver(const std::shared_ptr<Driver>& driver) {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  std::erase(r.drivers, driver);
}

std::vector<std::shared_ptr<Driver>> DriverManager::drivers() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  return r.drivers;
}

void DriverManager::clear() {
  auto& r = registry();
  std::lock_guard lock(r.mutex);
  r.drivers.clear();
}

asio::awaitable<std::shared_ptr<Client>> Driver::connect_observed(std::string url,
                                                                  Properties properties,
                                                                  ClientObservers) {
  return connect(std::move(url), std::move(properties));
}

asio::awaitable<std::shared_ptr<Client>> DriverManager::get_client(std::string url,
                                                                   Properties properties,
                                                                   ClientObservers observers) {
  auto candidates = drivers();
  for (const auto& d : candidates) {
    if (d->accepts_url(url)) {
      co_return co_await d->connect_observed(std::move(url), std::move(properties),
                                             std::move(observers));
    }
  }
  std::string names;
  for (const auto& d : candidates) {
    if (!names.empty()) names += ", ";
    names += d->name();
  }
  throw Error(errc::no_suitable_driver, "no driver for URL \"" + redact_url(url) +
                                            "\"; registered drivers: [" + names +
                                            "]; URLs look like nosqlc:<driver>:<details>");
}

}  // namespace nosqlc
