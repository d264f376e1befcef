#include "crypto/x3dh.hpp"

#include "crypto/hkdf.hpp"

#include <sodium.h>

#include <vector>

namespace confidant::crypto::x3dh {
namespace {

// Collects DH outputs, stopping at the first failure.
class dh_list {
 public:
  result<void> add(x25519_secret_ref sk, const x25519_public_key& pk) {
    auto s = x25519::dh(sk, pk);
    if (!s) return s.error();
    items_.push_back(std::move(*s));
    return {};
  }
  [[nodiscard]] std::span<const x25519::shared_secret> view() const noexcept { return items_; }

 private:
  std::vector<x25519::shared_secret> items_;
};

}  // namespace

result<void> kdf(std::span<const x25519::shared_secret> dhs, std::string_view info, std::span<byte> out) {
  if (dhs.size() < 3 || dhs.size() > 4) return errc::invalid_argument;
  std::array<byte, 32 * 5> ikm{};
  std::fill_n(ikm.begin(), 32, byte{0xff});  // F: 32 0xFF bytes for X25519
  std::size_t n = 32;
  for (const auto& s : dhs) {
    std::copy(s.view().begin(), s.view().end(), ikm.begin() + static_cast<std::ptrdiff_t>(n));
    n += 32;
  }
  auto r = hkdf::derive({}, byte_view(ikm.data(), n), as_bytes(info), out);
  sodium_memzero(ikm.data(), ikm.size());
  return r;
}

result<void> initiator_secret(x25519_secret_ref identity, x25519_secret_ref ephemeral,
                              const x25519_public_key& their_identity, const x25519_public_key& their_signed_prekey,
                              const x25519_public_key* their_one_time_prekey, std::string_view info,
                              std::span<byte> out) {
  dh_list dhs;
  if (auto r = dhs.add(identity, their_signed_prekey); !r) return r;
  if (auto r = dhs.add(ephemeral, their_identity); !r) return r;
  if (auto r = dhs.add(ephemeral, their_signed_prekey); !r) return r;
  if (their_one_time_prekey != nullptr) {
    if (auto r = dhs.add(ephemeral, *their_one_time_prekey); !r) return r;
  }
  return kdf(dhs.view(), info, out);
}

result<void> responder_secret(x25519_secret_ref identity, x25519_secret_ref signed_prekey,
                              const x25519_secret_ref* one_time_prekey, const x25519_public_key& their_identity,
                              const x25519_public_key& their_ephemeral, std::string_view info, std::span<byte> out) {
  dh_list dhs;
  if (auto r = dhs.add(signed_prekey, their_identity); !r) return r;
  if (auto r = dhs.add(identity, their_ephemeral); !r) return r;
  if (auto r = dhs.add(signed_prekey, their_ephemeral); !r) return r;
  if (one_time_prekey != nullptr) {
    if (auto r = dhs.add(*one_time_prekey, their_ephemeral); !r) return r;
  }
  return kdf(dhs.view(), info, out);
}

std::array<byte, ad_size> associated_data(const identity_public& initiator, const identity_public& responder) {
  std::array<byte, ad_size> ad{};
  const auto a = initiator.key_bytes();
  const auto b = responder.key_bytes();
  std::copy(a.begin(), a.end(), ad.begin());
  std::copy(b.begin(), b.end(), ad.begin() + 64);
  return ad;
}

result<initiation> initiate(const identity_keypair& self, const prekey_bundle& bundle, random_source& rng,
                            std::string_view info) {
  if (auto v = bundle.verify(); !v) return v.error();
  auto ephemeral = x25519::generate(rng);
  initiation out;
  const x25519_public_key* otk = bundle.one_time_prekey ? &bundle.one_time_prekey->key : nullptr;
  if (auto r = initiator_secret(self.dh_secret(), ephemeral.secret_key, bundle.identity.dh, bundle.signed_prekey.key,
                                otk, info, out.key.writable());
      !r) {
    return r.error();
  }
  out.ad = associated_data(self.public_keys(), bundle.identity);
  out.ephemeral = ephemeral.public_key;
  out.their_signed_prekey = bundle.signed_prekey.key;
  out.signed_prekey_id = bundle.signed_prekey.id;
  if (bundle.one_time_prekey) out.one_time_prekey_id = bundle.one_time_prekey->id;
  return out;
}

result<response> respond(const identity_keypair& self, const signed_prekey& spk, const one_time_prekey* otk,
                         const identity_public& initiator, const x25519_public_key& ephemeral, std::string_view info) {
  if (auto v = initiator.verify(); !v) return v.error();
  if (auto v = x25519::validate(ephemeral); !v) return v.error();
  response out;
  const x25519_secret_ref otk_ref = otk != nullptr ? x25519_secret_ref(otk->keypair().secret_key)
                                                   : x25519_secret_ref(spk.keypair().secret_key);
  if (auto r = responder_secret(self.dh_secret(), spk.keypair().secret_key, otk != nullptr ? &otk_ref : nullptr,
                                initiator.dh, ephemeral, info, out.key.writable());
      !r) {
    return r.error();
  }
  out.ad = associated_data(initiator, self.public_keys());
  return out;
}

}  // namespace confidant::crypto::x3dh
