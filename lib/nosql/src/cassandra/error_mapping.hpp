// Turns the CQL client's exceptions into the nosqlc error family at the driver's boundary.
#pragma once

#include <asio/awaitable.hpp>

#include <exception>

namespace nosqlc::cassandra {

// Rethrows the exception in flight as a nosqlc::Error: CqlError → ServerError (with the CQL
// code, the server's message and its extra fields), client failures → connection_error,
// timeout, authentication_error, protocol_error or client_closed. nosqlc errors pass through.
[[noreturn]] void rethrow_as_nosqlc();

// Awaits `op`, translating its exceptions with rethrow_as_nosqlc.
template <class T>
asio::awaitable<T> translated(asio::awaitable<T> op) {
  try {
    co_return co_await std::move(op);
  } catch (...) {
    rethrow_as_nosqlc();
  }
}

}  // namespace nosqlc::cassandra
