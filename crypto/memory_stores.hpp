#pragma once

// In-memory store implementations for tests and tools. Not thread-safe.

#include "crypto/stores.hpp"

#include <map>

namespace confidant::crypto {

class memory_identity_store final : public identity_store {
 public:
  explicit memory_identity_store(identity_keypair own) : own_(std::move(own)) {}
  [[nodiscard]] const identity_keypair& own_identity() const override { return own_; }
  [[nodiscard]] result<void> check_trusted(const device_address& who, const identity_public& key) const override;
  [[nodiscard]] result<void> save_identity(const device_address& who, const identity_public& key) override;

 private:
  identity_keypair own_;
  std::map<device_address, identity_public> known_;
};

class memory_prekey_store final : public prekey_store {
 public:
  [[nodiscard]] result<signed_prekey> load_signed_prekey(std::uint32_t id) const override;
  [[nodiscard]] result<void> store_signed_prekey(const signed_prekey& key) override;
  [[nodiscard]] result<one_time_prekey> load_one_time_prekey(std::uint32_t id) const override;
  [[nodiscard]] result<void> store_one_time_prekey(const one_time_prekey& key) override;
  [[nodiscard]] result<void> remove_one_time_prekey(std::uint32_t id) override;
  [[nodiscard]] result<std::size_t> one_time_prekey_count() const override { return one_time_.size(); }

 private:
  std::map<std::uint32_t, signed_prekey> signed_;
  std::map<std::uint32_t, one_time_prekey> one_time_;
};

class memory_session_store final : public session_store {
 public:
  memory_session_store() = default;
  memory_session_store(const memory_session_store&) = delete;
  memory_session_store& operator=(const memory_session_store&) = delete;
  ~memory_session_store() override;
  [[nodiscard]] result<std::optional<bytes>> load_session(const device_address& peer) const override;
  [[nodiscard]] result<void> store_session(const device_address& peer, byte_view record) override;
  [[nodiscard]] result<void> delete_session(const device_address& peer) override;
  [[nodiscard]] std::size_t size() const noexcept { return sessions_.size(); }

 private:
  std::map<device_address, bytes> sessions_;
};

}  // namespace confidant::crypto
