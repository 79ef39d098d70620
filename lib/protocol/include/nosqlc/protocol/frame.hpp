// Frames of native_protocol_v4.spec sections 1 and 2: the 9-byte header, the flag-driven body
// prefixes (tracing id, warnings, custom payload), frame assembly from a growing input buffer,
// and frame encoding into a reusable buffer. Pure functions over bytes: no I/O.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace nosqlc::protocol {

inline constexpr std::uint8_t kProtocolVersion = 4;
inline constexpr std::size_t kHeaderSize = 9;
// Section 2.5: "currently a frame is limited to 256MB in length".
inline constexpr std::size_t kDefaultMaxBody = std::size_t{256} * 1024 * 1024;

// Header flags, section 2.2.
inline constexpr std::uint8_t kFlagCompression = 0x01;
inline constexpr std::uint8_t kFlagTracing = 0x02;
inline constexpr std::uint8_t kFlagCustomPayload = 0x04;
inline constexpr std::uint8_t kFlagWarning = 0x08;

// Section 2.4. A decoded header may hold any byte here; the message dispatchers reject the
// values that are not opcodes of their direction.
enum class Opcode : std::uint8_t {
  error = 0x00,
  startup = 0x01,
  ready = 0x02,
  authenticate = 0x03,
  options = 0x05,
  supported = 0x06,
  query = 0x07,
  result = 0x08,
  prepare = 0x09,
  execute = 0x0A,
  register_ = 0x0B,
  event = 0x0C,
  batch = 0x0D,
  auth_challenge = 0x0E,
  auth_response = 0x0F,
  auth_success = 0x10,
};
// "QUERY", "RESULT", ...; "UNKNOWN" for other bytes.
std::string_view to_string(Opcode op) noexcept;
bool is_request_opcode(Opcode op) noexcept;   // sent by clients
bool is_response_opcode(Opcode op) noexcept;  // sent by servers

struct FrameHeader {
  std::uint8_t version = kProtocolVersion;  // without the direction bit
  bool response = false;                    // the direction bit 0x80 of the version byte
  std::uint8_t flags = 0;
  std::int16_t stream = 0;  // -1 for events
  Opcode opcode = Opcode::options;
  std::uint32_t length = 0;  // of the body
};

// Decodes the header at the front of `in` (extra bytes are the body and ignored).
// incomplete with fewer than 9 bytes. unsupported_version unless the version is 4, with every
// field still filled in so a server can answer with a ProtocolError on `out.stream`.
// frame_too_large when the body length exceeds `max_body` or INT32_MAX (a negative [int]);
// nothing is allocated here.
[[nodiscard]] Status decode_header(BytesView in, FrameHeader& out,
                                   std::size_t max_body = kDefaultMaxBody);
// Writes the 9 header bytes.
void encode_header(const FrameHeader& h, std::span<std::uint8_t, kHeaderSize> out) noexcept;

// A complete frame found in an input buffer; views that buffer.
struct FrameSlice {
  FrameHeader header;
  BytesView body;
  std::size_t size() const noexcept { return kHeaderSize + body.size(); }
};

// Frame assembly for a read loop. Looks at the front of `buffered` (what was read so far):
// - ok and needed == 0: a complete frame is at the front and `frame` views it; consume
//   frame.size() bytes once done with it;
// - ok and needed > 0: at least `needed` more bytes must be read before calling again;
// - an error from decode_header (the header is then in frame.header; the stream is dead).
[[nodiscard]] Status split_frame(BytesView buffered, FrameSlice& frame, std::size_t& needed,
                                 std::size_t max_body = kDefaultMaxBody);

// What the header flags put in front of the message in a body (section 2.2).
struct FrameExtras {
  std::optional<Uuid> tracing_id;          // responses with flag 0x02
  std::vector<std::string> warnings;       // responses with flag 0x08
  std::optional<BytesMap> custom_payload;  // flag 0x04, both directions
};

// Opens a frame body for the message dispatchers: decompresses it (lz4, section 5) into
// `scratch` when flag 0x01 is set, then reads the prefixes the flags announce, in the order
// tracing id, warnings, custom payload. On success `message` is the rest of the body: a view
// of `body` or of `scratch`. Errors: those of lz4_decompress and of the prefixes' notations;
// invalid_value for a compressed STARTUP (section 5).
[[nodiscard]] Status open_body(const FrameHeader& h, BytesView body, Bytes& scratch,
                               FrameExtras& extras, BytesView& message,
                               std::size_t max_body = kDefaultMaxBody);

// How to frame an encoded message.
struct FrameOptions {
  std::int16_t stream = 0;
  bool tracing = false;                    // requests: ask for tracing (flag 0x02, no prefix)
  std::optional<Uuid> tracing_id;          // responses: flag 0x02 and the [uuid] prefix
  std::vector<std::string> warnings;       // responses: when non-empty, flag 0x08 and prefix
  std::optional<BytesMap> custom_payload;  // flag 0x04 and the [bytes map] prefix
  bool compress = false;                   // lz4 the body (flag 0x01)
  std::size_t max_body = kDefaultMaxBody;  // frame_too_large past this
  Bytes* scratch = nullptr;                // reused by compression when given
};

// Writes one frame into a reusable buffer: the constructor clears `out` (keeping its
// capacity), or with `append` starts the frame at its end; it reserves the header and writes
// the prefixes; the caller writes the message through body(); finish() compresses if asked
// and fills in the header.
class FrameWriter {
 public:
  static constexpr struct Append {
  } append{};
  FrameWriter(Bytes& out, bool response, const FrameOptions& options);
  FrameWriter(Bytes& out, bool response, const FrameOptions& options, Append);
  Writer& body() noexcept { return writer_; }
  // The first error met by body() or by compression; the frame is complete on success.
  [[nodiscard]] Status finish(Opcode opcode);

 private:
  Bytes& out_;
  std::size_t start_;  // where the frame's header is in out_
  bool response_;
  std::uint8_t flags_ = 0;
  std::int16_t stream_;
  bool compress_;
  std::size_t max_body_;
  Bytes* scratch_;
  Writer writer_;
};

// Sets the stream id of an encoded frame (at least 9 bytes), e.g. just before sending it.
void set_stream(Bytes& frame, std::int16_t stream) noexcept;

}  // namespace nosqlc::protocol
