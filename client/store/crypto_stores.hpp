#pragma once

// The crypto core's store interfaces (crypto/stores.hpp) on the local SQLCipher database. Each
// write is one write_scope: its own transaction, or a savepoint of local_store::atomically's.
// Trust follows crypto::memory_identity_store (trust on first use) plus the `verified` mark.

#include "client/store/connection.hpp"
#include "crypto/stores.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace confidant::client {

class db_identity_store final : public crypto::identity_store {
 public:
  db_identity_store(connection& c, crypto::identity_keypair own) : c_(c), own_(std::move(own)) {}
  [[nodiscard]] const crypto::identity_keypair& own_identity() const override { return own_; }
  [[nodiscard]] crypto::result<void> check_trusted(const crypto::device_address& who,
                                                   const crypto::identity_public& key) const override;
  // Records a device's identity; a changed key replaces the old one and loses its verified mark.
  [[nodiscard]] crypto::result<void> save_identity(const crypto::device_address& who,
                                                   const crypto::identity_public& key) override;

  // Records `key` as the device's identity and marks it verified.
  [[nodiscard]] store_result<void> mark_verified(const crypto::device_address& who, const crypto::identity_public& key);
  [[nodiscard]] store_result<bool> is_verified(const crypto::device_address& who) const;
  [[nodiscard]] store_result<std::vector<std::pair<crypto::device_address, crypto::identity_public>>> known(
      std::string_view user) const;

 private:
  connection& c_;
  crypto::identity_keypair own_;
};

class db_prekey_store final : public crypto::prekey_store {
 public:
  explicit db_prekey_store(connection& c) : c_(c) {}
  [[nodiscard]] crypto::result<crypto::signed_prekey> load_signed_prekey(std::uint32_t id) const override;
  [[nodiscard]] crypto::result<void> store_signed_prekey(const crypto::signed_prekey& key) override;
  [[nodiscard]] crypto::result<crypto::one_time_prekey> load_one_time_prekey(std::uint32_t id) const override;
  [[nodiscard]] crypto::result<void> store_one_time_prekey(const crypto::one_time_prekey& key) override;
  [[nodiscard]] crypto::result<void> remove_one_time_prekey(std::uint32_t id) override;
  [[nodiscard]] crypto::result<std::size_t> one_time_prekey_count() const override;

  // One past the highest one-time prekey id ever stored (1 for a new store).
  [[nodiscard]] store_result<std::uint32_t> next_one_time_id() const;

 private:
  connection& c_;
};

class db_session_store final : public crypto::session_store {
 public:
  explicit db_session_store(connection& c) : c_(c) {}
  [[nodiscard]] crypto::result<std::optional<crypto::bytes>> load_session(
      const crypto::device_address& peer) const override;
  [[nodiscard]] crypto::result<void> store_session(const crypto::device_address& peer,
                                                   crypto::byte_view record) override;
  [[nodiscard]] crypto::result<void> delete_session(const crypto::device_address& peer) override;

 private:
  connection& c_;
};

}  // namespace confidant::client
