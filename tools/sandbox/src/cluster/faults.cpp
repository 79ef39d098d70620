// The errors a faulty sandbox node answers, by Cassandra's exception names and messages.
#include "nosqlc/sandbox/faults.hpp"

#include <array>
#include <cctype>
#include <string>
#include <utility>

namespace nosqlc::sandbox {
namespace {

using protocol::ServerErrorCode;

constexpr std::array<std::pair<std::string_view, ServerErrorCode>, 7> kNames = {{
    {"Overloaded", ServerErrorCode::overloaded},
    {"Unavailable", ServerErrorCode::unavailable},
    {"ReadTimeout", ServerErrorCode::read_timeout},
    {"WriteTimeout", ServerErrorCode::write_timeout},
    {"IsBootstrapping", ServerErrorCode::is_bootstrapping},
    {"TruncateError", ServerErrorCode::truncate_error},
    {"ServerError", ServerErrorCode::server_error},
}};

// "read_timeout" and "READ-TIMEOUT" as "readtimeout".
std::string folded(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '_' || c == '-') continue;
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}

}  // namespace

const std::string_view fault_error_names =
    "Overloaded, Unavailable, ReadTimeout, WriteTimeout, IsBootstrapping, TruncateError, "
    "ServerError";

std::optional<ServerErrorCode> fault_error_code(std::string_view name) noexcept {
  try {
    const std::string key = folded(name);
    for (const auto& [n, code] : kNames) {
      if (folded(n) == key) return code;
    }
  } catch (...) {  // std::bad_alloc: no name
  }
  return std::nullopt;
}

std::string_view fault_error_name(ServerErrorCode code) noexcept {
  for (const auto& [n, c] : kNames) {
    if (c == code) return n;
  }
  return {};
}

protocol::ServerError fault_error(ServerErrorCode code) {
  using protocol::Consistency;
  switch (code) {
    case ServerErrorCode::unavailable:
      return {code, "Cannot achieve consistency level ONE",
              protocol::UnavailableError{Consistency::one, 1, 0}};
    case ServerErrorCode::read_timeout:
      return {code, "Operation timed out - received only 0 responses.",
              protocol::ReadTimeoutError{Consistency::one, 0, 1, false}};
    case ServerErrorCode::write_timeout:
      return {code, "Operation timed out - received only 0 responses.",
              protocol::WriteTimeoutError{Consistency::one, 0, 1, "SIMPLE"}};
    case ServerErrorCode::overloaded:
      return {code, "Server is in overloaded state. Cannot accept more requests at this point", {}};
    case ServerErrorCode::is_bootstrapping:
      return {code, "Cannot read from a bootstrapping node", {}};
    case ServerErrorCode::truncate_error:
      return {code, "Error during truncate: Truncate timed out - received only 0 responses", {}};
    case ServerErrorCode::server_error:
      // What Cassandra sends for an unexpected exception: its class and message.
      return {code, "java.lang.RuntimeException: error injected by nosqlc-sandbox", {}};
    default:
      return {code, "error injected by nosqlc-sandbox", {}};
  }
}

}  // namespace nosqlc::sandbox
