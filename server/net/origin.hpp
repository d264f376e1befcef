#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace confidant::net {

// Cross-origin WebSocket upgrades (docs/protocol.md 2.3). Browsers send `Origin` with every
// upgrade; a page of another site must not open a session with the user's network position.
// Pure: no I/O, no Beast.

// An origin as RFC 6454 section 6.2 serialises it, `scheme "://" host [":" port]`, in the one
// form used for comparison: scheme and host lower-cased, the scheme's default port (http 80,
// https 443) dropped. Schemes http and https only; host a DNS name (letters, digits, '-', '.'),
// an IPv4 address or a bracketed IPv6 address; no user, path, query, fragment or trailing slash.
// nullopt for anything else, including the opaque origin `null`.
[[nodiscard]] std::optional<std::string> normalize_origin(std::string_view text);

// The upgrade rule. `origin_headers`: the values of every `Origin` field of the request, in
// order; `allowed`: normalised origins (normalize_origin). No field: allowed (native clients send
// none). Exactly one field whose normalised value is listed: allowed. Anything else (an unlisted
// or malformed origin, `null`, an empty value, two fields): refused.
[[nodiscard]] bool origin_allowed(std::span<const std::string_view> origin_headers,
                                  std::span<const std::string> allowed);

}  // namespace confidant::net
