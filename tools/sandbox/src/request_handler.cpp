#include "nosqlc/sandbox/request_handler.hpp"

#include <nosqlc/protocol/compression.hpp>

#include <algorithm>

namespace nosqlc::sandbox {
namespace {

using namespace protocol;

constexpr std::string_view kAuthenticator = "org.apache.cassandra.auth.PasswordAuthenticator";

ServerError protocol_error(std::string message) {
  return ServerError{ServerErrorCode::protocol_error, std::move(message), {}};
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

// SASL PLAIN (RFC 4616): [authzid] NUL authcid NUL passwd.
std::optional<Credentials> parse_plain(std::optional<BytesView> token) {
  if (!token) return std::nullopt;
  std::string_view t(reinterpret_cast<const char*>(token->data()), token->size());
  auto first = t.find('\0');
  if (first == std::string_view::npos) return std::nullopt;
  auto second = t.find('\0', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  return Credentials{std::string(t.substr(first + 1, second - first - 1)),
                     std::string(t.substr(second + 1))};
}

}  // namespace

void ConnectionHandler::answer(std::int16_t stream, const Response& r, Bytes& out,
                               const std::vector<std::string>& warnings) const {
  FrameOptions fo;
  fo.stream = stream;
  fo.compress = compress_;
  fo.warnings = warnings;
  Bytes frame;
  Status st = encode_response(r, frame, fo);
  if (!st.ok()) {
    // Too large or inconsistent: say so instead (an ERROR always encodes).
    fo.warnings.clear();
    frame.clear();
    (void)encode_response(
        ServerError{ServerErrorCode::server_error, "cannot encode the answer: " + st.message, {}},
        frame, fo);
  }
  out.insert(out.end(), frame.begin(), frame.end());
}

void ConnectionHandler::error(std::int16_t stream, const ServerError& e, Bytes& out) const {
  answer(stream, Response{e}, out);
}

void ConnectionHandler::reject(const FrameHeader& header, const Status& status, Bytes& out) const {
  std::string message;
  if (status.code == make_error_code(errc::unsupported_version)) {
    // The drivers look for "unsupported protocol version" to try a lower version.
    message = "Invalid or unsupported protocol version (" + std::to_string(header.version) +
              "); supported versions are (4/v4)";
  } else {
    message = "Invalid frame: " + status.message;
  }
  FrameOptions fo;
  fo.stream = header.stream;
  Bytes frame;
  (void)encode_response(protocol_error(std::move(message)), frame, fo);
  out.insert(out.end(), frame.begin(), frame.end());
}

bool ConnectionHandler::event(const Event& e, Bytes& out) const {
  std::string_view kind = std::holds_alternative<TopologyChange>(e) ? "TOPOLOGY_CHANGE"
                          : std::holds_alternative<StatusChange>(e) ? "STATUS_CHANGE"
                                                                    : "SCHEMA_CHANGE";
  if (!events_.contains(std::string(kind))) return false;
  answer(-1, Response{e}, out);
  return true;
}

ConnectionHandler::Outcome ConnectionHandler::handle(const FrameSlice& frame, Bytes& out) {
  const FrameHeader& h = frame.header;
  if (h.response) {
    error(h.stream, protocol_error("Invalid frame: a response frame sent to the server"), out);
    return {true, std::nullopt};
  }
  Bytes scratch;
  FrameExtras extras;
  BytesView body;
  Request req;
  Status st = open_body(h, frame.body, scratch, extras, body, node_.max_frame);
  if (st.ok()) st = decode_request(h, body, req);
  if (!st.ok()) {
    // The frame's length was sound, so the connection stays usable.
    error(h.stream, protocol_error("Invalid message: " + st.message), out);
    return {};
  }
  return request(h.stream, req, out);
}

ConnectionHandler::Outcome ConnectionHandler::request(std::int16_t stream, Request& req,
                                                      Bytes& out) {
  const std::string_view name = to_string(opcode_of(req));
  if (auto* o = std::get_if<Options>(&req)) {
    (void)o;
    Supported s;
    s.options["CQL_VERSION"] = {"3.4.5"};
    s.options["PROTOCOL_VERSIONS"] = {"4/v4"};
    s.options["COMPRESSION"] = {};
    if (lz4_available()) s.options["COMPRESSION"].push_back("lz4");
    answer(stream, Response{s}, out);
    return {};
  }
  if (state_ == State::initial) {
    auto* startup = std::get_if<Startup>(&req);
    if (!startup) {
      error(stream,
            protocol_error("Unexpected message " + std::string(name) +
                           ", expecting STARTUP or OPTIONS"),
            out);
      return {};
    }
    if (!startup->options.contains("CQL_VERSION")) {
      error(stream, protocol_error("Missing value CQL_VERSION in STARTUP message"), out);
      return {};
    }
    bool lz4 = false;
    if (auto it = startup->options.find("COMPRESSION"); it != startup->options.end()) {
      std::string algo = it->second;
      std::transform(algo.begin(), algo.end(), algo.begin(),
                     [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
      if (algo != "lz4" || !lz4_available()) {
        error(stream, protocol_error("Unknown compression algorithm: " + it->second), out);
        return {};
      }
      lz4 = true;
    }
    if (node_.users.empty()) {
      answer(stream, Response{Ready{}}, out);
      state_ = State::ready;
    } else {
      answer(stream, Response{Authenticate{std::string(kAuthenticator)}}, out);
      state_ = State::authenticating;
    }
    compress_ = lz4;  // every frame after the answer to STARTUP
    return {};
  }
  if (state_ == State::authenticating) {
    auto* auth = std::get_if<AuthResponse>(&req);
    if (!auth) {
      error(stream,
            protocol_error("Unexpected message " + std::string(name) + ", expecting SASL response"),
            out);
      return {};
    }
    auto creds = parse_plain(auth->token);
    bool ok =
        creds && std::any_of(node_.users.begin(), node_.users.end(), [&](const Credentials& u) {
          return u.username == creds->username && u.password == creds->password;
        });
    if (!ok) {
      std::string who = creds ? creds->username : std::string();
      error(stream,
            ServerError{ServerErrorCode::bad_credentials,
                        "Provided username " + who + " and/or password are incorrect",
                        {}},
            out);
      return {};
    }
    answer(stream, Response{AuthSuccess{}}, out);
    state_ = State::ready;
    return {};
  }
  if (std::holds_alternative<Startup>(req) || std::holds_alternative<AuthResponse>(req)) {
    error(stream,
          protocol_error("Unexpected message " + std::string(name) + ", the connection is ready"),
          out);
    return {};
  }
  if (auto* r = std::get_if<Register>(&req)) {
    for (const std::string& e : r->events) {
      std::string kind = upper(e);
      if (kind != "TOPOLOGY_CHANGE" && kind != "STATUS_CHANGE" && kind != "SCHEMA_CHANGE") {
        error(stream, protocol_error("Invalid value '" + e + "' for Type"), out);
        return {};
      }
    }
    for (const std::string& e : r->events)
      events_.insert(upper(e));
    answer(stream, Response{Ready{}}, out);
    return {};
  }
  Executor& ex = *node_.executor;
  Reply reply;
  if (auto* q = std::get_if<Query>(&req)) {
    reply = ex.query(q->query, q->params, client_);
  } else if (auto* p = std::get_if<Prepare>(&req)) {
    reply = ex.prepare(p->query, client_);
  } else if (auto* e = std::get_if<Execute>(&req)) {
    reply = ex.execute(e->id, e->params, client_);
    // The client has the columns from PREPARE and asked not to get them again.
    if (auto* result = std::get_if<Result>(&reply.message); result && e->params.skip_metadata) {
      if (auto* rows = std::get_if<protocol::RowsResult>(result)) {
        rows->metadata.no_metadata = true;
        rows->metadata.columns.clear();
      }
    }
  } else if (auto* b = std::get_if<Batch>(&req)) {
    reply = ex.batch(*b, client_);
  }
  answer(stream, reply.message, out, reply.warnings);
  return {false, std::move(reply.schema_change)};
}

}  // namespace nosqlc::sandbox
