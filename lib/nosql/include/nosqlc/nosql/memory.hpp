// The in-memory driver, for "nosqlc:memory:". Including this header registers it.
// Each client has its own store; it is safe to use from several threads at once.
#pragma once

#include "nosqlc/nosql/driver_manager.hpp"

#include <memory>

namespace nosqlc {

class MemoryDriver final : public Driver {
 public:
  // The registered instance.
  static std::shared_ptr<Driver> instance();
  std::string_view name() const noexcept override { return "memory"; }
  // True for "nosqlc:memory:..." and the pynosqlc:/jsnosqlc: aliases.
  bool accepts_url(std::string_view url) const noexcept override;
  // A client with an empty store. Throws invalid_url when anything follows "memory:".
  asio::awaitable<std::shared_ptr<Client>> connect(std::string url, Properties) override;
};

namespace detail {
inline const DriverRegistrar<MemoryDriver> memory_driver_registrar;
}

}  // namespace nosqlc
