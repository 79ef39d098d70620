#include "nosqlc/nosql/errors.hpp"

#include <cstdio>

namespace nosqlc {
namespace {

class Category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "nosqlc"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::no_suitable_driver:
        return "no suitable driver";
      case errc::invalid_url:
        return "invalid URL";
      case errc::invalid_filter:
        return "invalid filter";
      case errc::invalid_argument:
        return "invalid argument";
      case errc::unsupported_operation:
        return "unsupported operation";
      case errc::document_not_found:
        return "document not found";
      case errc::client_closed:
        return "client is closed";
      case errc::invalid_state:
        return "invalid state";
      case errc::connection_error:
        return "connection error";
      case errc::timeout:
        return "timeout";
      case errc::authentication_error:
        return "authentication error";
      case errc::protocol_error:
        return "protocol error";
      case errc::server_error:
        return "server error";
      case errc::conflict:
        return "conflict";
      case errc::unreadable_document:
        return "unreadable document";
      case errc::collection_not_found:
        return "collection not found";
    }
    return "unknown nosqlc error";
  }
};

std::string coded(int code, const std::string& message) {
  char hex[16];
  std::snprintf(hex, sizeof hex, "0x%04X", static_cast<unsigned>(code));
  return std::string(hex) + ": " + message;
}

}  // namespace

const std::error_category& error_category() noexcept {
  static const Category category;
  return category;
}

Error::Error(errc code, std::string message)
    : std::system_error(make_error_code(code)),
      message_(std::move(message)),
      what_(error_category().message(static_cast<int>(code)) + ": " + message_) {}

bool Error::is_fatal() const noexcept {
  switch (kind()) {
    case errc::client_closed:
    case errc::connection_error:
    case errc::authentication_error:
    case errc::protocol_error:
      return true;
    default:
      return false;
  }
}

ServerError::ServerError(int server_code, std::string server_message, boost::json::object details)
    : Error(errc::server_error, coded(server_code, server_message)),
      server_code_(server_code),
      server_message_(std::move(server_message)),
      details_(std::move(details)) {}

}  // namespace nosqlc
