#pragma once

#include "server/net/options.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/system/result.hpp>

#include <memory>
#include <string>

namespace confidant::net {

// The server's TLS context (docs/protocol.md 2.2, checked by tests/system/test_tls_scan.py):
// TLS 1.2 and 1.3 only; TLS 1.2 suites ECDHE with AES-GCM or ChaCha20-Poly1305 only (forward
// secrecy, AEAD; no static RSA key exchange, no CBC); TLS 1.3's three AEAD suites; no
// compression, renegotiation or session tickets; a fresh key share per handshake: the profile
// of deploy/nginx-confidant.conf. Loads `files` (PEM); an error names the file that failed.
[[nodiscard]] boost::system::result<std::unique_ptr<boost::asio::ssl::context>, std::string> make_tls_context(
    const tls_files& files);

}  // namespace confidant::net
