#include "tls_client.hpp"

#if NOSQLC_WITH_TLS
#include "nosqlc/protocol/client_errors.hpp"

#include <openssl/x509v3.h>
#include <asio/ip/address.hpp>
#include <asio/redirect_error.hpp>
#include <asio/ssl.hpp>
#include <asio/use_awaitable.hpp>

namespace nosqlc::protocol {
namespace {

[[noreturn]] void fail(const std::string& message) {
  throw ClientError(make_error_code(client_errc::connection_error), message);
}

}  // namespace

asio::awaitable<void> tls_client_handshake(Stream& stream, const Endpoint& endpoint,
                                           const TlsOptions& tls_options,
                                           std::unique_ptr<asio::ssl::context>& context) {
  std::error_code ec;
  context = std::make_unique<asio::ssl::context>(asio::ssl::context::tls_client);
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                       asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                       asio::ssl::context::no_tlsv1_1);
  auto check = [&](const char* what, const std::string& file) {
    if (ec) fail(std::string("TLS: cannot load ") + what + " \"" + file + "\": " + ec.message());
  };
  if (!tls_options.ca_file.empty()) {
    context->load_verify_file(tls_options.ca_file, ec);
    check("CA file", tls_options.ca_file);
  } else {
    context->set_default_verify_paths(ec);
    check("default CA paths", "");
  }
  if (!tls_options.cert_file.empty()) {
    context->use_certificate_chain_file(tls_options.cert_file, ec);
    check("certificate", tls_options.cert_file);
    context->use_private_key_file(tls_options.key_file, asio::ssl::context::pem, ec);
    check("private key", tls_options.key_file);
  }
  auto& tls = stream.start_tls(*context);
  SSL* ssl = tls.native_handle();
  asio::ip::make_address(endpoint.host, ec);
  const bool is_ip = !ec;
  ec.clear();
  if (tls_options.verify) {
    tls.set_verify_mode(asio::ssl::verify_peer);
    // OpenSSL checks the name itself, so a mismatch is reported as such.
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    int set = is_ip
                  ? X509_VERIFY_PARAM_set1_ip_asc(param, endpoint.host.c_str())
                  : X509_VERIFY_PARAM_set1_host(param, endpoint.host.c_str(), endpoint.host.size());
    if (set != 1) fail("TLS: cannot verify host name \"" + endpoint.host + "\"");
  } else {
    tls.set_verify_mode(asio::ssl::verify_none);
  }
  // SNI only for names; RFC 6066 forbids IP literals there.
  if (!is_ip) SSL_set_tlsext_host_name(ssl, endpoint.host.c_str());
  co_await tls.async_handshake(asio::ssl::stream_base::client,
                               asio::redirect_error(asio::use_awaitable, ec));
  if (ec) {
    std::string why = ec.message();
    if (long v = SSL_get_verify_result(ssl); tls_options.verify && v != X509_V_OK) {
      why += std::string(" (") + X509_verify_cert_error_string(v) + ")";
    }
    fail("TLS handshake with " + to_string(endpoint) + " failed: " + why);
  }
}

}  // namespace nosqlc::protocol
#endif
