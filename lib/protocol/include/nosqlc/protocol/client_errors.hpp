// Errors of the CQL client: failures of the connection and error answers from the server.
#pragma once

#include "nosqlc/protocol/notations.hpp"
#include "nosqlc/protocol/server_error.hpp"

#include <string>
#include <string_view>
#include <system_error>

namespace nosqlc::protocol {

enum class client_errc {
  connection_error = 1,  // cannot connect, or the connection broke
  timeout,               // no answer within the deadline
  authentication_error,  // credentials missing or rejected, or an unsupported authenticator
  unsupported_server,    // the server does not speak protocol v4 (or sent garbage)
  closed,                // the session or connection was closed by its owner
};
const std::error_category& client_category() noexcept;
inline std::error_code make_error_code(client_errc e) noexcept {
  return {static_cast<int>(e), client_category()};
}

// Thrown by the client for every failure; code() is a client_errc, a protocol errc, or a
// ServerErrorCode (then the exception is a CqlError). what() is the message alone, without
// the code's category text, so that a layer wrapping it adds its own kind once.
class ClientError : public std::system_error {
 public:
  ClientError(std::error_code code, std::string message)
      : std::system_error(code), message_(std::move(message)) {}
  const char* what() const noexcept override { return message_.c_str(); }
  // Adds context to the message (the session adds the hosts it tried).
  void append(std::string_view more) { message_ += more; }

 private:
  std::string message_;
};

// An ERROR answered by the server, owning its details.
class CqlError : public ClientError {
 public:
  explicit CqlError(const ServerError& e);
  ServerErrorCode server_code() const noexcept { return error_.code; }
  const std::string& server_message() const noexcept { return error_.message; }
  // The code's extra fields. For Unprepared the id view is empty: use unprepared_id().
  const ServerErrorDetails& details() const noexcept { return error_.details; }
  const Bytes& unprepared_id() const noexcept { return unprepared_id_; }

 private:
  ServerError error_;
  Bytes unprepared_id_;
};

}  // namespace nosqlc::protocol

template <>
struct std::is_error_code_enum<nosqlc::protocol::client_errc> : std::true_type {};
