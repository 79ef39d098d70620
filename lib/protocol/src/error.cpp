#include "nosqlc/protocol/error.hpp"

namespace nosqlc::protocol {
namespace {

class ProtocolCategory final : public std::error_category {
 public:
  const char* name() const noexcept override { return "nosqlc.protocol"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::incomplete:
        return "incomplete message";
      case errc::extra_bytes:
        return "extra bytes after message";
      case errc::invalid_length:
        return "invalid length";
      case errc::frame_too_large:
        return "frame too large";
      case errc::unknown_opcode:
        return "unknown opcode";
      case errc::unknown_type:
        return "unknown type";
      case errc::invalid_value:
        return "invalid value";
      case errc::unsupported_version:
        return "unsupported protocol version";
      case errc::compression_error:
        return "compression error";
      case errc::nesting_too_deep:
        return "nesting too deep";
    }
    return "unknown protocol error";
  }
};

}  // namespace

const std::error_category& protocol_category() noexcept {
  static const ProtocolCategory category;
  return category;
}

}  // namespace nosqlc::protocol
