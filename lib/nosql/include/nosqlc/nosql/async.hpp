// Ways to call the coroutine API other than co_await: any Asio completion token (callbacks,
// asio::use_future, ...), a non-throwing result, and a blocking call for simple programs.
#pragma once

#include "nosqlc/nosql/errors.hpp"

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/use_future.hpp>

#include <exception>
#include <optional>
#include <string>
#include <system_error>
#include <type_traits>
#include <utility>

namespace nosqlc {

// Starts `op` on `ex` and delivers its outcome to `token` as asio::co_spawn does: a callback
// receives (std::exception_ptr, T) — (std::exception_ptr) for void — and asio::use_future
// gives a std::future<T> that rethrows the operation's exception.
template <class Executor, class T, class CompletionToken>
auto async_run(const Executor& ex, asio::awaitable<T> op, CompletionToken&& token) {
  return asio::co_spawn(ex, std::move(op), std::forward<CompletionToken>(token));
}

// The non-throwing form: an error code and message instead of an exception.
template <class T>
struct Outcome {
  std::error_code error;
  std::string message;
  std::optional<T> value;  // set when !error
  explicit operator bool() const noexcept { return !error; }
};
template <>
struct Outcome<void> {
  std::error_code error;
  std::string message;
  explicit operator bool() const noexcept { return !error; }
};

// Awaits `op` and returns its value or the nosqlc (or other std::system_error) error it threw.
// Exceptions of other types propagate.
template <class T>
asio::awaitable<Outcome<T>> attempt(asio::awaitable<T> op) {
  Outcome<T> out;
  try {
    if constexpr (std::is_void_v<T>) {
      co_await std::move(op);
    } else {
      out.value.emplace(co_await std::move(op));
    }
  } catch (const std::system_error& e) {
    out.error = e.code();
    out.message = e.what();
  }
  co_return out;
}

// Runs `op` to completion on a private io_context in the calling thread and returns its value
// or rethrows its exception. For programs without an event loop of their own.
template <class T>
T block_on(asio::awaitable<T> op) {
  asio::io_context io;
  auto fut = asio::co_spawn(io, std::move(op), asio::use_future);
  io.run();
  return fut.get();
}

}  // namespace nosqlc
