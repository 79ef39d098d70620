#include "nosqlc/protocol/responses.hpp"

namespace nosqlc::protocol {

void read_body(Reader&, Ready&) {}

void read_body(Reader& r, Authenticate& out) {
  out.authenticator = std::string(r.string("authenticator"));
}

void read_body(Reader& r, Supported& out) {
  out.options = r.string_multimap("supported options");
}

void read_body(Reader& r, AuthChallenge& out) {
  out.token = r.bytes("auth challenge token");
}

void read_body(Reader& r, AuthSuccess& out) {
  out.token = r.bytes("auth success token");
}

void write_body(Writer&, const Ready&) {}

void write_body(Writer& w, const Authenticate& m) {
  w.string(m.authenticator);
}

void write_body(Writer& w, const Supported& m) {
  w.string_multimap(m.options);
}

void write_body(Writer& w, const AuthChallenge& m) {
  w.bytes(m.token);
}

void write_body(Writer& w, const AuthSuccess& m) {
  w.bytes(m.token);
}

}  // namespace nosqlc::protocol
