// The sandbox server: an in-memory CQL v4 server of one or more nodes (127.0.0.1 .. 127.0.0.N
// on one port, in one or more data centres) sharing one Store, on threads of its own. The C++
// test API of the sandbox: start it in-process, stop, restart, add and remove nodes, inject
// faults, read what each node coordinated. The same is open to any client through the
// sandbox.nodes and sandbox.node_stats tables.
#pragma once

#include "nosqlc/sandbox/faults.hpp"
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

// A data centre of the sandbox cluster: `nodes` nodes spread over racks rack1 .. rackR in turn.
struct DataCentre {
  std::string name;
  std::size_t nodes = 1;
  std::size_t racks = 1;
};

struct ServerOptions {
  // Node i listens on this IPv4 address with i added to its last byte (127.0.0.1, .2, ...),
  // and advertises that address in its system tables. An IPv6 address allows one node only.
  std::string host = "127.0.0.1";
  std::uint16_t port = 9042;  // 0: a free port, the same for every node
  // With `dcs` empty: `nodes` nodes in data centre datacenter1, rack rack1. Otherwise the data
  // centres in order, their nodes on consecutive addresses (`nodes` is then ignored).
  std::size_t nodes = 1;
  std::vector<DataCentre> dcs;
  // Tokens per node, 1 to 256: Cassandra 4.0's recommended 16 by default; with 1 the ring is
  // split evenly.
  std::size_t num_tokens = 16;
  std::vector<Credentials> users;  // PasswordAuthenticator when not empty
  std::string tls_cert, tls_key;   // PEM files: TLS on every node when both are given
  Faults faults;                   // for every node...
  // ... but node i takes node_faults[i] instead, where given (at most one per node).
  std::vector<Faults> node_faults;
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
  // Nodes ever created, removed ones included.
  std::size_t node_count() const noexcept;
  // Where node i listens (also while it is stopped).
  ListenAddress address(std::size_t node) const;

  // Stops node i as a crash would: closes its listener and its connections, and returns once
  // they are closed. Its peers list it as down (and send STATUS_CHANGE DOWN). Its data,
  // shared, stays. Ignored for a stopped or removed node.
  void stop_node(std::size_t node);
  // Starts a stopped node again, with an empty prepared statement cache (STATUS_CHANGE UP).
  // Throws std::system_error when its address cannot be bound again.
  void restart_node(std::size_t node);
  // Adds a node to data centre `dc` (rack `rack`) listening on `address` (empty: the next
  // address after the highest node's) and the cluster's port, with fresh tokens from the ring;
  // the others send TOPOLOGY_CHANGE NEW_NODE once it accepts connections. Returns its index.
  // Throws std::invalid_argument for a bad or taken address or a full cluster,
  // std::system_error when the address cannot be bound.
  std::size_t add_node(const std::string& dc, const std::string& rack = "rack1",
                       const std::string& address = "");
  // Stops node i and removes it from the cluster: it leaves the system tables and the others
  // send TOPOLOGY_CHANGE REMOVED_NODE. Its index is not reused. Ignored when already removed.
  void remove_node(std::size_t node);
  // The index of the node whose address is `address` (the newest, when a removed node's
  // address was given to another), if any.
  std::optional<std::size_t> node_index(std::string_view address) const;
  // Where the node's data centre and rack are.
  std::string dc(std::size_t node) const;
  std::string rack(std::size_t node) const;
  // The addresses of the replicas of the partition whose serialized key is `key` in
  // `keyspace`, primary first, as the cluster places them; empty for an unknown keyspace.
  std::vector<std::string> replicas(std::string_view keyspace, BytesView key) const;
  // What node i coordinated since the start (or the last TRUNCATE sandbox.node_stats).
  NodeStats node_stats(std::size_t node) const;
  // Replaces node i's faults (sandbox.nodes shows them). Throws std::out_of_range for an
  // unknown node.
  void set_faults(std::size_t node, const Faults& faults);
  Faults faults(std::size_t node) const;
  // Client connections open on node i.
  std::size_t connections(std::size_t node) const;
  // How many times the nodes together ran the CQL statement `text` (see Executor::times_run).
  std::size_t times_run(std::string_view text) const;
  // The same for node i alone.
  std::size_t times_run(std::string_view text, std::size_t node) const;
  // The most answer bytes that waited to be written on any one connection so far: a client
  // that does not read its answers holds the server at about 8 MiB per connection.
  std::size_t max_queued_bytes() const noexcept;

  Store& store() noexcept;

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace nosqlc::sandbox
