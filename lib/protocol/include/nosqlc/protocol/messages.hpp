// Every v4 message in both directions: the Request and Response variants, one dispatcher per
// direction on the header's opcode, and whole-frame encoders. The server uses decode_request
// and encode_response, the client encode_request and decode_response.
#pragma once

#include "nosqlc/protocol/frame.hpp"
#include "nosqlc/protocol/requests.hpp"
#include "nosqlc/protocol/responses.hpp"
#include "nosqlc/protocol/result.hpp"
#include "nosqlc/protocol/server_error.hpp"

#include <variant>

namespace nosqlc::protocol {

using Request =
    std::variant<Startup, AuthResponse, Options, Query, Prepare, Execute, Batch, Register>;
using Response = std::variant<ServerError, Ready, Authenticate, Supported, Result, Event,
                              AuthChallenge, AuthSuccess>;

Opcode opcode_of(const Request& m) noexcept;
Opcode opcode_of(const Response& m) noexcept;

// Decodes one message body, which must be consumed exactly (extra_bytes otherwise). Offsets in
// messages count from the start of `body`.
template <class M>
[[nodiscard]] Status decode_body(BytesView body, M& out) {
  Reader r(body);
  read_body(r, out);
  r.expect_end("message body");
  return r.status();
}

// Decodes the message body of a request frame (`body` as open_body returns it) by its
// opcode; the body must be consumed exactly (extra_bytes otherwise) unless `ignore_trailing`,
// as a server may choose (Cassandra 4 ignores what follows a complete request: transport/
// Message.java decodes the body and checks no remainder). invalid_value when the header is a
// response's; unknown_opcode for an opcode that is not a request's. The message views `body`.
[[nodiscard]] Status decode_request(const FrameHeader& h, BytesView body, Request& out,
                                    bool ignore_trailing = false);
// The same for responses, except that bytes after a complete message are ignored, as
// section 4.2 asks of clients (room for the protocol's future additions).
[[nodiscard]] Status decode_response(const FrameHeader& h, BytesView body, Response& out);

// Encodes a whole frame (header, prefixes, body, lz4 if asked) into `out`, replacing its
// content and reusing its capacity. Errors: those of the body writers, frame_too_large.
[[nodiscard]] Status encode_request(const Request& m, Bytes& out, const FrameOptions& o = {});
[[nodiscard]] Status encode_response(const Response& m, Bytes& out, const FrameOptions& o = {});
// Appends a whole request frame to `out` instead (what was there stays, frames coalesce). On
// failure `out` may hold a partial frame past its old size: the caller cuts it off.
[[nodiscard]] Status append_request(const Request& m, Bytes& out, const FrameOptions& o = {});

}  // namespace nosqlc::protocol
