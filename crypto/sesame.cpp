#include "crypto/sesame.hpp"

namespace confidant::crypto::sesame {

session_manager::session_manager(device_address self, identity_store& identities, prekey_store& prekeys,
                                 session_store& sessions, random_source& rng, config cfg)
    : self_(std::move(self)), identities_(identities), prekeys_(prekeys), sessions_(sessions), rng_(rng), cfg_(cfg) {}

result<std::optional<session_record>> session_manager::load(const device_address& peer) const {
  auto stored = sessions_.load_session(peer);
  if (!stored) return stored.error();
  if (!*stored) return std::optional<session_record>();
  auto rec = session_record::from_bytes(**stored, identities_.own_identity().public_keys(), cfg_.labels);
  wipe(**stored);
  if (!rec) return rec.error();
  return std::optional<session_record>(std::move(*rec));
}

result<bool> session_manager::has_session(const device_address& peer) const {
  auto stored = sessions_.load_session(peer);
  if (!stored) return {boost::system::in_place_error, stored.error()};
  const bool has = stored->has_value();
  if (has) wipe(**stored);
  return has;
}

result<void> session_manager::reset(const device_address& peer) { return sessions_.delete_session(peer); }

result<std::vector<outgoing>> session_manager::encrypt(std::span<const device_target> targets, byte_view payload) {
  struct staged {
    device_address to;
    session_record record;
    std::optional<identity_public> new_identity;
    bytes envelope;
  };
  std::vector<staged> work;
  const auto& own = identities_.own_identity();
  for (const auto& t : targets) {
    if (t.address == self_) continue;
    auto existing = load(t.address);
    if (!existing) return existing.error();
    std::optional<identity_public> new_identity;
    std::optional<session_record> rec = std::move(*existing);
    if (!rec) {
      if (!t.bundle) return errc::no_session;
      if (auto v = identities_.check_trusted(t.address, t.bundle->identity); !v) return v.error();
      auto init = x3dh::initiate(own, *t.bundle, rng_, cfg_.x3dh_info);
      if (!init) return init.error();
      auto s = ratchet::session::initiate(init->key, init->ad, init->their_signed_prekey, rng_, cfg_.labels);
      if (!s) return s.error();
      rec.emplace(session_record{std::move(*s),
                                 prekey_fields{own.public_keys(), init->ephemeral, init->signed_prekey_id,
                                               init->one_time_prekey_id},
                                 std::nullopt});
      new_identity = t.bundle->identity;
    }
    const auto prefix = prefix_for(rec->pending);
    auto m = rec->session.encrypt(payload, prefix);
    if (!m) return m.error();
    envelope e{rec->pending, std::move(*m)};
    work.push_back({t.address, std::move(*rec), new_identity, e.to_bytes()});
  }
  std::vector<outgoing> out;
  for (auto& w : work) {
    if (w.new_identity) {
      if (auto r = identities_.save_identity(w.to, *w.new_identity); !r) return r.error();
    }
    auto bytes_out = w.record.to_bytes();
    auto r = sessions_.store_session(w.to, bytes_out);
    wipe(bytes_out);
    if (!r) return r.error();
    out.push_back({w.to, std::move(w.envelope)});
  }
  return out;
}

result<bytes> session_manager::decrypt(const device_address& from, byte_view wire) {
  auto e = envelope::from_bytes(wire);
  if (!e) return e.error();
  const auto prefix = e->prefix();
  auto existing = load(from);
  if (!existing) return existing.error();
  std::optional<session_record> rec = std::move(*existing);
  bool consume_otk = false;

  if (e->prekey) {
    const auto& p = *e->prekey;
    if (auto v = identities_.check_trusted(from, p.initiator); !v) return v.error();
    const bool same_handshake = rec && rec->base_key && *rec->base_key == p.ephemeral;
    if (!same_handshake) {
      auto spk = prekeys_.load_signed_prekey(p.signed_prekey_id);
      if (!spk) return spk.error();
      std::optional<one_time_prekey> otk;
      if (p.one_time_prekey_id) {
        auto k = prekeys_.load_one_time_prekey(*p.one_time_prekey_id);
        if (!k) return k.error();
        otk.emplace(std::move(*k));
        consume_otk = true;
      }
      auto resp = x3dh::respond(identities_.own_identity(), *spk, otk ? &*otk : nullptr, p.initiator, p.ephemeral,
                                cfg_.x3dh_info);
      if (!resp) return resp.error();
      auto session = ratchet::session::respond(resp->key, resp->ad, spk->keypair().clone(), cfg_.labels);
      if (!session) return session.error();
      rec.emplace(session_record{std::move(*session), std::nullopt, p.ephemeral});
    }
  } else if (!rec) {
    return errc::no_session;
  }

  auto plaintext = rec->session.decrypt(e->msg, rng_, prefix);
  if (!plaintext) return plaintext.error();
  // The peer has answered: stop sending prekey envelopes.
  if (!e->prekey) rec->pending.reset();

  if (consume_otk) {
    if (auto r = prekeys_.remove_one_time_prekey(*e->prekey->one_time_prekey_id); !r) return r.error();
  }
  if (e->prekey) {
    if (auto r = identities_.save_identity(from, e->prekey->initiator); !r) return r.error();
  }
  auto record_bytes = rec->to_bytes();
  auto r = sessions_.store_session(from, record_bytes);
  wipe(record_bytes);
  if (!r) return r.error();
  return plaintext;
}

}  // namespace confidant::crypto::sesame
