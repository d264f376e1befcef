#pragma once

// End-to-end sealed bodies: a text sealed to every device of one user (its owner) and signed by
// the author device, in the format of docs/protocol.md 7.16, with a label per purpose (7.29):
//
//   body = 0x01 ‖ author user (u64) ‖ author device (u32) ‖ owner user (u64) ‖ n (u8, 1..16)
//          ‖ n × (device (u32) ‖ crypto_box_seal(K, device identity DH key) (48))
//          ‖ nonce (24) ‖ XChaCha20-Poly1305(K, nonce, text, label ‖ header)
//          ‖ Ed25519 signature by the author device over label ‖ the rest
//
// The label is in both the associated data and the signature, so a body sealed for one purpose
// (a headteacher's feedback answer for the coordinator) never opens as another (a feedback answer
// released to the associate). The server stores bodies and hands each to its owner only; it can
// neither read nor forge them.

#include "client/lib/failure.hpp"
#include "crypto/identity.hpp"
#include "crypto/random.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client::sealed_body {

// What a body is for; each has its own label (docs/crypto.md "Sealed bodies").
enum class purpose { meeting_details, concern, feedback, feedback_release, note };

[[nodiscard]] std::string_view label(purpose p);
// "meeting details", "concern", ... for messages to people.
[[nodiscard]] std::string_view name(purpose p);

inline constexpr std::size_t max_devices = 16;
inline constexpr std::size_t max_body = 8192;

// One body and the user who may read it (`{"user", "body"}` on the wire).
struct addressed {
  std::int64_t user = 0;
  std::vector<std::uint8_t> body;
};

struct recipient {
  std::int64_t device = 0;
  crypto::identity_public identity;
};

// Encrypts `text` for the devices of `owner` (1 to 16 of them). Fails when the text makes the
// body longer than 8192 bytes or there is no device.
[[nodiscard]] outcome<std::vector<std::uint8_t>> seal(purpose p, const crypto::identity_keypair& author,
                                                      std::int64_t author_user, std::int64_t author_device,
                                                      std::int64_t owner, const std::vector<recipient>& devices,
                                                      std::string_view text, crypto::random_source& rng);

struct opened {
  std::int64_t author_user = 0;
  std::int64_t author_device = 0;
  std::string text;
  bool verified = false;  // the signature verified with the author device's known identity
};

// The author device's identity as this device knows it (pinned), or nullopt.
using identity_lookup = std::function<std::optional<crypto::identity_public>(std::int64_t user, std::int64_t device)>;

// Opens a body of purpose `p` for this device (`me`, `my_device`, `mine`). Fails when it is
// malformed, not for this user, has no key for this device or does not decrypt under that
// purpose's label; `verified` is false when the author's identity is unknown or the signature
// does not verify with it.
[[nodiscard]] outcome<opened> open(purpose p, const crypto::identity_keypair& mine, std::int64_t me,
                                   std::int64_t my_device, std::span<const std::uint8_t> body,
                                   const identity_lookup& lookup);

// Opens a body of purpose `from` that this user wrote for itself and seals its text again as
// purpose `to` for `owner`'s devices: how a headteacher releases a feedback answer to the
// associate (docs/protocol.md 7.37). Refuses a body this user did not write (or whose signature
// does not verify), so only one's own words are passed on.
[[nodiscard]] outcome<std::vector<std::uint8_t>> reseal(purpose from, purpose to, const crypto::identity_keypair& mine,
                                                        std::int64_t me, std::int64_t my_device,
                                                        std::span<const std::uint8_t> body,
                                                        const identity_lookup& lookup, std::int64_t owner,
                                                        const std::vector<recipient>& devices,
                                                        crypto::random_source& rng);

}  // namespace confidant::client::sealed_body
