// Serialization of ratchet::session (format in docs/crypto.md, "Session state").
#include "crypto/ratchet/session.hpp"

namespace confidant::crypto::ratchet {

struct session_codec {
  static constexpr byte version = 1;
  static constexpr byte has_dhr = 1;
  static constexpr byte has_cks = 2;
  static constexpr byte has_ckr = 4;

  static bytes write(const session& s) {
    byte_writer w;
    byte flags = 0;
    if (s.dhr_) flags |= has_dhr;
    if (s.cks_) flags |= has_cks;
    if (s.ckr_) flags |= has_ckr;
    w.u8(version).u8(flags).raw(s.rk_.view()).raw(s.dhs_.secret_key.view());
    if (s.dhr_) w.raw(s.dhr_->view());
    if (s.cks_) w.raw(s.cks_->view());
    if (s.ckr_) w.raw(s.ckr_->view());
    w.u32(s.ns_).u32(s.nr_).u32(s.pn_);
    w.u16(static_cast<std::uint16_t>(s.ad_.size())).raw(s.ad_);
    w.u8(static_cast<std::uint8_t>(s.previous_dhr_.size()));
    for (const auto& k : s.previous_dhr_) w.raw(k.view());
    w.u16(static_cast<std::uint16_t>(s.skipped_order_.size()));
    for (const auto& id : s.skipped_order_) {
      w.raw(id.first.view()).u32(id.second).raw(s.skipped_.at(id).view());
    }
    return w.take();
  }

  template <class Key>
  static result<Key> read_key(byte_reader& r) {
    auto b = r.raw(32);
    if (!b) return b.error();
    return Key(b->first<32>());
  }

  static result<x25519_public_key> read_public(byte_reader& r) {
    auto a = r.array<32>();
    if (!a) return a.error();
    x25519_public_key k;
    k.bytes = *a;
    return k;
  }

  static result<session> read(byte_view b, labels l) {
    byte_reader r(b);
    auto v = r.u8();
    if (!v) return v.error();
    if (*v != version) return errc::unsupported_version;
    auto flags = r.u8();
    if (!flags) return flags.error();
    if ((*flags & ~(has_dhr | has_cks | has_ckr)) != 0) return errc::malformed;
    session s;
    s.labels_ = l;
    auto rk = read_key<root_key>(r);
    auto dhs = read_key<x25519_secret_key>(r);
    if (!rk || !dhs) return errc::malformed;
    s.rk_ = std::move(*rk);
    s.dhs_ = x25519::from_secret(std::move(*dhs));
    if (*flags & has_dhr) {
      auto k = read_public(r);
      if (!k) return k.error();
      s.dhr_ = *k;
    }
    if (*flags & has_cks) {
      auto k = read_key<chain_key>(r);
      if (!k) return k.error();
      s.cks_ = std::move(*k);
    }
    if (*flags & has_ckr) {
      auto k = read_key<chain_key>(r);
      if (!k) return k.error();
      s.ckr_ = std::move(*k);
    }
    auto ns = r.u32();
    auto nr = r.u32();
    auto pn = r.u32();
    auto ad_len = r.u16();
    if (!ns || !nr || !pn || !ad_len || *ad_len > max_ad_size) return errc::malformed;
    auto ad = r.raw(*ad_len);
    if (!ad) return ad.error();
    s.ns_ = *ns;
    s.nr_ = *nr;
    s.pn_ = *pn;
    s.ad_.assign(ad->begin(), ad->end());
    auto prev = r.u8();
    if (!prev || *prev > max_previous_chains) return errc::malformed;
    for (std::uint8_t i = 0; i < *prev; ++i) {
      auto k = read_public(r);
      if (!k) return k.error();
      s.previous_dhr_.push_back(*k);
    }
    auto count = r.u16();
    if (!count || *count > max_skipped_total) return errc::malformed;
    for (std::uint16_t i = 0; i < *count; ++i) {
      auto k = read_public(r);
      auto n = r.u32();
      if (!k || !n) return errc::malformed;
      auto seed = read_key<message_seed>(r);
      if (!seed) return seed.error();
      const session::skipped_id id{*k, *n};
      if (!s.skipped_.emplace(id, std::move(*seed)).second) return errc::malformed;
      s.skipped_order_.push_back(id);
    }
    if (auto f = r.finish(); !f) return f.error();
    return s;
  }
};

bytes session::to_bytes() const { return session_codec::write(*this); }

result<session> session::from_bytes(byte_view b, labels l) { return session_codec::read(b, l); }

}  // namespace confidant::crypto::ratchet
