// The nosqlc error family: one exception type per failure kind, each carrying a stable
// std::error_code of category "nosqlc".
#pragma once

#include <boost/json/object.hpp>

#include <stdexcept>
#include <string>
#include <system_error>

namespace nosqlc {

enum class errc {
  no_suitable_driver = 1,  // no registered driver accepts the URL
  invalid_url,             // a driver's URL that is malformed or has an unknown option
  invalid_filter,          // a filter AST that is not valid
  invalid_argument,        // a bad collection name, key or document
  unsupported_operation,   // the driver does not implement the operation
  document_not_found,      // update of a key that holds no document
  client_closed,           // an operation on a closed client
  invalid_state,           // e.g. Cursor::document() before next(), or on a closed cursor
  connection_error,        // the database cannot be reached or the connection broke
  timeout,                 // the database did not answer in time
  authentication_error,    // credentials missing or rejected
  protocol_error,          // the database sent something the client cannot understand
  server_error,            // the database answered with an error (see ServerError)
  conflict,                // a compare-and-set kept losing to concurrent writers
  unreadable_document,     // a stored document that is not a JSON object (or nests too deep)
  collection_not_found,    // a collection that does not exist where it must (no auto-create)
};

const std::error_category& error_category() noexcept;
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), error_category()};
}

// Base of every exception nosqlc throws. code() is stable; what() is for people: the kind,
// once, then what happened ("connection error: cannot connect to 127.0.0.1:9042: ...").
class Error : public std::system_error {
 public:
  Error(errc code, std::string message);
  errc kind() const noexcept { return static_cast<errc>(code().value()); }
  const char* what() const noexcept override { return what_.c_str(); }
  // What happened, without the kind.
  const std::string& message() const noexcept { return message_; }
  // True when the client or its connection cannot be used any more and must be reopened.
  bool is_fatal() const noexcept;

 private:
  std::string message_;
  std::string what_;
};

// An error answered by the database server. The server's message is kept apart from ours:
// it may contain user input.
class ServerError : public Error {
 public:
  ServerError(int server_code, std::string server_message, boost::json::object details);
  // The backend's error code (for Cassandra: the CQL error code of spec section 9).
  int server_code() const noexcept { return server_code_; }
  const std::string& server_message() const noexcept { return server_message_; }
  // The code's extra fields, e.g. {"consistency":"QUORUM","required":3,"alive":1}.
  const boost::json::object& details() const noexcept { return details_; }

 private:
  int server_code_;
  std::string server_message_;
  boost::json::object details_;
};

}  // namespace nosqlc

template <>
struct std::is_error_code_enum<nosqlc::errc> : std::true_type {};
