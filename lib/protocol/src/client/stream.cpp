#include "nosqlc/protocol/client/stream.hpp"

#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include <cstring>

namespace nosqlc::protocol {

using asio::use_awaitable;

Stream::Stream(asio::ip::tcp::socket socket) : socket_(std::move(socket)) {}

Stream::~Stream() = default;

#if NOSQLC_WITH_TLS
asio::ssl::stream<asio::ip::tcp::socket&>& Stream::start_tls(asio::ssl::context& context) {
  tls_ = std::make_unique<asio::ssl::stream<asio::ip::tcp::socket&>>(socket_, context);
  return *tls_;
}
#endif

bool Stream::is_tls() const noexcept {
#if NOSQLC_WITH_TLS
  return tls_ != nullptr;
#else
  return false;
#endif
}

asio::awaitable<std::size_t> Stream::read_some(asio::mutable_buffer b, std::error_code& ec) {
#if NOSQLC_WITH_TLS
  if (tls_) co_return co_await tls_->async_read_some(b, asio::redirect_error(use_awaitable, ec));
#endif
  co_return co_await socket_.async_read_some(b, asio::redirect_error(use_awaitable, ec));
}

asio::awaitable<void> Stream::write(std::span<const asio::const_buffer> buffers,
                                    std::error_code& ec) {
#if NOSQLC_WITH_TLS
  if (tls_) {
    // An SSL stream makes one record per buffer: join them so that they leave together.
    if (buffers.size() > 1) {
      joined_.clear();
      for (const auto& b : buffers) {
        const auto* p = static_cast<const unsigned char*>(b.data());
        joined_.insert(joined_.end(), p, p + b.size());
      }
      co_await asio::async_write(*tls_, asio::buffer(joined_),
                                 asio::redirect_error(use_awaitable, ec));
      co_return;
    }
    co_await asio::async_write(*tls_, buffers, asio::redirect_error(use_awaitable, ec));
    co_return;
  }
#endif
  co_await asio::async_write(socket_, buffers, asio::redirect_error(use_awaitable, ec));
}

asio::awaitable<void> Stream::write(asio::const_buffer b, std::error_code& ec) {
  // A coroutine of its own: the span below views `b`, which must live in a frame.
  co_await write(std::span<const asio::const_buffer>(&b, 1), ec);
}

void Stream::close() noexcept {
  std::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace nosqlc::protocol
