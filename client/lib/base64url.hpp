#pragma once

// base64url without padding (RFC 4648 section 5), the encoding of every binary field on the wire
// (docs/protocol.md section 4), through libsodium's sodium_bin2base64/sodium_base642bin.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client {

[[nodiscard]] std::string base64url_encode(std::span<const std::uint8_t> bytes);
// Strict: only the URL-safe alphabet, no padding, no whitespace, no stray bits in the last
// character (so every byte string has exactly one encoding). nullopt for anything else.
[[nodiscard]] std::optional<std::vector<std::uint8_t>> base64url_decode(std::string_view text);

}  // namespace confidant::client
