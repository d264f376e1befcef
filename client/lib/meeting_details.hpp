#pragma once

// The end-to-end encrypted details of a meeting (place, agenda, notes), one body per
// participant, in the format of docs/protocol.md 7.16:
//
//   body = 0x01 ‖ author user (u64) ‖ author device (u32) ‖ owner user (u64) ‖ n (u8, 1..16)
//          ‖ n × (device (u32) ‖ crypto_box_seal(K, device identity DH key) (48))
//          ‖ nonce (24) ‖ XChaCha20-Poly1305(K, nonce, text, "Confidant_Meeting_Details_v1" ‖ header)
//          ‖ Ed25519 signature by the author device over "Confidant_Meeting_Details_v1" ‖ the rest
//
// The server stores bodies and hands each to its owner only; it can neither read nor forge them.

#include "client/lib/failure.hpp"
#include "crypto/identity.hpp"
#include "crypto/random.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client::meeting_details {

inline constexpr std::string_view label = "Confidant_Meeting_Details_v1";
inline constexpr std::size_t max_devices = 16;
inline constexpr std::size_t max_body = 8192;

struct recipient {
  std::int64_t device = 0;
  crypto::identity_public identity;
};

// Encrypts `text` for the devices of `owner` (1 to 16 of them). Fails when the text makes the
// body longer than 8192 bytes or there is no device.
[[nodiscard]] outcome<std::vector<std::uint8_t>> seal(const crypto::identity_keypair& author, std::int64_t author_user,
                                                      std::int64_t author_device, std::int64_t owner,
                                                      const std::vector<recipient>& devices, std::string_view text,
                                                      crypto::random_source& rng);

struct opened {
  std::int64_t author_user = 0;
  std::int64_t author_device = 0;
  std::string text;
  bool verified = false;  // the signature verified with the author device's known identity
};

// The author device's identity as this device knows it (pinned), or nullopt.
using identity_lookup = std::function<std::optional<crypto::identity_public>(std::int64_t user, std::int64_t device)>;

// Opens a body for this device (`me`, `my_device`, `mine`). Fails when it is malformed, not for
// this user, has no key for this device or does not decrypt; `verified` is false when the
// author's identity is unknown or the signature does not verify with it.
[[nodiscard]] outcome<opened> open(const crypto::identity_keypair& mine, std::int64_t me, std::int64_t my_device,
                                   std::span<const std::uint8_t> body, const identity_lookup& lookup);

}  // namespace confidant::client::meeting_details
