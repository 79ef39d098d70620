// One connection to one CQL server: a socket (TCP or TLS) carrying many requests at once,
// each on its own stream id (native_protocol_v4.spec section 2.3).
#pragma once

#include "nosqlc/protocol/client/errors.hpp"
#include "nosqlc/protocol/client/options.hpp"
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

// A decoded response frame. Owns the bytes that `message` views.
struct Reply {
  FrameHeader header;
  FrameExtras extras;
  Response message;
  Bytes body;     // the body as received
  Bytes scratch;  // the decompressed body, when the frame was compressed
};
using ReplyPtr = std::shared_ptr<const Reply>;

using EventHandler = std::function<void(const Event&)>;

// Lives on one executor: every member must be called from coroutines running on it (the
// Session takes care of that). Copies share the same connection.
class Connection {
 public:
  // Connects to `endpoint`, then OPTIONS, STARTUP (lz4 when offered and wanted), SASL PLAIN
  // authentication when asked, and USE `keyspace` when not empty — all within the connect
  // timeout. Throws ClientError: connection_error, timeout, authentication_error,
  // unsupported_server (not protocol v4), or a CqlError the server answered.
  static asio::awaitable<Connection> open(asio::any_io_executor ex, Endpoint endpoint,
                                          ConnectionOptions options, std::string keyspace = {},
                                          EventHandler on_event = {});

  // Sends `request` and returns the answer. Waits while every stream id is taken. Throws
  // CqlError for an ERROR answer, ClientError timeout when no answer comes within `timeout`
  // (default: the request timeout; the stream id stays reserved until the late answer or the
  // close), and connection_error when the connection is or becomes closed.
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

  struct Impl;

 private:
  explicit Connection(std::shared_ptr<Impl> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<Impl> impl_;
};

}  // namespace nosqlc::protocol
