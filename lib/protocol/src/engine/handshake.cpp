#include "nosqlc/protocol/engine/handshake.hpp"

#include "nosqlc/protocol/client_errors.hpp"
#include "nosqlc/protocol/compression.hpp"

#include <algorithm>

namespace nosqlc::protocol {
namespace {

constexpr std::string_view kPasswordAuthenticators[] = {
    "org.apache.cassandra.auth.PasswordAuthenticator",
    "com.datastax.bdp.cassandra.auth.DseAuthenticator",
    "PasswordAuthenticator",
};

}  // namespace

std::string use_statement(std::string_view keyspace) {
  std::string out = "USE \"";
  for (char c : keyspace) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

Handshake::Handshake(HandshakeOptions options) : opt_(std::move(options)) {}

Handshake::Step Handshake::send(Request r) {
  Step s;
  s.kind = Step::Kind::send;
  s.request = std::move(r);
  return s;
}

Handshake::Step Handshake::fail(std::error_code code, std::string message) {
  phase_ = Phase::done;
  Step s;
  s.kind = Step::Kind::failed;
  s.code = code;
  s.message = std::move(message);
  return s;
}

Handshake::Step Handshake::start() {
  phase_ = Phase::options;
  return send(Options{});
}

Handshake::Step Handshake::after_ready() {
  if (!opt_.keyspace.empty()) {
    phase_ = Phase::use;
    use_ = use_statement(opt_.keyspace);
    Query q;
    q.query = use_;
    q.params.consistency = Consistency::one;
    Step s = send(q);
    s.compress = lz4_;
    return s;
  }
  return after_use();
}

Handshake::Step Handshake::after_use() {
  if (!opt_.events.empty()) {
    phase_ = Phase::reg;
    register_.events = opt_.events;
    Step s = send(register_);
    s.compress = lz4_;
    return s;
  }
  return finished();
}

Handshake::Step Handshake::finished() {
  phase_ = Phase::done;
  Step s;
  s.kind = Step::Kind::done;
  return s;
}

Handshake::Step Handshake::on_answer(const Response& answer) {
  const auto* error = std::get_if<ServerError>(&answer);
  const std::string& peer = opt_.peer;
  switch (phase_) {
    case Phase::options: {
      if (error && error->code == ServerErrorCode::protocol_error) {
        return fail(make_error_code(client_errc::unsupported_server),
                    peer + " does not speak CQL protocol v4: " + error->message);
      }
      const auto* sup = std::get_if<Supported>(&answer);
      if (sup == nullptr) {
        return fail(make_error_code(client_errc::unsupported_server),
                    "unexpected answer to OPTIONS from " + peer);
      }
      startup_.options.clear();
      startup_.options["CQL_VERSION"] = "3.0.0";
      lz4_ = false;
      if (opt_.compression && lz4_available()) {
        if (auto it = sup->options.find("COMPRESSION"); it != sup->options.end()) {
          lz4_ = std::find(it->second.begin(), it->second.end(), "lz4") != it->second.end();
        }
      }
      if (lz4_) startup_.options["COMPRESSION"] = "lz4";
      phase_ = Phase::startup;
      return send(startup_);
    }
    case Phase::startup: {
      if (error && error->code == ServerErrorCode::protocol_error) {
        lz4_ = false;
        return fail(make_error_code(client_errc::unsupported_server),
                    peer + " refused STARTUP: " + error->message);
      }
      if (const auto* auth = std::get_if<Authenticate>(&answer)) {
        bool plain =
            std::find(std::begin(kPasswordAuthenticators), std::end(kPasswordAuthenticators),
                      auth->authenticator) != std::end(kPasswordAuthenticators);
        if (!plain) {
          return fail(make_error_code(client_errc::authentication_error),
                      peer + " requires authenticator " + auth->authenticator +
                          ", which nosqlc does not support (only PasswordAuthenticator)");
        }
        if (!opt_.has_credentials) {
          return fail(make_error_code(client_errc::authentication_error),
                      peer + " requires authentication but no username and password were given");
        }
        // SASL PLAIN: authorization id (empty), NUL, user, NUL, password.
        token_.clear();
        token_.push_back(0);
        token_.insert(token_.end(), opt_.username.begin(), opt_.username.end());
        token_.push_back(0);
        token_.insert(token_.end(), opt_.password.begin(), opt_.password.end());
        phase_ = Phase::auth;
        Step s = send(AuthResponse{BytesView(token_)});
        s.compress = lz4_;
        return s;
      }
      if (std::holds_alternative<Ready>(answer)) return after_ready();
      if (error) break;
      return fail(make_error_code(client_errc::unsupported_server),
                  "unexpected answer to STARTUP from " + peer);
    }
    case Phase::auth: {
      std::fill(token_.begin(), token_.end(), std::uint8_t{0});  // the password, gone
      if (error && error->code == ServerErrorCode::bad_credentials) {
        std::string hint = opt_.password.empty()
                               ? " (no password was given for user \"" + opt_.username + "\")"
                               : "";
        return fail(make_error_code(client_errc::authentication_error),
                    "authentication to " + peer + " failed: " + error->message + hint);
      }
      if (std::holds_alternative<AuthSuccess>(answer)) return after_ready();
      if (error) break;
      return fail(make_error_code(client_errc::authentication_error),
                  "unexpected answer to PLAIN authentication from " + peer);
    }
    case Phase::use: {
      if (error) break;
      const auto* result = std::get_if<Result>(&answer);
      if (result == nullptr || !std::holds_alternative<SetKeyspaceResult>(*result)) {
        return fail(make_error_code(client_errc::unsupported_server),
                    "unexpected answer to USE from " + peer);
      }
      return after_use();
    }
    case Phase::reg:
      if (error) break;
      if (!std::holds_alternative<Ready>(answer)) {
        return fail(make_error_code(client_errc::unsupported_server),
                    "unexpected answer to REGISTER from " + peer);
      }
      return finished();
    case Phase::done:
      return fail(make_error_code(client_errc::unsupported_server),
                  "an answer after the handshake ended");
  }
  // An ERROR answer that is the outcome itself: the driver raises it as the server's.
  phase_ = Phase::done;
  Step s;
  s.kind = Step::Kind::failed;
  s.code = make_error_code(error->code);
  s.message = error->message;
  s.server_error = error;
  return s;
}

}  // namespace nosqlc::protocol
