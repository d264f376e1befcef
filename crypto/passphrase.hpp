#pragma once

// Passphrase key derivation for local stores: Argon2id (crypto_pwhash). The parameters are
// recorded with the salt, so a store can be re-keyed under stronger parameters later.
//   record = version (1) ‖ algorithm (1 = Argon2id v1.3) ‖ opslimit (u64) ‖ memlimit (u64) ‖ salt (16)

#include "crypto/random.hpp"
#include "crypto/secret.hpp"

#include <array>
#include <cstdint>
#include <string_view>

namespace confidant::crypto::passphrase {

struct params {
  std::uint64_t opslimit = 0;
  std::uint64_t memlimit = 0;  // bytes
};

// RFC 9106's second recommended option (t = 3, m = 64 MiB; libsodium runs one lane).
inline constexpr params recommended{3, 64ull << 20};
// Nothing weaker is accepted: libsodium's INTERACTIVE level for Argon2id.
inline constexpr params minimum{2, 64ull << 20};

struct record {
  static constexpr std::size_t encoded_size = 1 + 1 + 8 + 8 + 16;

  params p;
  std::array<byte, 16> salt{};

  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<record> from_bytes(byte_view b);
};

struct key_tag;
using key = secret<key_tag, 32>;

[[nodiscard]] record new_record(random_source& rng, params p = recommended);
// errc::weak_parameters below `minimum` or above libsodium's limits; errc::kdf_failed when the
// memory cannot be had.
[[nodiscard]] result<key> derive_key(std::string_view passphrase, const record& r);
// True when the record's parameters are weaker than `target` (re-key on next unlock).
[[nodiscard]] bool needs_upgrade(const record& r, params target = recommended) noexcept;

}  // namespace confidant::crypto::passphrase
