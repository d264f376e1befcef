#pragma once

// X3DH (Signal specification rev. 1). The info label is a parameter: production uses
// Confidant's, the known-answer tests run libsignal's ("WhisperText").
//
//   DH1 = DH(IK_A, SPK_B)   DH2 = DH(EK_A, IK_B)   DH3 = DH(EK_A, SPK_B)   [DH4 = DH(EK_A, OPK_B)]
//   SK  = HKDF(salt = 32 zero bytes, ikm = 32×0xFF ‖ DH1 ‖ DH2 ‖ DH3 [‖ DH4], info)
//   AD  = IK_A ‖ IK_B, each identity as signing key ‖ DH key (128 bytes)

#include "crypto/bundle.hpp"
#include "crypto/identity.hpp"
#include "crypto/prekeys.hpp"
#include "crypto/random.hpp"
#include "crypto/x25519.hpp"

#include <optional>
#include <span>
#include <string_view>

namespace confidant::crypto::x3dh {

inline constexpr std::string_view confidant_info = "Confidant_X3DH_v1";
inline constexpr std::size_t ad_size = 128;

struct shared_key_tag;
using shared_key = secret<shared_key_tag, 32>;

// The KDF of §2.2 over already computed DH outputs, into out (any HKDF length).
[[nodiscard]] result<void> kdf(std::span<const x25519::shared_secret> dhs, std::string_view info,
                               std::span<byte> out);

// The raw key agreement of each side (used by initiate/respond and by the known-answer tests).
[[nodiscard]] result<void> initiator_secret(x25519_secret_ref identity, x25519_secret_ref ephemeral,
                                            const x25519_public_key& their_identity,
                                            const x25519_public_key& their_signed_prekey,
                                            const x25519_public_key* their_one_time_prekey, std::string_view info,
                                            std::span<byte> out);
[[nodiscard]] result<void> responder_secret(x25519_secret_ref identity, x25519_secret_ref signed_prekey,
                                            const x25519_secret_ref* one_time_prekey,
                                            const x25519_public_key& their_identity,
                                            const x25519_public_key& their_ephemeral, std::string_view info,
                                            std::span<byte> out);

[[nodiscard]] std::array<byte, ad_size> associated_data(const identity_public& initiator,
                                                        const identity_public& responder);

struct initiation {
  shared_key key;
  std::array<byte, ad_size> ad{};
  x25519_public_key ephemeral;           // sent to the responder
  x25519_public_key their_signed_prekey;  // the responder's first ratchet key
  std::uint32_t signed_prekey_id = 0;
  std::optional<std::uint32_t> one_time_prekey_id;
};

// Verifies the bundle (signatures, points) and runs the initiator's side.
[[nodiscard]] result<initiation> initiate(const identity_keypair& self, const prekey_bundle& bundle,
                                          random_source& rng, std::string_view info = confidant_info);

struct response {
  shared_key key;
  std::array<byte, ad_size> ad{};
};

// The responder's side: the initiator's identity must verify and the ephemeral key be valid.
[[nodiscard]] result<response> respond(const identity_keypair& self, const signed_prekey& spk,
                                       const one_time_prekey* otk, const identity_public& initiator,
                                       const x25519_public_key& ephemeral, std::string_view info = confidant_info);

}  // namespace confidant::crypto::x3dh
