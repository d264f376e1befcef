#include "crypto/session_record.hpp"

namespace confidant::crypto::sesame {
namespace {

constexpr byte record_version = 1;
constexpr byte has_pending = 1;
constexpr byte has_base_key = 2;

}  // namespace

bytes session_record::to_bytes() const {
  byte_writer w;
  w.u8(record_version).u8(static_cast<byte>((pending ? has_pending : 0) | (base_key ? has_base_key : 0)));
  if (pending) {
    w.raw(pending->ephemeral.view()).u32(pending->signed_prekey_id);
    w.u8(pending->one_time_prekey_id ? 1 : 0).u32(pending->one_time_prekey_id.value_or(0));
  }
  if (base_key) w.raw(base_key->view());
  auto s = session.to_bytes();
  w.blob(s);
  wipe(s);
  return w.take();
}

result<session_record> session_record::from_bytes(byte_view b, const identity_public& own, ratchet::labels l) {
  byte_reader r(b);
  auto v = r.u8();
  auto flags = r.u8();
  if (!v || !flags) return errc::malformed;
  if (*v != record_version) return errc::unsupported_version;
  if ((*flags & ~(has_pending | has_base_key)) != 0) return errc::malformed;
  std::optional<prekey_fields> pending;
  if (*flags & has_pending) {
    auto eph = r.array<32>();
    auto spk = r.u32();
    auto has_otk = r.u8();
    auto otk = r.u32();
    if (!eph || !spk || !has_otk || !otk || *has_otk > 1 || (*has_otk == 0 && *otk != 0)) return errc::malformed;
    pending = prekey_fields{own, {}, *spk, std::nullopt};
    pending->ephemeral.bytes = *eph;
    if (*has_otk == 1) pending->one_time_prekey_id = *otk;
  }
  std::optional<x25519_public_key> base_key;
  if (*flags & has_base_key) {
    auto k = r.array<32>();
    if (!k) return k.error();
    base_key = x25519_public_key{*k};
  }
  auto s = r.blob(1u << 20);
  if (!s) return s.error();
  if (auto f = r.finish(); !f) return f.error();
  auto sess = ratchet::session::from_bytes(*s, l);
  if (!sess) return sess.error();
  return session_record{std::move(*sess), pending, base_key};
}

}  // namespace confidant::crypto::sesame
