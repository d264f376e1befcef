#pragma once

// The server's stamp on a franking commitment: Ed25519 over (commitment ‖ sender ‖ recipient ‖
// time). DESIGN.md §3 has the server sign once per committed batch, so the signature covers a
// Merkle root of the batch's stamps and each stamp carries its inclusion path. A batch of one
// is the single-message case (the root is the leaf).
//   leaf   = SHA-256(0x00 ‖ "Confidant_Stamp_v1" ‖ c ‖ u8 len ‖ sender ‖ u8 len ‖ recipient ‖ time)
//   node   = SHA-256(0x01 ‖ left ‖ right); an odd last node moves up a level unchanged
//   signed = "Confidant_Stamp_Root_v1" ‖ root ‖ batch size (u32)

#include "crypto/ed25519.hpp"
#include "crypto/franking.hpp"
#include "crypto/hash.hpp"

#include <span>
#include <string>
#include <vector>

namespace confidant::crypto::franking {

inline constexpr std::uint32_t max_batch = 1u << 20;

struct stamp_fields {
  commitment c;
  std::string sender;
  std::string recipient;
  std::uint64_t time = 0;  // the server's receive time, seconds

  friend bool operator==(const stamp_fields&, const stamp_fields&) = default;
};

struct stamp {
  stamp_fields fields;
  std::uint32_t index = 0;       // position in the batch
  std::uint32_t batch_size = 1;
  std::vector<sha256_digest> path;  // sibling hashes from the leaf up
  ed25519_signature signature;      // over the batch root

  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<stamp> from_bytes(byte_view b);
};

// Server side: stamps a batch (1..max_batch entries) with one signature.
[[nodiscard]] result<std::vector<stamp>> sign_batch(const ed25519_secret_key& server,
                                                    std::span<const stamp_fields> batch);

// errc::bad_stamp when the path or signature does not verify under the server's key.
[[nodiscard]] result<void> verify_stamp(const ed25519_public_key& server, const stamp& s);

}  // namespace confidant::crypto::franking
