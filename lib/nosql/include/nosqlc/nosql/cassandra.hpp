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
namespace protocol {
class Session;
}

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
  // connect(), the client's session logging to observers.log_sink (else the process's) at
  // observers.log_level (else the URL's log_level, else the process's) and telling
  // observers.tracker of each request.
  asio::awaitable<std::shared_ptr<Client>> connect_observed(std::string url, Properties properties,
                                                            ClientObservers observers) override;
};

// The CQL session under a Cassandra client (include nosqlc/protocol/client/session.hpp to
// use it): raw CQL through the same connections, routing, retries and metrics. It stays usable
// while the client is open; once the client is closed its operations throw `closed`, and the
// object (not the connections) lives while this pointer does. Throws invalid_argument for a
// client of another driver, client_closed for a closed one.
std::shared_ptr<protocol::Session> cassandra_session(Client& client);

namespace detail {
inline const DriverRegistrar<CassandraDriver> cassandra_driver_registrar;
}

}  // namespace nosqlc
