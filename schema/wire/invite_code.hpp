#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

namespace confidant::wire {

// An invite code: 128 random bits written for people as 26 Crockford base32 digits in groups,
// e.g. "7F3Q-K9PW-2MXA-T4VB-C8NE-HR5J-DG". Reading ignores case, hyphens and spaces and accepts
// the look-alikes I/L for 1 and O for 0; the last digit carries only 3 bits, so stray values fail.
using invite_bytes = std::array<unsigned char, 16>;

[[nodiscard]] std::string format_invite_code(const invite_bytes& bytes);
[[nodiscard]] std::optional<invite_bytes> parse_invite_code(std::string_view text);

}  // namespace confidant::wire
