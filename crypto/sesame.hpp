#pragma once

// Per-device sessions (Sesame): a message to a user is encrypted once for each of their devices
// and once for each of the sender's other devices. Sessions, identities and prekeys live in the
// injected stores; every operation either completes for all devices or changes nothing.

#include "crypto/bundle.hpp"
#include "crypto/envelope.hpp"
#include "crypto/random.hpp"
#include "crypto/ratchet/kdf.hpp"
#include "crypto/session_record.hpp"
#include "crypto/stores.hpp"
#include "crypto/x3dh.hpp"

#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace confidant::crypto::sesame {

struct config {
  ratchet::labels labels{};
  std::string_view x3dh_info = x3dh::confidant_info;
};

// A device to encrypt for. The bundle (fetched from the server) is needed only when there is
// no session with that device yet.
struct device_target {
  device_address address;
  std::optional<prekey_bundle> bundle;
};

struct outgoing {
  device_address to;
  bytes envelope;
};

class session_manager {
 public:
  session_manager(device_address self, identity_store& identities, prekey_store& prekeys, session_store& sessions,
                  random_source& rng, config cfg = {});

  // One envelope per target (recipient devices and the sender's other devices; this device is
  // skipped). errc::no_session when a target has neither a session nor a bundle;
  // errc::untrusted_identity when a bundle's identity differs from the one on record.
  [[nodiscard]] result<std::vector<outgoing>> encrypt(std::span<const device_target> targets, byte_view payload);

  // Decrypts one envelope from `from`, creating the session from a prekey envelope (and only
  // then consuming the one-time prekey). Errors leave every store unchanged.
  [[nodiscard]] result<bytes> decrypt(const device_address& from, byte_view envelope);

  // The session reset path: forget the session so the next send starts a fresh X3DH.
  [[nodiscard]] result<void> reset(const device_address& peer);
  [[nodiscard]] result<bool> has_session(const device_address& peer) const;

 private:
  [[nodiscard]] result<std::optional<session_record>> load(const device_address& peer) const;

  device_address self_;
  identity_store& identities_;
  prekey_store& prekeys_;
  session_store& sessions_;
  random_source& rng_;
  config cfg_;
};

}  // namespace confidant::crypto::sesame
