#include "server/net/tls_context.hpp"

#include <openssl/ssl.h>

namespace confidant::net {
namespace ssl = boost::asio::ssl;

namespace {

// Mozilla's "intermediate" TLS 1.2 list without the DHE suites (no DH parameters are configured).
constexpr const char* tls12_suites =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";
constexpr const char* tls13_suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

}  // namespace

boost::system::result<std::unique_ptr<ssl::context>, std::string> make_tls_context(const tls_files& files) {
  auto ctx = std::make_unique<ssl::context>(ssl::context::tls_server);
  ctx->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                   ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::no_compression |
                   ssl::context::single_dh_use);
  auto* native = ctx->native_handle();
  // Renegotiation is a CPU cost a client could impose; nothing here needs it. No session tickets
  // (a ticket key lives as long as the process and would undo forward secrecy for resumed
  // sessions; deploy/nginx-confidant.conf also sets ssl_session_tickets off).
  SSL_CTX_set_options(native, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1 || SSL_CTX_set_cipher_list(native, tls12_suites) != 1 ||
      SSL_CTX_set_ciphersuites(native, tls13_suites) != 1) {
    return std::string{"cannot configure TLS: the OpenSSL library refused the protocol versions or cipher suites"};
  }
  boost::system::error_code ec;
  ctx->use_certificate_chain_file(files.certificate_chain.string(), ec);
  if (ec) return "cannot load TLS certificate chain " + files.certificate_chain.string() + ": " + ec.message();
  ctx->use_private_key_file(files.private_key.string(), ssl::context::pem, ec);
  if (ec) return "cannot load TLS private key " + files.private_key.string() + ": " + ec.message();
  return ctx;
}

}  // namespace confidant::net
