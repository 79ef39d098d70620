// Error codes of the CQL protocol layer and the status value its decoders return.
#pragma once

#include <string>
#include <system_error>

namespace nosqlc::protocol {

enum class errc {
  incomplete = 1,       // the input ends inside the value being read
  extra_bytes,          // bytes left over after a complete body
  invalid_length,       // a negative, inconsistent or too large length or count
  frame_too_large,      // a frame body longer than the configured maximum
  unknown_opcode,       // an opcode the spec does not define (or wrong direction)
  unknown_type,         // a type option id the spec does not define
  invalid_value,        // a value out of its domain (bad consistency, bool byte, inet size...)
  unsupported_version,  // a protocol version other than v4
  compression_error,    // an lz4 body that does not decompress to its announced size
  nesting_too_deep,     // a type or value nested past the decoder's bound
};

const std::error_category& protocol_category() noexcept;
inline std::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), protocol_category()};
}

// What a decoder or encoder reports: a code and a message naming what was being processed
// and at which offset. A default-constructed status is success.
struct Status {
  std::error_code code;
  std::string message;

  bool ok() const noexcept { return !code; }
  explicit operator bool() const noexcept { return !code; }
};

// Thrown where a protocol failure must leave a non-error_code API (the client layer).
// what() is the message alone, without the code's category text.
class ProtocolError : public std::system_error {
 public:
  explicit ProtocolError(const Status& s) : std::system_error(s.code), message_(s.message) {}
  const char* what() const noexcept override { return message_.c_str(); }

 private:
  std::string message_;
};

}  // namespace nosqlc::protocol

template <>
struct std::is_error_code_enum<nosqlc::protocol::errc> : std::true_type {};
