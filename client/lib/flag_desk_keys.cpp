// SPOC sealing keys: this device's (generate, store, publish, renew, rotate, keep) and the other
// SPOC devices' (fetch, verify, pin, seal to).
#include "client/lib/flag_desk_impl.hpp"
#include "client/lib/messenger_impl.hpp"

#include <algorithm>

namespace confidant::client {
namespace {

constexpr std::uint64_t key_lifetime_s = 180 * 86'400;  // the server allows at most 400 days
constexpr std::uint64_t renew_before_s = 30 * 86'400;
constexpr std::uint64_t backdate_s = 300;  // tolerates a little clock skew at the server's check

failure security(const std::string& what) { return make_failure(errc::identity_changed, what); }

std::uint64_t server_seconds(const messenger& m) { return static_cast<std::uint64_t>(m.server_now_ms() / 1000); }

outcome<std::uint32_t> publish(messenger& m, flags::calls& c, const spoc_key_record& k) {
  auto done = c.publish(k.certificate);
  if (!done) return done.error();
  if (done->key_id != k.key_id)
    return make_failure(errc::bad_answer, "the server published a different key id than this device sent");
  if (auto r = m.store().flags().mark_published(k.key_id, m.now_ms()); !r)
    return desk::stored(r.error(), "recording the published key");
  return k.key_id;
}

outcome<spoc_key_record> new_key(messenger& m, std::uint32_t key_id) {
  const auto not_before = server_seconds(m) - backdate_s;
  auto key = crypto::flag::spoc_device_key::generate(m.store().identities().own_identity(), key_id, not_before,
                                                     not_before + key_lifetime_s, m.rng());
  spoc_key_record k;
  k.key_id = key_id;
  const auto secret = key.keypair().secret_key.view();
  k.secret.assign(secret.begin(), secret.end());
  k.certificate = key.certificate().to_bytes();
  k.created_at_ms = m.now_ms();
  // Stored before it is published: a key the server hands out must be one this device holds.
  auto saved = m.store().flags().add_key(k);
  crypto::wipe(k.secret);
  if (!saved) return desk::stored(saved.error(), "storing a new flag key");
  return k;
}

}  // namespace

namespace desk {

outcome<flags::calls> calls(messenger& m) {
  auto* c = m.raw_connection();
  if (!c || !c->is_open()) return make_failure(errc::closed, "not connected to the server");
  return flags::calls{*c};
}

failure stored(const boost::system::error_code& ec, std::string_view what) { return store_failure(ec, what); }

outcome<std::vector<std::unique_ptr<crypto::flag::spoc_device_key>>> kept_keys(messenger& m) {
  auto records = m.store().flags().keys();
  if (!records) return stored(records.error(), "reading flag keys");
  std::vector<std::unique_ptr<crypto::flag::spoc_device_key>> out;
  for (auto& r : *records) {
    auto cert = crypto::flag::spoc_key_certificate::from_bytes(r.certificate);
    auto secret = crypto::x25519_secret_key::from(r.secret);
    crypto::wipe(r.secret);
    if (!cert || !secret) continue;
    auto key = crypto::flag::spoc_device_key::from_parts(*cert, std::move(*secret));
    if (key) out.push_back(std::make_unique<crypto::flag::spoc_device_key>(std::move(*key)));
  }
  return out;
}

outcome<std::vector<flags::sealed_copy>> seal_to_spocs(messenger& m, flags::calls& c, std::span<const std::uint8_t> body) {
  auto keys = c.spoc_keys();
  if (!keys) return keys.error();
  if (keys->empty()) {
    auto f = make_failure(errc::error_answer, "no SPOC device can receive flags yet: no_spoc");
    f.server_code = "no_spoc";
    return f;
  }
  const auto now = server_seconds(m);
  std::vector<flags::sealed_copy> out;
  for (const auto& k : *keys) {
    const auto who = "SPOC user " + std::to_string(k.user) + ", device " + std::to_string(k.device);
    auto identity = crypto::identity_public::from_bytes(k.identity);
    if (!identity) return security("the identity the server gives for " + who + " does not verify: not sealing to it");
    const crypto::device_address addr{std::to_string(k.user), static_cast<std::uint32_t>(k.device)};
    auto& ids = m.store().identities();
    if (auto trusted = ids.check_trusted(addr, *identity); !trusted) {
      if (trusted.error() == crypto::errc::untrusted_identity)
        return security("the identity key of " + who + " has changed since this device last sealed a flag to it: "
                        "not sealing (ask the LA to confirm the SPOC's device)");
      return stored(trusted.error(), "checking identities");
    }
    if (auto r = ids.save_identity(addr, *identity); !r) return stored(r.error(), "pinning a SPOC identity");
    auto cert = crypto::flag::spoc_key_certificate::from_bytes(k.certificate);
    if (!cert || cert->key_id != static_cast<std::uint64_t>(k.key_id))
      return security("the sealing key certificate of " + who + " is malformed: not sealing to it");
    const crypto::flag::spoc_key_certificate one[] = {*cert};
    auto sealed = crypto::flag::seal(m.store().identities().own_identity(), identity->signing, one, now, body, m.rng());
    if (!sealed)
      return security("the sealing key certificate of " + who + " does not verify (" + sealed.error().message() +
                      "): not sealing to it");
    out.push_back({k.user, k.device, k.key_id, sealed->front().to_bytes()});
  }
  return out;
}

std::optional<crypto::identity_public> spoc_identity(messenger& m, std::int64_t user, std::int64_t device) {
  auto find = [&]() -> std::optional<crypto::identity_public> {
    auto known = m.store().known_identities(user);
    if (!known) return std::nullopt;
    for (const auto& [addr, id] : *known)
      if (addr.device == static_cast<std::uint32_t>(device)) return id;
    return std::nullopt;
  };
  if (auto id = find()) return id;
  auto c = calls(m);
  if (!c) return std::nullopt;
  auto keys = c->spoc_keys();
  if (!keys) return std::nullopt;
  for (const auto& k : *keys) {
    auto id = crypto::identity_public::from_bytes(k.identity);
    const crypto::device_address addr{std::to_string(k.user), static_cast<std::uint32_t>(k.device)};
    if (id && m.store().identities().check_trusted(addr, *id)) (void)m.store().identities().save_identity(addr, *id);
  }
  return find();
}

}  // namespace desk

outcome<std::uint32_t> flag_desk::ensure_key() {
  auto c = desk::calls(m_);
  if (!c) return c.error();
  auto records = m_.store().flags().keys();
  if (!records) return desk::stored(records.error(), "reading flag keys");
  const auto now = server_seconds(m_);
  std::uint32_t highest = 0;
  const spoc_key_record* current = nullptr;
  for (const auto& r : *records) {
    highest = std::max(highest, r.key_id);
    if (r.published_at_ms && (!current || r.key_id > current->key_id)) current = &r;
  }
  // A key stored but never published (the connection was lost in between) goes first.
  for (const auto& r : *records)
    if (!r.published_at_ms && (!current || r.key_id > current->key_id)) return publish(m_, *c, r);
  if (current) {
    auto cert = crypto::flag::spoc_key_certificate::from_bytes(current->certificate);
    if (cert && cert->not_after > now + renew_before_s) return current->key_id;
  }
  auto k = new_key(m_, highest + 1);
  if (!k) return k.error();
  return publish(m_, *c, *k);
}

outcome<std::uint32_t> flag_desk::rotate() {
  if (!spoc()) return make_failure(errc::error_answer, "only a SPOC device has flag keys to rotate: forbidden");
  auto c = desk::calls(m_);
  if (!c) return c.error();
  auto records = m_.store().flags().keys();
  if (!records) return desk::stored(records.error(), "reading flag keys");
  std::uint32_t highest = 0;
  for (const auto& r : *records) highest = std::max(highest, r.key_id);
  auto k = new_key(m_, highest + 1);
  if (!k) return k.error();
  return publish(m_, *c, *k);
}

}  // namespace confidant::client
