#include "nosqlc/protocol/frame.hpp"

#include "nosqlc/protocol/compression.hpp"

#include <algorithm>
#include <climits>
#include <cstdint>
#include <string>

namespace nosqlc::protocol {
namespace {

Status failure(errc code, std::string message) {
  return Status{make_error_code(code), std::move(message)};
}

constexpr std::string_view kOpcodeNames[] = {
    "ERROR",     "STARTUP", "READY",          "AUTHENTICATE",  "UNKNOWN",      "OPTIONS",
    "SUPPORTED", "QUERY",   "RESULT",         "PREPARE",       "EXECUTE",      "REGISTER",
    "EVENT",     "BATCH",   "AUTH_CHALLENGE", "AUTH_RESPONSE", "AUTH_SUCCESS",
};

}  // namespace

std::string_view to_string(Opcode op) noexcept {
  auto i = static_cast<std::size_t>(op);
  return i < std::size(kOpcodeNames) ? kOpcodeNames[i] : "UNKNOWN";
}

bool is_request_opcode(Opcode op) noexcept {
  switch (op) {
    case Opcode::startup:
    case Opcode::auth_response:
    case Opcode::options:
    case Opcode::query:
    case Opcode::prepare:
    case Opcode::execute:
    case Opcode::batch:
    case Opcode::register_:
      return true;
    default:
      return false;
  }
}

bool is_response_opcode(Opcode op) noexcept {
  switch (op) {
    case Opcode::error:
    case Opcode::ready:
    case Opcode::authenticate:
    case Opcode::supported:
    case Opcode::result:
    case Opcode::event:
    case Opcode::auth_challenge:
    case Opcode::auth_success:
      return true;
    default:
      return false;
  }
}

Status decode_header(BytesView in, FrameHeader& out, std::size_t max_body) {
  if (in.size() < kHeaderSize) {
    return failure(errc::incomplete, "frame header: " + std::to_string(in.size()) + " of 9 bytes");
  }
  out.version = in[0] & 0x7F;
  out.response = (in[0] & 0x80) != 0;
  out.flags = in[1];
  out.stream = static_cast<std::int16_t>((in[2] << 8) | in[3]);
  out.opcode = static_cast<Opcode>(in[4]);
  out.length = (std::uint32_t{in[5]} << 24) | (std::uint32_t{in[6]} << 16) |
               (std::uint32_t{in[7]} << 8) | std::uint32_t{in[8]};
  if (out.version != kProtocolVersion) {
    return failure(errc::unsupported_version, "Invalid or unsupported protocol version (" +
                                                  std::to_string(out.version) +
                                                  "); supported versions are (4/v4)");
  }
  // Section 2.5: the length is an [int], so past INT32_MAX it is negative, whatever the maximum.
  const std::size_t limit = std::min<std::size_t>(max_body, INT32_MAX);
  if (out.length > limit) {
    return failure(errc::frame_too_large, "frame body of " + std::to_string(out.length) +
                                              " bytes exceeds the maximum of " +
                                              std::to_string(limit));
  }
  return {};
}

void encode_header(const FrameHeader& h, std::span<std::uint8_t, kHeaderSize> out) noexcept {
  out[0] = static_cast<std::uint8_t>((h.version & 0x7F) | (h.response ? 0x80 : 0x00));
  out[1] = h.flags;
  out[2] = static_cast<std::uint8_t>(static_cast<std::uint16_t>(h.stream) >> 8);
  out[3] = static_cast<std::uint8_t>(h.stream);
  out[4] = static_cast<std::uint8_t>(h.opcode);
  for (int i = 0; i < 4; ++i)
    out[5 + i] = static_cast<std::uint8_t>(h.length >> (24 - 8 * i));
}

Status split_frame(BytesView buffered, FrameSlice& frame, std::size_t& needed,
                   std::size_t max_body) {
  needed = 0;
  if (buffered.size() < kHeaderSize) {
    needed = kHeaderSize - buffered.size();
    return {};
  }
  if (Status s = decode_header(buffered, frame.header, max_body); !s) return s;
  const std::size_t total = kHeaderSize + frame.header.length;
  if (buffered.size() < total) {
    needed = total - buffered.size();
    return {};
  }
  frame.body = buffered.subspan(kHeaderSize, frame.header.length);
  return {};
}

Status open_body(const FrameHeader& h, BytesView body, Bytes& scratch, FrameExtras& extras,
                 BytesView& message, std::size_t max_body) {
  extras = {};
  message = {};
  if (h.flags & kFlagCompression) {
    // Sections 2.2 and 5: STARTUP is where compression is agreed, so it is never compressed.
    if (!h.response && h.opcode == Opcode::startup) {
      return failure(errc::invalid_value, "compressed STARTUP (sections 2.2 and 5 forbid it)");
    }
    if (Status s = lz4_decompress(body, scratch, max_body); !s) return s;
    body = scratch;
  }
  Reader r(body);
  if (h.response && (h.flags & kFlagTracing)) extras.tracing_id = r.uuid("tracing id");
  if (h.response && (h.flags & kFlagWarning)) extras.warnings = r.string_list("warnings");
  if (h.flags & kFlagCustomPayload) extras.custom_payload = r.bytes_map("custom payload");
  if (!r.ok()) return r.status();
  message = r.rest();
  return {};
}

namespace {

std::size_t frame_limit(std::size_t start, std::size_t max_body) {
  return max_body > SIZE_MAX - kHeaderSize - start ? SIZE_MAX : start + kHeaderSize + max_body;
}

}  // namespace

FrameWriter::FrameWriter(Bytes& out, bool response, const FrameOptions& options)
    : FrameWriter((out.clear(), out), response, options, append) {}

FrameWriter::FrameWriter(Bytes& out, bool response, const FrameOptions& options, Append)
    : out_(out),
      start_(out.size()),
      response_(response),
      stream_(options.stream),
      compress_(options.compress),
      max_body_(options.max_body),
      scratch_(options.scratch),
      writer_(out, frame_limit(out.size(), options.max_body)) {
  out_.resize(start_ + kHeaderSize);
  if (response_ && options.tracing_id) {
    flags_ |= kFlagTracing;
    writer_.uuid(*options.tracing_id);
  } else if (!response_ && options.tracing) {
    flags_ |= kFlagTracing;
  }
  if (response_ && !options.warnings.empty()) {
    flags_ |= kFlagWarning;
    writer_.string_list(options.warnings);
  }
  if (options.custom_payload) {
    flags_ |= kFlagCustomPayload;
    writer_.bytes_map(*options.custom_payload);
  }
}

Status FrameWriter::finish(Opcode opcode) {
  if (!writer_.ok()) return writer_.status();
  const std::size_t body = start_ + kHeaderSize;
  // Section 5: STARTUP carries the compression choice, so it is never compressed itself.
  if (compress_ && opcode != Opcode::startup) {
    Bytes local;
    Bytes& packed = scratch_ ? *scratch_ : local;
    packed.clear();
    if (start_ == 0) {
      // Alone in the buffer: compress behind a header's room and swap, without a copy.
      packed.resize(kHeaderSize);
      if (Status s = lz4_compress(BytesView(out_).subspan(body), packed); !s) return s;
      std::swap(out_, packed);
    } else {
      if (Status s = lz4_compress(BytesView(out_).subspan(body), packed); !s) return s;
      out_.resize(body);
      out_.insert(out_.end(), packed.begin(), packed.end());
    }
    flags_ |= kFlagCompression;
  }
  const std::size_t length = out_.size() - body;
  if (length > max_body_ || length > static_cast<std::size_t>(INT32_MAX)) {
    return failure(errc::frame_too_large, "frame body of " + std::to_string(length) +
                                              " bytes exceeds the maximum of " +
                                              std::to_string(max_body_));
  }
  FrameHeader h;
  h.response = response_;
  h.flags = flags_;
  h.stream = stream_;
  h.opcode = opcode;
  h.length = static_cast<std::uint32_t>(length);
  encode_header(h, std::span<std::uint8_t, kHeaderSize>(out_.data() + start_, kHeaderSize));
  return {};
}

void set_stream(Bytes& frame, std::int16_t stream) noexcept {
  if (frame.size() < kHeaderSize) return;
  frame[2] = static_cast<std::uint8_t>(static_cast<std::uint16_t>(stream) >> 8);
  frame[3] = static_cast<std::uint8_t>(stream);
}

}  // namespace nosqlc::protocol
