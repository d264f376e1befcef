#pragma once

// X25519 (RFC 7748) with the checks DESIGN.md asks for: every public key from outside is
// validated (small-order and all-zero points refused) and every DH output is checked.

#include "crypto/keys.hpp"
#include "crypto/random.hpp"

namespace confidant::crypto::x25519 {

struct shared_tag;
using shared_secret = secret<shared_tag, 32>;

// A fresh key pair from 32 random bytes (the scalar is clamped by X25519 itself).
[[nodiscard]] x25519_keypair generate(random_source& rng);
// The public key of a secret scalar.
[[nodiscard]] x25519_public_key public_of(x25519_secret_ref sk);
// A key pair from a given secret (tests, known answers).
[[nodiscard]] x25519_keypair from_secret(x25519_secret_key sk);

// errc::invalid_public_key for the all-zero point and every point of small order (any key
// whose product with a multiple of the cofactor is the identity), and for wrong lengths.
[[nodiscard]] result<x25519_public_key> parse_public(byte_view b);
[[nodiscard]] result<void> validate(const x25519_public_key& pk);

// X25519(sk, pk); errc::dh_failed when the output is all zero (small-order input).
[[nodiscard]] result<shared_secret> dh(x25519_secret_ref sk, const x25519_public_key& pk);

}  // namespace confidant::crypto::x25519
