#include "server/net/origin.hpp"

#include <algorithm>
#include <charconv>
#include <iterator>

namespace confidant::net {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool is_alnum(char c) { return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'z'); }

bool is_hex(char c) { return (c >= '0' && c <= '9') || (lower(c) >= 'a' && lower(c) <= 'f'); }

// A DNS name or IPv4 address: dot-separated labels of 1 to 63 letters, digits and inner hyphens.
bool valid_name(std::string_view host) {
  if (host.empty() || host.size() > 253) return false;
  while (true) {
    const auto dot = host.find('.');
    const auto label = host.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; })) return false;
    if (dot == std::string_view::npos) return true;
    host.remove_prefix(dot + 1);
  }
}

// "[...]" holding hex digits, colons and (for an embedded IPv4 address) dots, at least one colon.
bool valid_ipv6_literal(std::string_view host) {
  if (host.size() < 4 || host.size() > 47 || host.front() != '[' || host.back() != ']') return false;
  const auto inner = host.substr(1, host.size() - 2);
  return inner.find(':') != std::string_view::npos &&
         std::all_of(inner.begin(), inner.end(), [](char c) { return is_hex(c) || c == ':' || c == '.'; });
}

// 1 to 65535 in decimal, without a sign or leading zeros (as browsers serialise it).
std::optional<unsigned> parse_port(std::string_view text) {
  if (text.empty() || text.size() > 5 || text.front() == '0') return std::nullopt;
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), port);
  if (ec != std::errc{} || end != text.data() + text.size() || port > 65535) return std::nullopt;
  return port;
}

}  // namespace

std::optional<std::string> normalize_origin(std::string_view text) {
  const auto sep = text.find("://");
  if (sep == std::string_view::npos) return std::nullopt;
  std::string scheme{text.substr(0, sep)};
  std::transform(scheme.begin(), scheme.end(), scheme.begin(), lower);
  if (scheme != "http" && scheme != "https") return std::nullopt;

  auto authority = text.substr(sep + 3);
  std::string_view host = authority;
  std::optional<unsigned> port;
  // The port follows the last colon, unless that colon is inside an IPv6 literal.
  const auto colon = authority.rfind(':');
  const auto bracket = authority.rfind(']');
  if (colon != std::string_view::npos && (bracket == std::string_view::npos || colon > bracket)) {
    host = authority.substr(0, colon);
    port = parse_port(authority.substr(colon + 1));
    if (!port) return std::nullopt;
  }
  if (host.empty()) return std::nullopt;
  if (!(host.front() == '[' ? valid_ipv6_literal(host) : valid_name(host))) return std::nullopt;

  std::string out = scheme + "://";
  std::transform(host.begin(), host.end(), std::back_inserter(out), lower);
  const unsigned default_port = scheme == "https" ? 443 : 80;
  if (port && *port != default_port) out += ":" + std::to_string(*port);
  return out;
}

bool origin_allowed(std::span<const std::string_view> origin_headers, std::span<const std::string> allowed) {
  if (origin_headers.empty()) return true;
  if (origin_headers.size() != 1) return false;
  const auto origin = normalize_origin(origin_headers.front());
  return origin && std::find(allowed.begin(), allowed.end(), *origin) != allowed.end();
}

}  // namespace confidant::net
