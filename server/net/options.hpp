#pragma once

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace confidant::net {

struct tls_files {
  std::filesystem::path certificate_chain;  // PEM
  std::filesystem::path private_key;        // PEM
};

// Every limit of the transport. Defaults are the embedded configuration's.
struct options {
  boost::asio::ip::tcp::endpoint listen{boost::asio::ip::make_address("127.0.0.1"), 8080};
  std::optional<tls_files> tls;
  std::size_t max_frame_bytes = 64 * 1024;         // read_message_max: larger frames close with 1009
  std::size_t max_outgoing_frames = 256;           // per connection; a reader that falls behind is closed
  std::size_t max_connections = 10'000;            // sockets, HTTP and WebSocket together
  std::size_t max_http_header_bytes = 8 * 1024;
  std::chrono::seconds handshake_timeout{10};      // TLS + HTTP request + WebSocket upgrade
  std::chrono::seconds idle_timeout{300};          // WebSocket: pings at half of it, closed after it
  // Origins whose pages may open a WebSocket (normalize_origin form). An upgrade without Origin
  // is always allowed; with one not listed here (all of them, by default) it is refused with 403.
  std::vector<std::string> allowed_origins;
};

}  // namespace confidant::net
