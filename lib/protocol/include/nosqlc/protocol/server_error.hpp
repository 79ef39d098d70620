// The ERROR response (native_protocol_v4.spec sections 4.2.1 and 9): one struct per error code
// that carries extra fields, and an error category for the CQL codes.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstdint>
#include <string>
#include <string_view>
#include <system_error>
#include <variant>
#include <vector>

namespace nosqlc::protocol {

// Section 9.
enum class ServerErrorCode : std::int32_t {
  server_error = 0x0000,
  protocol_error = 0x000A,
  bad_credentials = 0x0100,
  unavailable = 0x1000,
  overloaded = 0x1001,
  is_bootstrapping = 0x1002,
  truncate_error = 0x1003,
  write_timeout = 0x1100,
  read_timeout = 0x1200,
  read_failure = 0x1300,
  function_failure = 0x1400,
  write_failure = 0x1500,
  syntax_error = 0x2000,
  unauthorized = 0x2100,
  invalid = 0x2200,
  config_error = 0x2300,
  already_exists = 0x2400,
  unprepared = 0x2500,
};
// "Unavailable", "Write_timeout", ... as section 9 names them; "Unknown" otherwise.
std::string_view to_string(ServerErrorCode c) noexcept;
// The category "nosqlc.cql" whose values are the CQL error codes.
const std::error_category& server_error_category() noexcept;
inline std::error_code make_error_code(ServerErrorCode c) noexcept {
  return {static_cast<int>(c), server_error_category()};
}

struct UnavailableError {  // 0x1000
  Consistency consistency = Consistency::one;
  std::int32_t required = 0;
  std::int32_t alive = 0;
};
struct WriteTimeoutError {  // 0x1100
  Consistency consistency = Consistency::one;
  std::int32_t received = 0;
  std::int32_t block_for = 0;
  std::string write_type;  // "SIMPLE", "BATCH", "UNLOGGED_BATCH", "COUNTER", "BATCH_LOG", ...
};
struct ReadTimeoutError {  // 0x1200
  Consistency consistency = Consistency::one;
  std::int32_t received = 0;
  std::int32_t block_for = 0;
  bool data_present = false;
};
struct ReadFailureError {  // 0x1300
  Consistency consistency = Consistency::one;
  std::int32_t received = 0;
  std::int32_t block_for = 0;
  std::int32_t num_failures = 0;
  bool data_present = false;
};
struct FunctionFailureError {  // 0x1400
  std::string keyspace;
  std::string function;
  std::vector<std::string> arg_types;
};
struct WriteFailureError {  // 0x1500
  Consistency consistency = Consistency::one;
  std::int32_t received = 0;
  std::int32_t block_for = 0;
  std::int32_t num_failures = 0;
  std::string write_type;
};
struct AlreadyExistsError {  // 0x2400; table is empty for a keyspace
  std::string keyspace;
  std::string table;
};
struct UnpreparedError {  // 0x2500
  BytesView id;           // views the decoded body
};

// monostate for the codes without extra fields (and for unknown codes).
using ServerErrorDetails = std::variant<std::monostate, UnavailableError, WriteTimeoutError,
                                        ReadTimeoutError, ReadFailureError, FunctionFailureError,
                                        WriteFailureError, AlreadyExistsError, UnpreparedError>;

// ERROR, section 4.2.1. `message` is the server's text (it may quote user input).
struct ServerError {
  ServerErrorCode code = ServerErrorCode::server_error;
  std::string message;
  ServerErrorDetails details;
};

// Reads an ERROR body. A code section 9 does not define is kept with monostate details and
// the rest of the body is skipped, its layout being unknown.
void read_body(Reader& r, ServerError& out);
// Writes an ERROR body; invalid_value when `details` is not the alternative `code` calls for.
void write_body(Writer& w, const ServerError& m);

}  // namespace nosqlc::protocol

template <>
struct std::is_error_code_enum<nosqlc::protocol::ServerErrorCode> : std::true_type {};
