// The same functions as production, run with libsignal's labels against libsignal's published
// known answers (rust/protocol/src/ratchet/keys.rs; rust/protocol/tests/ratchet.rs before 2025).
#include "crypto/ratchet/kdf.hpp"
#include "crypto/x3dh.hpp"
#include "tests/crypto/support.hpp"

#include <gtest/gtest.h>

#include <array>

namespace confidant::crypto {
namespace {

using test::hex;

TEST(LibsignalKat, ChainKeyDerivation) {
  const auto ck = test::secret_from_hex<ratchet::chain_key>(
      "8ab72d6f4cc5ac0d387eaf463378ddb28edd07385b1cb01250c715982e7ad48f");
  const auto step = ratchet::kdf_ck(ck);
  EXPECT_EQ(to_hex(step.next.view()), "28e8f8fee54b801eef7c5cfb2f17f32c7b334485bbb70fac6ec10342a246d15d");
  std::array<byte, 80> material{};
  ASSERT_TRUE(ratchet::message_key_material(step.seed, "WhisperMessageKeys", material));
  EXPECT_EQ(to_hex(byte_view(material).first(32)), "bf51e9d75e0e31031051f82a2491ffc084fa298b7793bd9db620056febf45217");
  EXPECT_EQ(to_hex(byte_view(material).subspan(32, 32)),
            "c6c77d6a73a354337a56435e34607dfe48e3ace14e77314dc6abc172e7a7030b");
}

TEST(LibsignalKat, FixedKeyX3dhAsBob) {
  const auto bob_identity = test::secret_from_hex<x25519_secret_key>(
      "4875cc69ddf8ea0719ec947d61081135868d5fd801f02c0225e516df2156605e");
  const auto bob_signed_prekey = test::secret_from_hex<x25519_secret_key>(
      "583900131fb727998b7803fe6ac22cc591f342e4e42a8c8d5d78194209b8d253");
  const auto alice_identity = test::fixed_from_hex<x25519_public_key>(
      "b4a8455660ada65b401007f615e654041746432e3339c6875149bceefcb42b4a");
  const auto alice_base = test::fixed_from_hex<x25519_public_key>(
      "e2c05860f2ac6b2b57ba564b421ffe71e4b128c591e46e0491cc9b33dbf22a27");
  std::array<byte, 64> out{};
  ASSERT_TRUE(x3dh::responder_secret(bob_identity, bob_signed_prekey, nullptr, alice_identity, alice_base,
                                     "WhisperText", out));
  EXPECT_EQ(to_hex(byte_view(out).subspan(32)), "ab9be50e5cb22a925446ab90ee5670545f4fd32902459ec274b6ad0ae5d6031a");

  // A different label or a missing DH gives a different key: the check above is not vacuous.
  std::array<byte, 64> other{};
  ASSERT_TRUE(x3dh::responder_secret(bob_identity, bob_signed_prekey, nullptr, alice_identity, alice_base,
                                     x3dh::confidant_info, other));
  EXPECT_NE(to_hex(byte_view(other).subspan(32)), to_hex(byte_view(out).subspan(32)));
}

}  // namespace
}  // namespace confidant::crypto
