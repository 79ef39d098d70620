// One connection to one CQL server: a socket (TCP or TLS) carrying many requests at once,
// each on its own stream id (native_protocol_v4.spec section 2.3).
#pragma once

#include "nosqlc/protocol/client/options.hpp"
#include "nosqlc/protocol/client_errors.hpp"
#include "nosqlc/protocol/engine/reply.hpp"
#include "nosqlc/protocol/events.hpp"
#include "nosqlc/protocol/messages.hpp"

#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace nosqlc::protocol {

using EventHandler = std::function<void(const Event&)>;

// Lives on one executor, which must not run its handlers on two threads at once (an
// io_context run by one thread, or a strand). Every member may be called from any thread:
// request() hands a request over from another executor (one wake-up per turn of the
// connection's loop for all the requests handed over meanwhile) and resumes the caller on its
// own executor; open(), close() and wait_closed() run their part on the connection's
// executor; close_reason() is meaningful once wait_closed() returned. Copies share the same
// connection; it closes when the last copy is destroyed (from any thread), as if close() were
// called. A moved-from Connection may only be destroyed or assigned to.
class Connection {
 public:
  // Connects to `endpoint`, then OPTIONS, STARTUP (lz4 when offered and wanted), SASL PLAIN
  // authentication when asked, and USE `keyspace` (quoted: exact case) when not empty — all
  // within the connect timeout. `on_event` is called on the executor for each EVENT (stream
  // -1); what it throws is ignored. Throws ClientError: connection_error (also a TLS failure,
  // naming the verification error), timeout, authentication_error, unsupported_server (not
  // protocol v4), or a CqlError the server answered.
  static asio::awaitable<Connection> open(asio::any_io_executor ex, Endpoint endpoint,
                                          ConnectionOptions options, std::string keyspace = {},
                                          EventHandler on_event = {});

  // Sends `request` and returns the answer. Waits while every stream id is taken. `timeout`
  // (default: the request timeout) bounds the wait for a stream id and for the answer. Throws
  // CqlError for an ERROR answer; ClientError timeout when no answer comes in time (the
  // stream id stays reserved until the late answer or the close); connection_error when the
  // connection is or becomes closed by the peer or a failure, closed when closed by close();
  // ClientError asio::error::operation_aborted when the awaiting coroutine is cancelled (the
  // id is then reserved as for a timeout). `request`'s views must stay valid until it returns.
  asio::awaitable<ReplyPtr> request(const Request& request,
                                    std::optional<std::chrono::milliseconds> timeout = {});

  // Closes the socket and fails every request in flight with `closed`. Idempotent.
  void close();
  // Resumes once the connection is closed, by either side.
  asio::awaitable<void> wait_closed();

  bool is_open() const noexcept;
  std::size_t in_flight() const noexcept;  // requests awaiting an answer, orphans included
  bool compressed() const noexcept;        // lz4 was negotiated
  const Endpoint& endpoint() const noexcept;
  std::string close_reason() const;  // why it closed; empty while open
  asio::any_io_executor get_executor() const noexcept;
  // Whether both are copies of one connection.
  friend bool operator==(const Connection& a, const Connection& b) noexcept {
    return a.impl_ == b.impl_;
  }

  struct Impl;
  struct Waiter;

 private:
  struct Handle;
  explicit Connection(std::shared_ptr<Impl> impl);
  static asio::awaitable<std::optional<Connection>> open_here(asio::any_io_executor ex,
                                                              Endpoint endpoint,
                                                              ConnectionOptions options,
                                                              std::string keyspace,
                                                              EventHandler on_event);
  std::shared_ptr<Impl> impl_;  // shares the Handle's count (aliasing): see Handle
};

}  // namespace nosqlc::protocol
