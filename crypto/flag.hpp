#pragma once

// Safeguarding flags: signed by the flagger's identity, then sealed to each SPOC device's
// medium-term X25519 key. Each such key is certified (signed) by the SPOC identity, carries an
// id and a validity window, and is rotated by issuing a new certificate.
//   certificate = version (1) ‖ spoc identity (32) ‖ key id (u32) ‖ box key (32) ‖
//                 not_before (u64) ‖ not_after (u64) ‖ signature (64)
//   inner       = version (1) ‖ spoc identity (32) ‖ key id (u32) ‖ box key (32) ‖
//                 flagger identity (128) ‖ blob(body) ‖ signature (64)
//   sealed      = key id (u32) ‖ crypto_box_seal(inner)
// The flagger signs "Confidant_Flag_v1" ‖ inner-without-signature, so the binding to the SPOC
// key is signed: a flag cannot be re-sealed to another key without detection.

#include "crypto/identity.hpp"
#include "crypto/random.hpp"

#include <cstdint>
#include <span>
#include <vector>

namespace confidant::crypto::flag {

inline constexpr std::size_t max_body = 64 * 1024;

struct spoc_key_certificate {
  ed25519_public_key spoc_identity;
  std::uint32_t key_id = 0;
  x25519_public_key box_key;
  std::uint64_t not_before = 0;
  std::uint64_t not_after = 0;
  ed25519_signature signature;

  // Signed by `expected_spoc`, key valid, and `now` inside the window (errc::expired_key).
  [[nodiscard]] result<void> verify(const ed25519_public_key& expected_spoc, std::uint64_t now) const;
  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<spoc_key_certificate> from_bytes(byte_view b);
};

// A SPOC device's medium-term key pair with its certificate.
class spoc_device_key {
 public:
  [[nodiscard]] static spoc_device_key generate(const identity_keypair& spoc, std::uint32_t key_id,
                                                std::uint64_t not_before, std::uint64_t not_after,
                                                random_source& rng);
  // A kept key from the device's encrypted store: its certificate and X25519 secret. The secret
  // must belong to the certificate's box key (errc::binding_mismatch otherwise).
  [[nodiscard]] static result<spoc_device_key> from_parts(const spoc_key_certificate& cert, x25519_secret_key secret);
  [[nodiscard]] const spoc_key_certificate& certificate() const noexcept { return cert_; }
  [[nodiscard]] const x25519_keypair& keypair() const noexcept { return keypair_; }

 private:
  spoc_device_key(spoc_key_certificate cert, x25519_keypair kp) : cert_(cert), keypair_(std::move(kp)) {}
  spoc_key_certificate cert_;
  x25519_keypair keypair_;
};

struct sealed_flag {
  std::uint32_t key_id = 0;
  bytes box;

  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<sealed_flag> from_bytes(byte_view b);
};

// Verifies every certificate (signer, validity at `now`) and seals one copy per SPOC device.
[[nodiscard]] result<std::vector<sealed_flag>> seal(const identity_keypair& flagger,
                                                    const ed25519_public_key& spoc_identity,
                                                    std::span<const spoc_key_certificate> devices,
                                                    std::uint64_t now, byte_view body, random_source& rng);

struct opened_flag {
  identity_public flagger;
  bytes body;
};

// Opens with the device key whose id the flag names (a rotated device passes every key it keeps):
// errc::decrypt_failed, binding_mismatch (sealed for another key), bad_signature, malformed.
[[nodiscard]] result<opened_flag> open(std::span<const spoc_device_key* const> keys, const sealed_flag& f);

}  // namespace confidant::crypto::flag
