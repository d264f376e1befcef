#include "crypto/envelope.hpp"

namespace confidant::crypto::sesame {
namespace {

constexpr byte type_prekey = 1;
constexpr byte type_message = 2;
constexpr std::size_t prekey_size = identity_public::encoded_size + 32 + 4 + 1 + 4;

}  // namespace

bytes prefix_for(const std::optional<prekey_fields>& prekey) {
  byte_writer w;
  w.u8(envelope_version).u8(prekey ? type_prekey : type_message);
  if (prekey) {
    w.raw(prekey->initiator.to_bytes()).raw(prekey->ephemeral.view()).u32(prekey->signed_prekey_id);
    w.u8(prekey->one_time_prekey_id ? 1 : 0).u32(prekey->one_time_prekey_id.value_or(0));
  }
  return w.take();
}

bytes envelope::prefix() const { return prefix_for(prekey); }

bytes envelope::to_bytes() const {
  auto out = prefix();
  const auto m = msg.to_bytes();
  out.insert(out.end(), m.begin(), m.end());
  return out;
}

result<envelope> envelope::from_bytes(byte_view b) {
  if (b.size() < 2) return errc::invalid_length;
  if (b[0] != envelope_version) return errc::unsupported_version;
  envelope e;
  std::size_t offset = 2;
  if (b[1] == type_prekey) {
    if (b.size() < 2 + prekey_size) return errc::invalid_length;
    byte_reader r(b.subspan(2, prekey_size));
    auto id = identity_public::from_bytes(*r.raw(identity_public::encoded_size));
    if (!id) return id.error();
    prekey_fields p{*id, {}, 0, std::nullopt};
    p.ephemeral.bytes = *r.array<32>();
    p.signed_prekey_id = *r.u32();
    const auto has_otk = *r.u8();
    const auto otk = *r.u32();
    if (has_otk > 1 || (has_otk == 0 && otk != 0)) return errc::malformed;
    if (has_otk == 1) p.one_time_prekey_id = otk;
    e.prekey = p;
    offset += prekey_size;
  } else if (b[1] != type_message) {
    return errc::malformed;
  }
  auto m = ratchet::message::from_bytes(b.subspan(offset));
  if (!m) return m.error();
  e.msg = std::move(*m);
  return e;
}

}  // namespace confidant::crypto::sesame
