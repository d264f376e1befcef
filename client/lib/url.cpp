#include "client/lib/url.hpp"

#include <algorithm>
#include <charconv>
#include <cstdio>

namespace confidant::client {

std::string server_url::authority() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + port;
}

bool server_url::loopback() const {
  if (host == "localhost" || host == "::1") return true;
  unsigned a = 0, b = 0, c = 0, d = 0;
  char tail = 0;
  return std::sscanf(host.c_str(), "%3u.%3u.%3u.%3u%c", &a, &b, &c, &d, &tail) == 4 && a == 127 && b < 256 &&
         c < 256 && d < 256;
}

std::string server_url::to_string() const { return std::string{tls ? "wss://" : "ws://"} + authority() + path; }

boost::system::result<server_url, std::string> parse_url(std::string_view text) {
  const std::string usage = "expected ws://HOST:PORT or wss://HOST[:PORT], e.g. ws://127.0.0.1:8080";
  server_url u;
  if (text.starts_with("wss://")) {
    u.tls = true;
    text.remove_prefix(6);
  } else if (text.starts_with("ws://")) {
    text.remove_prefix(5);
  } else {
    return "unsupported server address: " + usage;
  }
  const auto slash = text.find('/');
  auto authority = text.substr(0, slash);
  u.path = slash == std::string_view::npos ? "/v1/ws" : std::string{text.substr(slash)};
  if (u.path == "/") u.path = "/v1/ws";

  std::string_view port;
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    if (close == std::string_view::npos) return "unbalanced [ in server address: " + usage;
    u.host = authority.substr(1, close - 1);
    auto rest = authority.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') return "bad server address: " + usage;
      port = rest.substr(1);
    }
  } else {
    const auto colon = authority.rfind(':');
    u.host = authority.substr(0, colon);
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (u.host.empty()) return "server address has no host: " + usage;
  if (port.empty()) {
    u.port = u.tls ? "443" : "80";
  } else {
    unsigned n = 0;
    const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), n);
    if (ec != std::errc{} || end != port.data() + port.size() || n == 0 || n > 65535)
      return "bad port in server address: " + usage;
    u.port = std::string{port};
  }
  return u;
}

}  // namespace confidant::client
