// The one place that names the drivers nosqlc ships with. To add a driver, include its header
// here (that alone registers it) and register its instance below.
#include "nosqlc/cli/drivers.hpp"

#include <nosqlc/nosql/cassandra.hpp>
#include <nosqlc/nosql/memory.hpp>

namespace nosqlc::cli {

void register_drivers() {
  // Explicit as well as by the header's registrar, in case a test cleared the registry.
  DriverManager::register_driver(MemoryDriver::instance());
  DriverManager::register_driver(CassandraDriver::instance());
}

}  // namespace nosqlc::cli
