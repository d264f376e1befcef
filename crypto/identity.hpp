#pragma once

// Device identity (the Olm model, DESIGN.md §3): an Ed25519 signing key and a separate X25519
// DH key signed by it, because libsodium has no XEdDSA.

#include "crypto/ed25519.hpp"
#include "crypto/keys.hpp"
#include "crypto/random.hpp"

#include <array>
#include <initializer_list>

namespace confidant::crypto {

// The public half of a device identity, as published on the server.
struct identity_public {
  static constexpr std::size_t encoded_size = 32 + 32 + 64;

  ed25519_public_key signing;
  x25519_public_key dh;
  ed25519_signature dh_signature;  // signing key over "Confidant_Identity_DH_v1" ‖ dh

  // Both keys valid (no small-order points) and the DH key signed by the signing key.
  [[nodiscard]] result<void> verify() const;
  // signing ‖ dh: what X3DH's associated data and safety numbers bind.
  [[nodiscard]] std::array<byte, 64> key_bytes() const;

  [[nodiscard]] bytes to_bytes() const;
  // Parses exactly encoded_size bytes and verifies them.
  [[nodiscard]] static result<identity_public> from_bytes(byte_view b);

  friend bool operator==(const identity_public& a, const identity_public& b) noexcept {
    return a.signing == b.signing && a.dh == b.dh && a.dh_signature == b.dh_signature;
  }
};

class identity_keypair {
 public:
  [[nodiscard]] static identity_keypair generate(random_source& rng);

  [[nodiscard]] const identity_public& public_keys() const noexcept { return public_; }
  [[nodiscard]] ed25519_signature sign(std::initializer_list<byte_view> parts) const;
  [[nodiscard]] x25519_secret_ref dh_secret() const noexcept { return dh_secret_; }
  [[nodiscard]] const ed25519_secret_key& signing_secret() const noexcept { return signing_secret_; }

  // Secret serialization for the local encrypted store: version ‖ Ed25519 seed ‖ X25519 secret.
  // The caller wipes the returned buffer.
  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<identity_keypair> from_bytes(byte_view b);

  [[nodiscard]] identity_keypair clone() const;

 private:
  identity_keypair(identity_public pub, ed25519_secret_key sk, locked_secret<x25519_secret_tag, 32> dh);

  identity_public public_;
  ed25519_secret_key signing_secret_;
  locked_secret<x25519_secret_tag, 32> dh_secret_;
};

}  // namespace confidant::crypto
