// The sans-io handshake of a client connection (native_protocol_v4.spec sections 4.1.1 to
// 4.1.3, 4.2.2 to 4.2.8): OPTIONS, STARTUP with lz4 when offered and wanted, SASL PLAIN
// authentication when asked (AUTHENTICATE, AUTH_RESPONSE, AUTH_CHALLENGE, AUTH_SUCCESS),
// USE of a keyspace, REGISTER for events. Answers go in, the next request (or the outcome)
// comes out; the driver sends the requests through its Multiplexer.
#pragma once

#include "nosqlc/protocol/messages.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

namespace nosqlc::protocol {

struct HandshakeOptions {
  std::string peer;         // names the server in messages, e.g. "127.0.0.1:9042"
  bool compression = true;  // lz4 when the server offers it and the build has it
  bool has_credentials = false;
  std::string username, password;   // SASL PLAIN, when has_credentials
  std::string keyspace;             // USE'd (quoted: exact case) when not empty
  std::vector<std::string> events;  // REGISTERed when not empty
};

// `USE "<keyspace>"`: the name quoted (so used exactly as given), quotes in it doubled.
std::string use_statement(std::string_view keyspace);

class Handshake {
 public:
  struct Step {
    enum class Kind { send, done, failed };
    Kind kind = Kind::send;
    // send: the next request. It views the handshake's own storage: valid until the next
    // call to start() or on_answer().
    Request request = Options{};
    // send: frames from this one on are lz4-compressed (the request after STARTUP's answer).
    bool compress = false;
    // failed: a client_errc (connection_error, authentication_error, unsupported_server)
    // and what happened; or, for an ERROR answer that is the outcome as it is (a USE of a
    // keyspace that does not exist), that answer, owned by the reply the driver still holds.
    std::error_code code;
    std::string message;
    const ServerError* server_error = nullptr;
  };

  explicit Handshake(HandshakeOptions options);

  // The first request: OPTIONS.
  Step start();
  // The answer to the request of the last step.
  Step on_answer(const Response& answer);
  // Whether lz4 was negotiated (once STARTUP was answered).
  bool compression() const noexcept { return lz4_; }

 private:
  enum class Phase { options, startup, auth, use, reg, done };
  Step send(Request r);
  Step fail(std::error_code code, std::string message);
  Step after_ready();
  Step after_use();
  Step finished();

  HandshakeOptions opt_;
  Phase phase_ = Phase::options;
  bool lz4_ = false;
  Startup startup_;
  Bytes token_;
  std::string use_;
  Register register_;
};

}  // namespace nosqlc::protocol
