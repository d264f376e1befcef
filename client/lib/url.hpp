#pragma once

#include <boost/system/result.hpp>

#include <string>
#include <string_view>

namespace confidant::client {

// A Confidant server address: ws://HOST[:PORT][/PATH] or wss://... (path defaults to /v1/ws).
struct server_url {
  bool tls = false;
  std::string host;  // without brackets for IPv6
  std::string port;  // defaults: 80 for ws, 443 for wss
  std::string path;

  [[nodiscard]] std::string authority() const;  // host:port, IPv6 in brackets
  [[nodiscard]] std::string to_string() const;
  // localhost, 127.0.0.0/8 or ::1: the only hosts plain ws:// may be used with (protocol.md 2.2).
  [[nodiscard]] bool loopback() const;
};

// nullopt-free parse: the error is a sentence for the user.
[[nodiscard]] boost::system::result<server_url, std::string> parse_url(std::string_view text);

}  // namespace confidant::client
