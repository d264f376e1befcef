#pragma once

// The library's key vocabulary: one distinct type per kind of key.

#include "crypto/secret.hpp"

namespace confidant::crypto {

struct x25519_public_tag;
struct x25519_secret_tag;
struct ed25519_public_tag;
struct ed25519_secret_tag;
struct ed25519_signature_tag;
struct hmac_tag;

using x25519_public_key = fixed_bytes<x25519_public_tag, 32>;
using x25519_secret_key = secret<x25519_secret_tag, 32>;
using x25519_secret_ref = secret_ref<x25519_secret_tag, 32>;
using ed25519_public_key = fixed_bytes<ed25519_public_tag, 32>;
// libsodium's 64-byte form (seed ‖ public key); always in locked memory.
using ed25519_secret_key = locked_secret<ed25519_secret_tag, 64>;
using ed25519_signature = fixed_bytes<ed25519_signature_tag, 64>;
using hmac_sha256_tag = fixed_bytes<hmac_tag, 32>;

// An X25519 key pair for ratchet and prekey use (the secret is wiped on destruction).
struct x25519_keypair {
  x25519_public_key public_key;
  x25519_secret_key secret_key;

  [[nodiscard]] x25519_keypair clone() const { return {public_key, secret_key.clone()}; }
};

}  // namespace confidant::crypto
