#include "crypto/ratchet/session.hpp"

#include <algorithm>
#include <limits>

namespace confidant::crypto::ratchet {

result<session> session::initiate(const x3dh::shared_key& sk, byte_view ad, const x25519_public_key& their_ratchet_key,
                                  random_source& rng, labels l) {
  if (ad.size() > max_ad_size) return errc::invalid_argument;
  if (auto v = x25519::validate(their_ratchet_key); !v) return v.error();
  session s;
  s.labels_ = l;
  s.ad_.assign(ad.begin(), ad.end());
  s.dhs_ = x25519::generate(rng);
  s.dhr_ = their_ratchet_key;
  auto dh = x25519::dh(s.dhs_.secret_key, their_ratchet_key);
  if (!dh) return dh.error();
  auto step = kdf_rk(root_key(sk.view()), *dh, l.root);
  s.rk_ = std::move(step.root);
  s.cks_ = std::move(step.chain);
  return s;
}

result<session> session::respond(const x3dh::shared_key& sk, byte_view ad, x25519_keypair our_ratchet_key,
                                 labels l) {
  if (ad.size() > max_ad_size) return errc::invalid_argument;
  session s;
  s.labels_ = l;
  s.ad_.assign(ad.begin(), ad.end());
  s.dhs_ = std::move(our_ratchet_key);
  s.rk_ = root_key(sk.view());
  return s;
}

session session::clone() const {
  session s;
  s.labels_ = labels_;
  s.rk_ = rk_.clone();
  s.dhs_ = dhs_.clone();
  s.dhr_ = dhr_;
  if (cks_) s.cks_ = cks_->clone();
  if (ckr_) s.ckr_ = ckr_->clone();
  s.ns_ = ns_;
  s.nr_ = nr_;
  s.pn_ = pn_;
  s.ad_ = ad_;
  for (const auto& [id, seed] : skipped_) s.skipped_.emplace(id, seed.clone());
  s.skipped_order_ = skipped_order_;
  s.previous_dhr_ = previous_dhr_;
  return s;
}

bytes session::aead_ad(const header& h, byte_view associated) const {
  const auto hb = h.to_bytes();
  bytes out;
  out.reserve(ad_.size() + hb.size() + associated.size());
  out.insert(out.end(), ad_.begin(), ad_.end());
  out.insert(out.end(), hb.begin(), hb.end());
  out.insert(out.end(), associated.begin(), associated.end());
  return out;
}

result<message> session::encrypt(byte_view plaintext, byte_view associated) {
  if (!cks_) return errc::no_session;
  if (ns_ == std::numeric_limits<std::uint32_t>::max()) return errc::invalid_argument;
  auto step = kdf_ck(*cks_);
  message m;
  m.hdr = header{dhs_.public_key, pn_, ns_};
  const auto keys = derive_message_keys(step.seed, labels_.message);
  m.ciphertext = aead::seal(keys.key, keys.nonce, plaintext, aead_ad(m.hdr, associated));
  cks_ = std::move(step.next);
  ++ns_;
  return m;
}

result<bytes> session::open(const message_seed& seed, const message& m, byte_view associated) const {
  const auto keys = derive_message_keys(seed, labels_.message);
  return aead::open(keys.key, keys.nonce, m.ciphertext, aead_ad(m.hdr, associated));
}

void session::forget_skipped(const skipped_id& id) {
  skipped_.erase(id);
  if (auto it = std::find(skipped_order_.begin(), skipped_order_.end(), id); it != skipped_order_.end()) {
    skipped_order_.erase(it);
  }
}

void session::skip_to(std::uint32_t until) {
  if (!ckr_ || !dhr_) return;
  while (nr_ < until) {
    auto step = kdf_ck(*ckr_);
    const skipped_id id{*dhr_, nr_};
    skipped_.insert_or_assign(id, std::move(step.seed));
    skipped_order_.push_back(id);
    ckr_ = std::move(step.next);
    ++nr_;
  }
  while (skipped_.size() > max_skipped_total) {
    skipped_.erase(skipped_order_.front());
    skipped_order_.pop_front();
  }
}

result<void> session::dh_ratchet(const x25519_public_key& their, random_source& rng) {
  pn_ = ns_;
  ns_ = 0;
  nr_ = 0;
  if (dhr_) {
    previous_dhr_.push_back(*dhr_);
    if (previous_dhr_.size() > max_previous_chains) previous_dhr_.pop_front();
  }
  dhr_ = their;
  auto dh_recv = x25519::dh(dhs_.secret_key, their);
  if (!dh_recv) return errc::invalid_public_key;
  auto recv = kdf_rk(rk_, *dh_recv, labels_.root);
  rk_ = std::move(recv.root);
  ckr_ = std::move(recv.chain);
  dhs_ = x25519::generate(rng);
  auto dh_send = x25519::dh(dhs_.secret_key, their);
  if (!dh_send) return dh_send.error();
  auto send = kdf_rk(rk_, *dh_send, labels_.root);
  rk_ = std::move(send.root);
  cks_ = std::move(send.chain);
  return {};
}

result<bytes> session::decrypt(const message& m, random_source& rng, byte_view associated) {
  const header& h = m.hdr;
  // 1. A key skipped earlier: use it once, then forget it.
  if (auto it = skipped_.find(skipped_id{h.dh, h.n}); it != skipped_.end()) {
    auto pt = open(it->second, m, associated);
    if (!pt) return pt.error();
    const skipped_id id = it->first;
    forget_skipped(id);
    return pt;
  }
  if (h.n == std::numeric_limits<std::uint32_t>::max()) return errc::too_many_skipped;
  // 2a. The next message of the current receiving chain (the common case): one chain step, the
  // state changed only once the message opened, no copy of the session.
  if (dhr_ && h.dh == *dhr_ && ckr_ && h.n == nr_) return open_next(m, associated);
  session next;
  if (dhr_ && h.dh == *dhr_ && ckr_) {
    // 2. The current receiving chain.
    if (h.n < nr_) return errc::duplicate_message;
    if (h.n - nr_ > max_skip) return errc::too_many_skipped;
    next = clone();
  } else {
    // 3. A chain already closed: its remaining keys were all stored as skipped keys.
    if (std::find(previous_dhr_.begin(), previous_dhr_.end(), h.dh) != previous_dhr_.end()) {
      return errc::duplicate_message;
    }
    // 4. A new ratchet key from the peer. No separate point check: X25519 itself refuses small-order
    // keys (libsodium's blocklist and all-zero output check), reported as invalid_public_key.
    if (ckr_ && h.pn > nr_ && h.pn - nr_ > max_skip) return errc::too_many_skipped;
    if (h.n > max_skip) return errc::too_many_skipped;
    next = clone();
    next.skip_to(h.pn);
    if (auto r = next.dh_ratchet(h.dh, rng); !r) return r.error();
  }
  next.skip_to(h.n);
  auto pt = next.open_next(m, associated);
  if (!pt) return pt.error();
  *this = std::move(next);
  return pt;
}

result<bytes> session::open_next(const message& m, byte_view associated) {
  auto step = kdf_ck(*ckr_);
  auto pt = open(step.seed, m, associated);
  if (!pt) return pt.error();
  ckr_ = std::move(step.next);
  ++nr_;
  return pt;
}

}  // namespace confidant::crypto::ratchet
