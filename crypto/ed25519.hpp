#pragma once

// Ed25519 (RFC 8032) signatures through crypto_sign_*.

#include "crypto/keys.hpp"
#include "crypto/random.hpp"

#include <initializer_list>

namespace confidant::crypto::ed25519 {

struct keypair {
  ed25519_public_key public_key;
  ed25519_secret_key secret_key;

  [[nodiscard]] keypair clone() const { return {public_key, secret_key.clone()}; }
};

[[nodiscard]] keypair generate(random_source& rng);
// Deterministic key pair from the RFC 8032 32-byte secret (seed).
[[nodiscard]] result<keypair> from_seed(byte_view seed);

// errc::invalid_public_key for wrong length, non-canonical or small-order points.
[[nodiscard]] result<ed25519_public_key> parse_public(byte_view b);
[[nodiscard]] result<void> validate(const ed25519_public_key& pk);

// Signs / verifies the concatenation of the parts (streamed into one buffer, pure Ed25519).
[[nodiscard]] ed25519_signature sign(const ed25519_secret_key& sk, std::initializer_list<byte_view> parts);
[[nodiscard]] result<void> verify(const ed25519_public_key& pk, const ed25519_signature& sig,
                                  std::initializer_list<byte_view> parts);

}  // namespace confidant::crypto::ed25519
