// A connection's bytes: connecting (TCP, then TLS), the handshake, and the read and write
// loops that move bytes between the Stream and the Multiplexer.
#include "connection_impl.hpp"
#include "nosqlc/protocol/engine/handshake.hpp"
#include "tls_client.hpp"

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/redirect_error.hpp>

namespace nosqlc::protocol {
namespace {

using tcp = asio::ip::tcp;
using asio::use_awaitable;

[[noreturn]] void throw_client(client_errc code, const std::string& message) {
  throw ClientError(make_error_code(code), message);
}

// A plaintext client talking to a TLS port gets a TLS record back (or just the close): say
// what the likely cause is while the handshake has not completed.
std::string tls_hint(const Connection::Impl& c, std::span<std::uint8_t> read, std::size_t n) {
  if (c.opt.tls.enabled || c.handshake_done || n < 2) return "";
  if ((read[0] == 0x15 || read[0] == 0x16) && read[1] == 0x03) {
    return " (that is TLS: the server wants tls=true)";
  }
  return "";
}

std::string eof_hint(const Connection::Impl& c) {
  if (c.opt.tls.enabled || c.handshake_done) return "";
  return " during the handshake (a server that speaks only TLS does this to a plaintext "
         "client: try tls=true)";
}

}  // namespace

using Impl = Connection::Impl;

void Impl::start_writing() {
  if (writing || !mux.has_output() || !open) return;
  writing = true;
  asio::co_spawn(ex, write_loop(shared_from_this()), asio::detached);
}

asio::awaitable<void> Impl::write_loop(std::shared_ptr<Impl> self) {
  try {
    while (self->open) {
      BytesView out = self->mux.begin_output();
      if (out.empty()) break;
      std::error_code ec;
      co_await self->stream.write(asio::buffer(out.data(), out.size()), ec);
      if (ec) {
        self->fail(make_error_code(client_errc::connection_error),
                   "write to " + self->where() + " failed: " + ec.message());
        break;
      }
      self->mux.commit_output(out.size());
      if (self->opt.counters) {
        self->opt.counters->bytes_sent.fetch_add(out.size(), std::memory_order_relaxed);
      }
    }
  } catch (const std::exception& e) {
    self->fail(make_error_code(client_errc::connection_error),
               "write to " + self->where() + " failed: " + e.what());
  }
  self->writing = false;
}

asio::awaitable<void> Impl::read_loop(std::shared_ptr<Impl> self) {
  // Detached: whatever goes wrong must close the connection, not leave it open and deaf.
  try {
    co_await self->read_frames();
  } catch (const std::exception& e) {
    self->fail(make_error_code(client_errc::connection_error),
               "reading from " + self->where() + " failed: " + e.what());
  }
}

asio::awaitable<void> Impl::read_frames() {
  while (open) {
    auto space = mux.input_space();
    std::error_code ec;
    std::size_t n = co_await stream.read_some(asio::buffer(space.data(), space.size()), ec);
    if (!open) co_return;
    if (ec) {
      std::string why = ec == asio::error::eof
                            ? "connection closed by " + where() + eof_hint(*this)
                            : "read from " + where() + " failed: " + ec.message();
      fail(make_error_code(client_errc::connection_error), why);
      co_return;
    }
    input_at = Clock::now();
    if (opt.counters) opt.counters->bytes_received.fetch_add(n, std::memory_order_relaxed);
    Status st = mux.commit_input(n, input_at, *this);
    resume_completed();
    if (!st) {
      fail(st.code, "bad frame from " + where() + ": " + st.message + tls_hint(*this, space, n));
      co_return;
    }
    submit_waiting();
    in_flight_count.store(mux.in_flight(), std::memory_order_relaxed);
  }
}

asio::awaitable<void> Impl::connect_transport() {
  std::error_code ec;
  // An address needs no resolver (whose first use starts a thread per io_context).
  auto address = asio::ip::make_address(endpoint.host, ec);
  if (!ec) {
    co_await stream.socket().async_connect(tcp::endpoint(address, endpoint.port),
                                           asio::redirect_error(use_awaitable, ec));
  } else {
    ec.clear();
    auto results = co_await resolver.async_resolve(endpoint.host, std::to_string(endpoint.port),
                                                   asio::redirect_error(use_awaitable, ec));
    if (ec) {
      throw_client(client_errc::connection_error,
                   "cannot resolve " + where() + ": " + ec.message());
    }
    co_await asio::async_connect(stream.socket(), results, asio::redirect_error(use_awaitable, ec));
  }
  if (ec) {
    throw_client(client_errc::connection_error,
                 "cannot connect to " + where() + ": " + ec.message());
  }
  stream.socket().set_option(tcp::no_delay(true), ec);
  if (!opt.tls.enabled) co_return;
#if NOSQLC_WITH_TLS
  co_await tls_client_handshake(stream, endpoint, opt.tls, tls_context);
#else
  throw_client(client_errc::connection_error, "TLS requested but nosqlc was built without TLS");
#endif
}

asio::awaitable<void> Impl::handshake(const std::string& keyspace, Clock::time_point deadline) {
  HandshakeOptions ho;
  ho.peer = where();
  ho.compression = opt.compression;
  if (opt.credentials) {
    ho.has_credentials = true;
    ho.username = opt.credentials->username;
    ho.password = opt.credentials->password;
  }
  ho.keyspace = keyspace;
  Handshake hs(std::move(ho));
  auto step = hs.start();
  while (step.kind == Handshake::Step::Kind::send) {
    auto reply = co_await wait_for(step.request, deadline, opt.connect_timeout, false);
    step = hs.on_answer(reply->message);
    // Every frame after STARTUP is compressed when lz4 was agreed (section 5).
    mux.set_compression(hs.compression());
    if (step.kind == Handshake::Step::Kind::failed) {
      if (step.server_error) throw CqlError(*step.server_error);
      throw ClientError(step.code, step.message);
    }
  }
}

void Impl::fail(std::error_code code, const std::string& reason) {
  if (close_reason.empty()) {
    close_reason = reason;
    closed_by_owner = code == client_errc::closed;
  }
  open = false;
  resolver.cancel();
  stream.close();
  tick_timer.cancel();
  tick_at = Clock::time_point::max();
  mux.fail_all(code, reason, *this);
  for (Waiter* w : id_waiters) {
    if (w->done) continue;
    w->code = code;
    w->message = reason;
    completed.push_back(w);
  }
  id_waiters.clear();
  in_flight_count = 0;
  resume_completed();
  closed_signal.cancel();
}

}  // namespace nosqlc::protocol
