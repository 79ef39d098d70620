// What a backend implements to be found by DriverManager.
#pragma once

#include "nosqlc/nosql/observability.hpp"

#include <asio/awaitable.hpp>

#include <map>
#include <memory>
#include <string>
#include <string_view>

namespace nosqlc {

class Client;

// Driver-specific connection settings, e.g. "username" and "password".
using Properties = std::map<std::string, std::string, std::less<>>;

class Driver {
 public:
  virtual ~Driver() = default;
  // A short name for messages, e.g. "memory" or "cassandra".
  virtual std::string_view name() const noexcept = 0;
  // True if this driver handles `url` (see url.hpp for the prefixes every driver accepts).
  virtual bool accepts_url(std::string_view url) const noexcept = 0;
  // Opens a client. Throws invalid_url for a malformed URL of this driver, and the
  // connection errors of the backend.
  virtual asio::awaitable<std::shared_ptr<Client>> connect(std::string url,
                                                           Properties properties) = 0;
  // connect(), with the client reporting to `observers` (its log sink and level, a request
  // tracker). The default ignores them: a driver that reports nothing need not override it.
  virtual asio::awaitable<std::shared_ptr<Client>> connect_observed(std::string url,
                                                                    Properties properties,
                                                                    ClientObservers observers);
};

}  // namespace nosqlc
