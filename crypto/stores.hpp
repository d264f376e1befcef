#pragma once

// Storage interfaces the crypto core receives (as libsignal's storage/traits.rs): the client
// implements them on its SQLCipher store; memory_stores.hpp has in-memory versions for tests.
// Skipped message keys are part of the session record (ratchet::session::to_bytes), so they are
// stored, encrypted and replaced atomically with the chain state they belong to.

#include "crypto/identity.hpp"
#include "crypto/prekeys.hpp"

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace confidant::crypto {

// One device of one user (Sesame's device address).
struct device_address {
  std::string user;
  std::uint32_t device = 0;

  friend auto operator<=>(const device_address&, const device_address&) = default;
  friend bool operator==(const device_address&, const device_address&) = default;
};

class identity_store {
 public:
  virtual ~identity_store() = default;
  [[nodiscard]] virtual const identity_keypair& own_identity() const = 0;
  // Trust on first use: fine when the device is unknown or its key is the recorded one;
  // errc::untrusted_identity when it changed (the user must compare safety numbers again).
  [[nodiscard]] virtual result<void> check_trusted(const device_address& who, const identity_public& key) const = 0;
  // Records (or, after the user re-verified, replaces) a device's identity.
  [[nodiscard]] virtual result<void> save_identity(const device_address& who, const identity_public& key) = 0;
};

class prekey_store {
 public:
  virtual ~prekey_store() = default;
  // errc::unknown_prekey when the id is not held.
  [[nodiscard]] virtual result<signed_prekey> load_signed_prekey(std::uint32_t id) const = 0;
  [[nodiscard]] virtual result<void> store_signed_prekey(const signed_prekey& key) = 0;
  [[nodiscard]] virtual result<one_time_prekey> load_one_time_prekey(std::uint32_t id) const = 0;
  [[nodiscard]] virtual result<void> store_one_time_prekey(const one_time_prekey& key) = 0;
  [[nodiscard]] virtual result<void> remove_one_time_prekey(std::uint32_t id) = 0;
  // For replenishing the server's supply when it runs low.
  [[nodiscard]] virtual result<std::size_t> one_time_prekey_count() const = 0;
};

class session_store {
 public:
  virtual ~session_store() = default;
  // The serialized session record (it holds secrets: the real store keeps it encrypted).
  [[nodiscard]] virtual result<std::optional<bytes>> load_session(const device_address& peer) const = 0;
  [[nodiscard]] virtual result<void> store_session(const device_address& peer, byte_view record) = 0;
  [[nodiscard]] virtual result<void> delete_session(const device_address& peer) = 0;
};

}  // namespace confidant::crypto
