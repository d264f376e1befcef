#pragma once

// Signed prekeys (an id, a creation time given by the caller, rotated) and one-time prekeys
// (batches of consecutive ids), X3DH rev. 1 §3.

#include "crypto/identity.hpp"
#include "crypto/keys.hpp"
#include "crypto/random.hpp"

#include <cstdint>
#include <vector>

namespace confidant::crypto {

struct signed_prekey_public {
  std::uint32_t id = 0;
  std::uint64_t created_at = 0;  // seconds since the epoch, chosen by the caller
  x25519_public_key key;
  ed25519_signature signature;  // identity over "Confidant_Signed_Prekey_v1" ‖ id ‖ created_at ‖ key

  [[nodiscard]] result<void> verify(const ed25519_public_key& signer) const;
};

class signed_prekey {
 public:
  [[nodiscard]] static signed_prekey generate(const identity_keypair& identity, std::uint32_t id,
                                              std::uint64_t created_at, random_source& rng);

  [[nodiscard]] const signed_prekey_public& public_part() const noexcept { return public_; }
  [[nodiscard]] std::uint32_t id() const noexcept { return public_.id; }
  [[nodiscard]] const x25519_keypair& keypair() const noexcept { return keypair_; }
  // True once the key is at least max_age seconds old at `now` (both given by the caller).
  [[nodiscard]] bool due_for_rotation(std::uint64_t now, std::uint64_t max_age) const noexcept;

  // version ‖ id ‖ created_at ‖ secret ‖ signature (the public key is recomputed). Wipe after use.
  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<signed_prekey> from_bytes(byte_view b);
  [[nodiscard]] signed_prekey clone() const { return signed_prekey(public_, keypair_.clone()); }

 private:
  signed_prekey(signed_prekey_public pub, x25519_keypair kp) : public_(pub), keypair_(std::move(kp)) {}
  signed_prekey_public public_;
  x25519_keypair keypair_;
};

struct one_time_prekey_public {
  std::uint32_t id = 0;
  x25519_public_key key;
};

class one_time_prekey {
 public:
  // `count` keys with ids first_id, first_id + 1, … (wrapping is the caller's concern).
  [[nodiscard]] static std::vector<one_time_prekey> generate_batch(std::uint32_t first_id, std::uint32_t count,
                                                                   random_source& rng);

  [[nodiscard]] one_time_prekey_public public_part() const { return {id_, keypair_.public_key}; }
  [[nodiscard]] std::uint32_t id() const noexcept { return id_; }
  [[nodiscard]] const x25519_keypair& keypair() const noexcept { return keypair_; }
  [[nodiscard]] one_time_prekey clone() const { return one_time_prekey(id_, keypair_.clone()); }

  // version ‖ id ‖ secret. Wipe after use.
  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<one_time_prekey> from_bytes(byte_view b);

 private:
  one_time_prekey(std::uint32_t id, x25519_keypair kp) : id_(id), keypair_(std::move(kp)) {}
  std::uint32_t id_;
  x25519_keypair keypair_;
};

}  // namespace confidant::crypto
