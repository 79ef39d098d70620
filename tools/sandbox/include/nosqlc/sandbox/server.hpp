// The sandbox server: an in-memory CQL v4 server of one or more nodes (127.0.0.1 .. 127.0.0.N
// on one port) sharing one Store, on threads of its own. The C++ test API of the sandbox:
// start it in-process, stop and restart nodes, inject faults.
#pragma once

#include "nosqlc/protocol/server_error.hpp"
#include "nosqlc/sandbox/request_handler.hpp"
#include "nosqlc/sandbox/store.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::sandbox {

// Misbehaviour of a node, for tests of what clients do about it.
struct Faults {
  std::chrono::milliseconds latency{0};  // added before every answer
  bool silent = false;                   // read requests but never answer any (a black hole)
  // Close each connection once it has answered this many statements (QUERY, PREPARE, EXECUTE,
  // BATCH); the next one is not answered. 0: never.
  std::size_t close_after = 0;
  // Answer EXECUTE and BATCH requests with this error (overloaded, unavailable, read_timeout
  // or write_timeout, with plausible extra fields) for `error_share` of them (0..1, drawn at
  // random). Handshakes, QUERY and PREPARE are spared, so drivers still connect.
  std::optional<protocol::ServerErrorCode> error;
  double error_share = 0;
};

struct ServerOptions {
  // Node i listens on this IPv4 address with i added to its last byte (127.0.0.1, .2, ...).
  // Any other host name or address allows one node only.
  std::string host = "127.0.0.1";
  std::uint16_t port = 9042;  // 0: a free port, the same for every node
  std::size_t nodes = 1;
  std::vector<Credentials> users;  // PasswordAuthenticator when not empty
  std::string tls_cert, tls_key;   // PEM files: TLS on every node when both are given
  Faults faults;                   // for every node
  std::size_t max_frame = std::size_t{16} * 1024 * 1024;
  std::size_t threads = 1;  // I/O threads
};

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};

// Thread-safe, but the members that wait (the destructor, stop_node, restart_node) must not
// be called from the server's own threads.
class Server {
 public:
  // Listens on every node and returns once they accept connections. Throws
  // std::system_error when an address cannot be bound, std::invalid_argument for bad options
  // (several nodes on a non-IPv4 host, TLS requested in a build without it, an unreadable
  // certificate).
  explicit Server(ServerOptions options);
  // Stops every node, closes every connection and joins the threads.
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  std::uint16_t port() const noexcept;
  std::size_t node_count() const noexcept;
  // Where node i listens (also while it is stopped).
  ListenAddress address(std::size_t node) const;

  // Stops node i as a crash would: closes its listener and its connections, and returns once
  // they are closed. Its peers list it as down (and tell registered clients). Its data,
  // shared, stays.
  void stop_node(std::size_t node);
  // Starts a stopped node again, with an empty prepared statement cache.
  void restart_node(std::size_t node);
  void set_faults(std::size_t node, const Faults& faults);
  // Client connections open on node i.
  std::size_t connections(std::size_t node) const;
  // How many times the nodes together ran the CQL statement `text` (see Executor::times_run).
  std::size_t times_run(std::string_view text) const;
  // The most answer bytes that waited to be written on any one connection so far: a client
  // that does not read its answers holds the server at about 8 MiB per connection.
  std::size_t max_queued_bytes() const noexcept;

  Store& store() noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace nosqlc::sandbox
