#pragma once

// What travels inside the end-to-end encryption (the franked message, docs/crypto.md): a tiny
// versioned JSON document, so later kinds can be added without a new envelope format.
//   {"v":1,"kind":"text","text":"..."}
//   {"v":1,"kind":"delivered","ids":["<message_id, base64url>", ...]}   (delivery receipt)
//   {"v":1,"kind":"read","ids":[...]}                                    (read receipt)
// A reader keeps a document of a kind it does not know (or of a newer `v`) as `unsupported`,
// so the user is told that something arrived that this client cannot show.

#include "client/lib/failure.hpp"

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace confidant::client {

using message_id = std::array<std::uint8_t, 16>;

inline constexpr int payload_version = 1;
// The largest text a message may carry, in bytes of UTF-8 (a Sesame envelope holds at most
// 49152 bytes on the wire, docs/protocol.md 7.13; JSON escaping and the headers take the rest).
inline constexpr std::size_t max_text_bytes = 16 * 1024;
inline constexpr std::size_t max_receipt_ids = 256;

struct text_payload {
  std::string text;
  friend bool operator==(const text_payload&, const text_payload&) = default;
};

struct receipt_payload {
  enum class kind { delivered, read };
  kind what = kind::delivered;
  std::vector<message_id> ids;
  friend bool operator==(const receipt_payload&, const receipt_payload&) = default;
};

struct unsupported_payload {
  int version = 0;
  std::string kind;
  friend bool operator==(const unsupported_payload&, const unsupported_payload&) = default;
};

using payload = std::variant<text_payload, receipt_payload, unsupported_payload>;

// RFC 3629 UTF-8: shortest forms only, no surrogates, nothing above U+10FFFF.
[[nodiscard]] bool valid_utf8(std::string_view s);

// Bytes of UTF-8 JSON. Refuses a text that is empty, longer than max_text_bytes or not UTF-8,
// and receipts with no or too many ids.
[[nodiscard]] outcome<std::vector<std::uint8_t>> encode_payload(const payload& p);
// errc::protocol_error for something that is not a payload document at all (not JSON, no
// integer `v`, a v1 text or receipt with wrong members).
[[nodiscard]] outcome<payload> decode_payload(std::span<const std::uint8_t> bytes);

}  // namespace confidant::client
