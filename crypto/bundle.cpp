#include "crypto/bundle.hpp"

#include "crypto/x25519.hpp"

namespace confidant::crypto {
namespace {

constexpr byte bundle_version = 1;
constexpr std::size_t base_size = 1 + identity_public::encoded_size + 4 + 8 + 32 + 64 + 1;

}  // namespace

result<void> prekey_bundle::verify() const {
  if (auto r = identity.verify(); !r) return r;
  if (auto r = signed_prekey.verify(identity.signing); !r) return r;
  if (one_time_prekey) {
    if (auto r = x25519::validate(one_time_prekey->key); !r) return r;
  }
  return {};
}

bytes prekey_bundle::to_bytes() const {
  byte_writer w;
  w.u8(bundle_version).raw(identity.to_bytes());
  w.u32(signed_prekey.id).u64(signed_prekey.created_at).raw(signed_prekey.key.view());
  w.raw(signed_prekey.signature.view());
  w.u8(one_time_prekey ? 1 : 0);
  if (one_time_prekey) w.u32(one_time_prekey->id).raw(one_time_prekey->key.view());
  return w.take();
}

result<prekey_bundle> prekey_bundle::from_bytes(byte_view b) {
  if (b.empty()) return errc::invalid_length;
  if (b[0] != bundle_version) return errc::unsupported_version;
  if (b.size() != base_size && b.size() != base_size + 36) return errc::invalid_length;
  byte_reader r(b.subspan(1));
  prekey_bundle out;
  out.identity.signing.bytes = *r.array<32>();
  out.identity.dh.bytes = *r.array<32>();
  out.identity.dh_signature.bytes = *r.array<64>();
  out.signed_prekey.id = *r.u32();
  out.signed_prekey.created_at = *r.u64();
  out.signed_prekey.key.bytes = *r.array<32>();
  out.signed_prekey.signature.bytes = *r.array<64>();
  const auto has_otk = *r.u8();
  if (has_otk > 1) return errc::malformed;
  if ((has_otk == 1) != (b.size() == base_size + 36)) return errc::invalid_length;
  if (has_otk == 1) {
    one_time_prekey_public otk;
    otk.id = *r.u32();
    otk.key.bytes = *r.array<32>();
    out.one_time_prekey = otk;
  }
  return out;
}

}  // namespace confidant::crypto
