#pragma once

// A Double Ratchet message: header (the sender's ratchet key, PN, N) and ciphertext.
//   header  = version (1) ‖ dh (32) ‖ pn (u32 BE) ‖ n (u32 BE)       41 bytes
//   message = header ‖ ciphertext (XChaCha20-Poly1305, tag included)

#include "crypto/keys.hpp"

#include <cstdint>

namespace confidant::crypto::ratchet {

inline constexpr byte header_version = 1;

struct header {
  static constexpr std::size_t encoded_size = 1 + 32 + 4 + 4;

  x25519_public_key dh;
  std::uint32_t pn = 0;
  std::uint32_t n = 0;

  [[nodiscard]] std::array<byte, encoded_size> to_bytes() const;
  // Layout only; the key is validated when the ratchet steps to it.
  [[nodiscard]] static result<header> from_bytes(byte_view b);
};

struct message {
  header hdr;
  bytes ciphertext;

  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<message> from_bytes(byte_view b);
};

}  // namespace confidant::crypto::ratchet
