#pragma once

// One Double Ratchet session (Signal specification rev. 1, with header AD and skipped keys).
// decrypt() is transactional: it works on a copy of the state and commits only after the AEAD
// tag verifies, so a forged, replayed or out-of-range message never changes the session.

#include "crypto/ratchet/header.hpp"
#include "crypto/ratchet/kdf.hpp"
#include "crypto/random.hpp"
#include "crypto/x3dh.hpp"

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <utility>

namespace confidant::crypto::ratchet {

inline constexpr std::uint32_t max_skip = 1000;          // per chain (MAX_SKIP)
inline constexpr std::size_t max_skipped_total = 2000;   // all chains; the oldest is evicted
inline constexpr std::size_t max_previous_chains = 16;   // remembered to report late duplicates
inline constexpr std::size_t max_ad_size = 1024;

class session {
 public:
  // The initiator (Alice) after X3DH: her first sending chain comes from DH(new key, SPK_B).
  [[nodiscard]] static result<session> initiate(const x3dh::shared_key& sk, byte_view ad,
                                                const x25519_public_key& their_ratchet_key, random_source& rng,
                                                labels l = {});
  // The responder (Bob): his signed prekey pair is his first ratchet key; he can send only after
  // the first message arrives.
  [[nodiscard]] static result<session> respond(const x3dh::shared_key& sk, byte_view ad, x25519_keypair our_ratchet_key,
                                       labels l = {});

  session(const session&) = delete;
  session& operator=(const session&) = delete;
  session(session&&) noexcept = default;
  session& operator=(session&&) noexcept = default;
  ~session() = default;

  // AEAD associated data = session AD (X3DH) ‖ header ‖ associated. errc::no_session before the
  // responder has received a message.
  [[nodiscard]] result<message> encrypt(byte_view plaintext, byte_view associated = {});
  // errc::decrypt_failed, duplicate_message, too_many_skipped, invalid_public_key; the state is
  // unchanged on any error. rng supplies the next ratchet key when the peer's key changes.
  [[nodiscard]] result<bytes> decrypt(const message& m, random_source& rng, byte_view associated = {});

  // Versioned compact state (docs/crypto.md). Holds secrets: encrypt it at rest, wipe after use.
  [[nodiscard]] bytes to_bytes() const;
  [[nodiscard]] static result<session> from_bytes(byte_view b, labels l = {});
  [[nodiscard]] session clone() const;

  [[nodiscard]] std::size_t skipped_count() const noexcept { return skipped_.size(); }
  [[nodiscard]] const x25519_public_key& our_ratchet_key() const noexcept { return dhs_.public_key; }
  [[nodiscard]] std::uint32_t sent_in_chain() const noexcept { return ns_; }
  [[nodiscard]] bool can_send() const noexcept { return cks_.has_value(); }

 private:
  using skipped_id = std::pair<x25519_public_key, std::uint32_t>;

  session() = default;
  [[nodiscard]] bytes aead_ad(const header& h, byte_view associated) const;
  void skip_to(std::uint32_t until);
  [[nodiscard]] result<void> dh_ratchet(const x25519_public_key& their, random_source& rng);
  [[nodiscard]] result<bytes> open(const message_seed& seed, const message& m, byte_view associated) const;
  // Opens m with the next key of the receiving chain (at nr_); the chain advances only if it opened.
  [[nodiscard]] result<bytes> open_next(const message& m, byte_view associated);
  void forget_skipped(const skipped_id& id);

  labels labels_;
  root_key rk_;
  x25519_keypair dhs_;
  std::optional<x25519_public_key> dhr_;
  std::optional<chain_key> cks_;
  std::optional<chain_key> ckr_;
  std::uint32_t ns_ = 0;
  std::uint32_t nr_ = 0;
  std::uint32_t pn_ = 0;
  bytes ad_;
  std::map<skipped_id, message_seed> skipped_;
  std::deque<skipped_id> skipped_order_;  // oldest first, for the global bound
  std::deque<x25519_public_key> previous_dhr_;

  friend struct session_codec;
};

}  // namespace confidant::crypto::ratchet
