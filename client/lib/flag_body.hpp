#pragma once

// What a safeguarding flag and a SPOC's note carry inside crypto::flag::seal (docs/crypto.md,
// "Flag and note bodies"): a small versioned UTF-8 JSON document, members in this order.
//   {"v":1,"kind":"flag","flag_id":"<16 bytes>","category":"…","urgency":"…",
//    "raiser":{"user":5,"device":1},"raised_at_client":"2026-11-23T14:05:09.123Z","text":"…",
//    "quotes":["<quote bytes>",…]}
//   {"v":1,"kind":"note","flag":4,"note_id":"<16 bytes>","text":"…"}
// Binary members are base64url without padding. A reader ignores members it does not know and
// keeps a document of a newer `v` or an unknown kind as `unsupported`.

#include "client/lib/failure.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace confidant::client::flag_body {

inline constexpr int version = 1;
inline constexpr std::size_t max_text_bytes = 16 * 1024;
inline constexpr std::size_t max_quotes = 8;
// A sealed copy is at most 32768 bytes (docs/protocol.md 7.25): minus the key id (4), the seal
// (48) and the signed record around the body (265).
inline constexpr std::size_t max_body_bytes = 32768 - 4 - 48 - 265;

inline constexpr std::array<std::string_view, 5> categories{"child_protection", "staff_allegation", "whistleblowing",
                                                            "leader_wellbeing", "other"};
inline constexpr std::array<std::string_view, 3> urgencies{"immediate", "urgent", "standard"};
inline constexpr std::array<std::string_view, 7> outcomes{"referred_to_childrens_social_care",
                                                          "referred_to_police",
                                                          "referred_to_lado",
                                                          "wellbeing_support_arranged",
                                                          "advice_given",
                                                          "no_further_action",
                                                          "other"};
[[nodiscard]] bool is_category(std::string_view s);
[[nodiscard]] bool is_urgency(std::string_view s);
[[nodiscard]] bool is_outcome(std::string_view s);

using id16 = std::array<std::uint8_t, 16>;
using bytes = std::vector<std::uint8_t>;

struct flag {
  id16 flag_id{};
  std::string category;
  std::string urgency;
  std::int64_t raiser_user = 0;
  std::int64_t raiser_device = 0;
  std::int64_t raised_at_client_ms = 0;
  std::string text;
  std::vector<bytes> quotes;  // crypto::franking::quote::to_bytes()
  friend bool operator==(const flag&, const flag&) = default;
};

struct note {
  std::int64_t flag = 0;  // the server's flag id
  id16 note_id{};
  std::string text;
  friend bool operator==(const note&, const note&) = default;
};

struct unsupported {
  int version = 0;
  std::string kind;
  friend bool operator==(const unsupported&, const unsupported&) = default;
};

using body = std::variant<flag, note, unsupported>;

// Refuses (errc::protocol_error) an unknown category or urgency, a text that is empty, longer
// than max_text_bytes or not UTF-8, more than max_quotes quotes, an empty quote, and a document
// longer than max_body_bytes.
[[nodiscard]] outcome<bytes> encode(const flag& f);
[[nodiscard]] outcome<bytes> encode(const note& n);
// errc::protocol_error for what is not a body document (not JSON, no integer `v`, a v1 flag or
// note with a missing or mistyped member). Category and urgency are kept as written: the SPOC's
// client compares them with the server's metadata.
[[nodiscard]] outcome<body> decode(std::span<const std::uint8_t> b);

}  // namespace confidant::client::flag_body
