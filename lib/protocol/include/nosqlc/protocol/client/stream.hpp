// A connection's transport, TCP or TLS over TCP, for both ends: the client's connections
// and nosqlc-sandbox's server read and write through it. Used from one executor at a time.
#pragma once

#include <asio/awaitable.hpp>
#include <asio/buffer.hpp>
#include <asio/ip/tcp.hpp>

#if NOSQLC_WITH_TLS
#include <asio/ssl/context.hpp>
#include <asio/ssl/stream.hpp>
#endif

#include <cstddef>
#include <memory>
#include <span>
#include <system_error>
#include <vector>

namespace nosqlc::protocol {

class Stream {
 public:
  explicit Stream(asio::ip::tcp::socket socket);
  ~Stream();
  Stream(const Stream&) = delete;
  Stream& operator=(const Stream&) = delete;

  asio::ip::tcp::socket& socket() noexcept { return socket_; }

#if NOSQLC_WITH_TLS
  // Layers TLS over the socket, with `context` (which must outlive the stream). The caller
  // then runs the handshake on the returned stream, as client or server.
  asio::ssl::stream<asio::ip::tcp::socket&>& start_tls(asio::ssl::context& context);
#endif
  bool is_tls() const noexcept;

  // Reads at least one byte into `b`; `ec` is set on failure (asio::error::eof when the
  // peer closed), the count is then 0.
  asio::awaitable<std::size_t> read_some(asio::mutable_buffer b, std::error_code& ec);
  // Writes every byte of `buffers`, in order. Over TLS they are joined first, so that they
  // leave in as few records as their size allows.
  asio::awaitable<void> write(std::span<const asio::const_buffer> buffers, std::error_code& ec);
  asio::awaitable<void> write(asio::const_buffer b, std::error_code& ec);

  // Closes the socket at once (no TLS close_notify): pending operations end with errors.
  void close() noexcept;

 private:
  asio::ip::tcp::socket socket_;
#if NOSQLC_WITH_TLS
  std::unique_ptr<asio::ssl::stream<asio::ip::tcp::socket&>> tls_;
#endif
  std::vector<unsigned char> joined_;  // a TLS write's buffers, together
};

}  // namespace nosqlc::protocol
