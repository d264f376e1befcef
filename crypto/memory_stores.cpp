#include "crypto/memory_stores.hpp"

namespace confidant::crypto {

result<void> memory_identity_store::check_trusted(const device_address& who, const identity_public& key) const {
  auto it = known_.find(who);
  if (it == known_.end() || it->second == key) return {};
  return errc::untrusted_identity;
}

result<void> memory_identity_store::save_identity(const device_address& who, const identity_public& key) {
  known_.insert_or_assign(who, key);
  return {};
}

result<signed_prekey> memory_prekey_store::load_signed_prekey(std::uint32_t id) const {
  auto it = signed_.find(id);
  if (it == signed_.end()) return errc::unknown_prekey;
  return it->second.clone();
}

result<void> memory_prekey_store::store_signed_prekey(const signed_prekey& key) {
  signed_.insert_or_assign(key.id(), key.clone());
  return {};
}

result<one_time_prekey> memory_prekey_store::load_one_time_prekey(std::uint32_t id) const {
  auto it = one_time_.find(id);
  if (it == one_time_.end()) return errc::unknown_prekey;
  return it->second.clone();
}

result<void> memory_prekey_store::store_one_time_prekey(const one_time_prekey& key) {
  one_time_.insert_or_assign(key.id(), key.clone());
  return {};
}

result<void> memory_prekey_store::remove_one_time_prekey(std::uint32_t id) {
  if (one_time_.erase(id) == 0) return errc::unknown_prekey;
  return {};
}

memory_session_store::~memory_session_store() {
  for (auto& [peer, record] : sessions_) wipe(record);
}

result<std::optional<bytes>> memory_session_store::load_session(const device_address& peer) const {
  auto it = sessions_.find(peer);
  if (it == sessions_.end()) return std::optional<bytes>();
  return std::optional<bytes>(it->second);
}

result<void> memory_session_store::store_session(const device_address& peer, byte_view record) {
  auto& slot = sessions_[peer];
  wipe(slot);
  slot.assign(record.begin(), record.end());
  return {};
}

result<void> memory_session_store::delete_session(const device_address& peer) {
  if (auto it = sessions_.find(peer); it != sessions_.end()) {
    wipe(it->second);
    sessions_.erase(it);
  }
  return {};
}

}  // namespace confidant::crypto
