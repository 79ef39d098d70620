// The simple responses of native_protocol_v4.spec section 4.2: READY, AUTHENTICATE,
// SUPPORTED, AUTH_CHALLENGE and AUTH_SUCCESS. ERROR is in server_error.hpp, RESULT in
// result.hpp, EVENT in events.hpp.
#pragma once

#include "nosqlc/protocol/notations.hpp"

#include <optional>
#include <string>

namespace nosqlc::protocol {

// 4.2.2: empty body.
struct Ready {};

// 4.2.3: the IAuthenticator's class name.
struct Authenticate {
  std::string authenticator;
};

// 4.2.4: each STARTUP option and its supported values.
struct Supported {
  StringMultimap options;
};

// 4.2.7 and 4.2.8: a SASL token (nullopt is a null [bytes]); views the decoded body.
struct AuthChallenge {
  std::optional<BytesView> token;
};
struct AuthSuccess {
  std::optional<BytesView> token;
};

void read_body(Reader& r, Ready& out);
void read_body(Reader& r, Authenticate& out);
void read_body(Reader& r, Supported& out);
void read_body(Reader& r, AuthChallenge& out);
void read_body(Reader& r, AuthSuccess& out);

void write_body(Writer& w, const Ready& m);
void write_body(Writer& w, const Authenticate& m);
void write_body(Writer& w, const Supported& m);
void write_body(Writer& w, const AuthChallenge& m);
void write_body(Writer& w, const AuthSuccess& m);

}  // namespace nosqlc::protocol
