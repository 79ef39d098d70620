#include "nosqlc/protocol/messages.hpp"

#include <string>

namespace nosqlc::protocol {
namespace {

Status failure(errc code, std::string message) {
  return Status{make_error_code(code), std::move(message)};
}

template <class M, class Variant>
Status decode_into(BytesView body, Variant& out, bool ignore_trailing = false) {
  if (!ignore_trailing) return decode_body(body, out.template emplace<M>());
  Reader r(body);
  read_body(r, out.template emplace<M>());
  return r.status();
}

// Section 4.2: clients "should support extra informations (that they should simply discard)
// ... at the end of the frame body", so a newer server's additions do not break us.
template <class M>
Status decode_response_body(BytesView body, Response& out) {
  Reader r(body);
  read_body(r, out.template emplace<M>());
  return r.status();
}

std::string opcode_text(Opcode op) {
  return std::to_string(static_cast<unsigned>(op)) + " (" + std::string(to_string(op)) + ")";
}

}  // namespace

Opcode opcode_of(const Request& m) noexcept {
  constexpr Opcode kOpcodes[] = {Opcode::startup, Opcode::auth_response, Opcode::options,
                                 Opcode::query,   Opcode::prepare,       Opcode::execute,
                                 Opcode::batch,   Opcode::register_};
  static_assert(std::size(kOpcodes) == std::variant_size_v<Request>);
  return kOpcodes[m.index()];
}

Opcode opcode_of(const Response& m) noexcept {
  constexpr Opcode kOpcodes[] = {Opcode::error,          Opcode::ready,       Opcode::authenticate,
                                 Opcode::supported,      Opcode::result,      Opcode::event,
                                 Opcode::auth_challenge, Opcode::auth_success};
  static_assert(std::size(kOpcodes) == std::variant_size_v<Response>);
  return kOpcodes[m.index()];
}

Status decode_request(const FrameHeader& h, BytesView body, Request& out, bool ignore_trailing) {
  if (h.response) return failure(errc::invalid_value, "response frame where a request belongs");
  switch (h.opcode) {
    case Opcode::startup:
      return decode_into<Startup>(body, out, ignore_trailing);
    case Opcode::auth_response:
      return decode_into<AuthResponse>(body, out, ignore_trailing);
    case Opcode::options:
      return decode_into<Options>(body, out, ignore_trailing);
    case Opcode::query:
      return decode_into<Query>(body, out, ignore_trailing);
    case Opcode::prepare:
      return decode_into<Prepare>(body, out, ignore_trailing);
    case Opcode::execute:
      return decode_into<Execute>(body, out, ignore_trailing);
    case Opcode::batch:
      return decode_into<Batch>(body, out, ignore_trailing);
    case Opcode::register_:
      return decode_into<Register>(body, out, ignore_trailing);
    default:
      return failure(errc::unknown_opcode, "request opcode " + opcode_text(h.opcode));
  }
}

Status decode_response(const FrameHeader& h, BytesView body, Response& out) {
  if (!h.response) return failure(errc::invalid_value, "request frame where a response belongs");
  switch (h.opcode) {
    case Opcode::error:
      return decode_response_body<ServerError>(body, out);
    case Opcode::ready:
      return decode_response_body<Ready>(body, out);
    case Opcode::authenticate:
      return decode_response_body<Authenticate>(body, out);
    case Opcode::supported:
      return decode_response_body<Supported>(body, out);
    case Opcode::result:
      return decode_response_body<Result>(body, out);
    case Opcode::event:
      return decode_response_body<Event>(body, out);
    case Opcode::auth_challenge:
      return decode_response_body<AuthChallenge>(body, out);
    case Opcode::auth_success:
      return decode_response_body<AuthSuccess>(body, out);
    default:
      return failure(errc::unknown_opcode, "response opcode " + opcode_text(h.opcode));
  }
}

namespace {
// A QUERY, EXECUTE or BATCH asking for tracing sets the frame's tracing flag.
bool traced(const Request& m) noexcept {
  if (const auto* q = std::get_if<Query>(&m)) return q->params.trace;
  if (const auto* e = std::get_if<Execute>(&m)) return e->params.trace;
  if (const auto* b = std::get_if<Batch>(&m)) return b->trace;
  return false;
}

FrameOptions with_tracing(const Request& m, const FrameOptions& o) {
  FrameOptions t = o;
  t.tracing = o.tracing || traced(m);
  return t;
}
}  // namespace

Status encode_request(const Request& m, Bytes& out, const FrameOptions& o) {
  FrameWriter f(out, false, with_tracing(m, o));
  std::visit([&](const auto& v) { write_body(f.body(), v); }, m);
  return f.finish(opcode_of(m));
}

Status append_request(const Request& m, Bytes& out, const FrameOptions& o) {
  // The options are copied only for a traced request: a copy costs the hot path ~60
  // instructions (measured with callgrind).
  if (traced(m)) {
    const FrameOptions t = with_tracing(m, o);
    FrameWriter f(out, false, t, FrameWriter::append);
    std::visit([&](const auto& v) { write_body(f.body(), v); }, m);
    return f.finish(opcode_of(m));
  }
  FrameWriter f(out, false, o, FrameWriter::append);
  std::visit([&](const auto& v) { write_body(f.body(), v); }, m);
  return f.finish(opcode_of(m));
}

Status encode_response(const Response& m, Bytes& out, const FrameOptions& o) {
  FrameWriter f(out, true, o);
  std::visit([&](const auto& v) { write_body(f.body(), v); }, m);
  return f.finish(opcode_of(m));
}

}  // namespace nosqlc::protocol
