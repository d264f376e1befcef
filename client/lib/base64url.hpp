#pragma once

// base64url without padding (docs/protocol.md section 4): the client's names for the wire
// codec's one implementation (schema/wire/base64url.hpp).

#include "schema/wire/base64url.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client {

[[nodiscard]] inline std::string base64url_encode(std::span<const std::uint8_t> bytes) {
  return wire::to_base64url(bytes);
}
// Strict: only the URL-safe alphabet, no padding, no whitespace, no stray bits.
[[nodiscard]] inline std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text) {
  return wire::from_base64url(text);
}

}  // namespace confidant::client
