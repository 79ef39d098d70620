#include "nosqlc/protocol/client_errors.hpp"

#include <cstdio>

namespace nosqlc::protocol {
namespace {

class ClientCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "nosqlc.client"; }
  std::string message(int ev) const override {
    switch (static_cast<client_errc>(ev)) {
      case client_errc::connection_error:
        return "connection error";
      case client_errc::timeout:
        return "timeout";
      case client_errc::authentication_error:
        return "authentication error";
      case client_errc::unsupported_server:
        return "unsupported server";
      case client_errc::closed:
        return "closed";
    }
    return "unknown client error";
  }
};

std::string describe(const ServerError& e) {
  char code[16];
  std::snprintf(code, sizeof code, "0x%04X", static_cast<unsigned>(e.code));
  return std::string(to_string(e.code)) + " (" + code + "): " + e.message;
}

}  // namespace

const std::error_category& client_category() noexcept {
  static const ClientCategory category;
  return category;
}

CqlError::CqlError(const ServerError& e)
    : ClientError(make_error_code(e.code), describe(e)), error_(e) {
  if (auto* u = std::get_if<UnpreparedError>(&error_.details)) {
    unprepared_id_.assign(u->id.begin(), u->id.end());
    u->id = {};  // a view would dangle once the exception is copied
  }
}

}  // namespace nosqlc::protocol
