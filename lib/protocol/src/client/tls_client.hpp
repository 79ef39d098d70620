// The client's side of TLS on a connection's stream: the context from TlsOptions (CA, client
// certificate), host name verification, SNI, the handshake. Internal.
#pragma once

#include "nosqlc/protocol/client/options.hpp"
#include "nosqlc/protocol/client/stream.hpp"

#if NOSQLC_WITH_TLS
#include <asio/awaitable.hpp>
#include <asio/ssl/context.hpp>

#include <memory>

namespace nosqlc::protocol {

// Makes `context` (kept by the caller for the stream's life), layers TLS over `stream` and
// runs the client handshake with `endpoint`. Throws ClientError connection_error naming what
// failed: a file that cannot be loaded, a host name that cannot be verified, or the
// handshake (with OpenSSL's verification error). Runs on the stream's executor.
asio::awaitable<void> tls_client_handshake(Stream& stream, const Endpoint& endpoint,
                                           const TlsOptions& tls,
                                           std::unique_ptr<asio::ssl::context>& context);

}  // namespace nosqlc::protocol
#endif
