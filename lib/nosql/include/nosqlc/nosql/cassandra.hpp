// The Cassandra driver, for "nosqlc:cassandra:host[:port][,...]/keyspace[?options]" (see
// cassandra/url.hpp for the options). Including this header registers it.
//
// Storage, compatible with pynosqlc-cassandra: one table per collection in the URL's keyspace,
// `CREATE TABLE IF NOT EXISTS <name> (pk text PRIMARY KEY, data text)`, the document as JSON
// in `data`. The keyspace is created when absent (SimpleStrategy, replication factor 1 unless
// the URL's `replication` option says otherwise).
#pragma once

#include "nosqlc/nosql/driver_manager.hpp"

#include <memory>

namespace nosqlc {

class CassandraDriver final : public Driver {
 public:
  // The registered instance.
  static std::shared_ptr<Driver> instance();
  std::string_view name() const noexcept override { return "cassandra"; }
  // True for "nosqlc:cassandra:..." and the pynosqlc:/jsnosqlc: aliases.
  bool accepts_url(std::string_view url) const noexcept override;
  // Connects (properties "username" and "password" for PasswordAuthenticator) and creates the
  // keyspace when absent. Throws invalid_url, connection_error, timeout,
  // authentication_error, protocol_error or server_error. The client's connections run on
  // `io_threads` event loops of its own (URL option, default 1), so its operations may be
  // awaited from any executor: they run there and resume there. With io_threads=0 they run
  // on the executor that called connect, whose loop must keep running while the client is
  // used.
  asio::awaitable<std::shared_ptr<Client>> connect(std::string url, Properties properties) override;
};

namespace detail {
inline const DriverRegistrar<CassandraDriver> cassandra_driver_registrar;
}

}  // namespace nosqlc
