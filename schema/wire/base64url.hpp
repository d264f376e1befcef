#pragma once

// Binary values on the wire: base64url (RFC 4648 §5) without padding (protocol.md section 4).

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::wire {

[[nodiscard]] std::string to_base64url(std::span<const unsigned char> bytes);
// Strict: only the URL-safe alphabet, no padding, no whitespace, unused trailing bits zero.
[[nodiscard]] std::optional<std::vector<unsigned char>> from_base64url(std::string_view text);

}  // namespace confidant::wire
