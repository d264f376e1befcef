#include "crypto/flag.hpp"

#include "crypto/x25519.hpp"

#include <sodium.h>

namespace confidant::crypto::flag {
namespace {

constexpr byte version = 1;
constexpr std::string_view cert_label = "Confidant_SPOC_Key_v1";
constexpr std::string_view flag_label = "Confidant_Flag_v1";

bytes cert_body(const spoc_key_certificate& c) {
  byte_writer w;
  w.u8(version).raw(c.spoc_identity.view()).u32(c.key_id).raw(c.box_key.view()).u64(c.not_before).u64(c.not_after);
  return w.take();
}

// crypto_box_seal's construction on injected randomness: ephemeral key pair, nonce =
// BLAKE2b-192(epk ‖ pk), output epk ‖ crypto_box(m). crypto_box_seal_open opens it.
result<bytes> seal_box(const x25519_public_key& pk, byte_view m, random_source& rng) {
  auto eph = x25519::generate(rng);
  std::array<byte, crypto_box_NONCEBYTES> nonce{};
  crypto_generichash_state st;
  crypto_generichash_init(&st, nullptr, 0, nonce.size());
  crypto_generichash_update(&st, eph.public_key.data(), 32);
  crypto_generichash_update(&st, pk.data(), 32);
  crypto_generichash_final(&st, nonce.data(), nonce.size());
  bytes out(32 + crypto_box_MACBYTES + m.size());
  std::copy(eph.public_key.bytes.begin(), eph.public_key.bytes.end(), out.begin());
  if (crypto_box_easy(out.data() + 32, m.data(), m.size(), nonce.data(), pk.data(), eph.secret_key.data()) != 0) {
    return errc::dh_failed;
  }
  return out;
}

}  // namespace

result<void> spoc_key_certificate::verify(const ed25519_public_key& expected_spoc, std::uint64_t now) const {
  if (!(spoc_identity == expected_spoc)) return errc::binding_mismatch;
  if (auto v = x25519::validate(box_key); !v) return v;
  if (auto v = ed25519::verify(spoc_identity, signature, {as_bytes(cert_label), cert_body(*this)}); !v) return v;
  if (now < not_before || now > not_after) return errc::expired_key;
  return {};
}

bytes spoc_key_certificate::to_bytes() const {
  auto b = cert_body(*this);
  b.insert(b.end(), signature.bytes.begin(), signature.bytes.end());
  return b;
}

result<spoc_key_certificate> spoc_key_certificate::from_bytes(byte_view b) {
  if (b.size() != 1 + 32 + 4 + 32 + 8 + 8 + 64) return errc::invalid_length;
  if (b[0] != version) return errc::unsupported_version;
  byte_reader r(b.subspan(1));
  spoc_key_certificate c;
  c.spoc_identity.bytes = *r.array<32>();
  c.key_id = *r.u32();
  c.box_key.bytes = *r.array<32>();
  c.not_before = *r.u64();
  c.not_after = *r.u64();
  c.signature.bytes = *r.array<64>();
  return c;
}

spoc_device_key spoc_device_key::generate(const identity_keypair& spoc, std::uint32_t key_id,
                                          std::uint64_t not_before, std::uint64_t not_after, random_source& rng) {
  auto kp = x25519::generate(rng);
  spoc_key_certificate c;
  c.spoc_identity = spoc.public_keys().signing;
  c.key_id = key_id;
  c.box_key = kp.public_key;
  c.not_before = not_before;
  c.not_after = not_after;
  c.signature = spoc.sign({as_bytes(cert_label), cert_body(c)});
  return spoc_device_key(c, std::move(kp));
}

result<spoc_device_key> spoc_device_key::from_parts(const spoc_key_certificate& cert, x25519_secret_key secret) {
  auto kp = x25519::from_secret(std::move(secret));
  if (!(kp.public_key == cert.box_key)) return errc::binding_mismatch;
  return spoc_device_key(cert, std::move(kp));
}

bytes sealed_flag::to_bytes() const {
  byte_writer w;
  w.u32(key_id).raw(box);
  return w.take();
}

result<sealed_flag> sealed_flag::from_bytes(byte_view b) {
  if (b.size() < 4 + crypto_box_SEALBYTES) return errc::invalid_length;
  byte_reader r(b);
  return sealed_flag{*r.u32(), bytes(b.begin() + 4, b.end())};
}

result<std::vector<sealed_flag>> seal(const identity_keypair& flagger, const ed25519_public_key& spoc_identity,
                                      std::span<const spoc_key_certificate> devices, std::uint64_t now,
                                      byte_view body, random_source& rng) {
  if (devices.empty() || body.size() > max_body) return errc::invalid_argument;
  for (const auto& d : devices) {
    if (auto v = d.verify(spoc_identity, now); !v) return v.error();
  }
  std::vector<sealed_flag> out;
  for (const auto& d : devices) {
    byte_writer w;
    w.u8(version).raw(d.spoc_identity.view()).u32(d.key_id).raw(d.box_key.view());
    w.raw(flagger.public_keys().to_bytes()).blob(body);
    auto inner = w.take();
    const auto sig = flagger.sign({as_bytes(flag_label), inner});
    inner.insert(inner.end(), sig.bytes.begin(), sig.bytes.end());
    auto box = seal_box(d.box_key, inner, rng);
    wipe(inner);
    if (!box) return box.error();
    out.push_back({d.key_id, std::move(*box)});
  }
  return out;
}

result<opened_flag> open(std::span<const spoc_device_key* const> keys, const sealed_flag& f) {
  const spoc_device_key* key = nullptr;
  for (const auto* k : keys) {
    if (k != nullptr && k->certificate().key_id == f.key_id) key = k;
  }
  if (key == nullptr) return errc::unknown_prekey;
  if (f.box.size() < crypto_box_SEALBYTES) return errc::decrypt_failed;
  bytes inner(f.box.size() - crypto_box_SEALBYTES);
  if (crypto_box_seal_open(inner.data(), f.box.data(), f.box.size(), key->keypair().public_key.data(),
                           key->keypair().secret_key.data()) != 0) {
    return errc::decrypt_failed;
  }
  struct wiper {
    bytes& b;
    ~wiper() { wipe(b); }
  } guard{inner};
  if (inner.size() < 1 + 32 + 4 + 32 + identity_public::encoded_size + 4 + 64) return errc::malformed;
  const byte_view signed_part = byte_view(inner).first(inner.size() - 64);
  byte_reader r(signed_part);
  if (*r.u8() != version) return errc::unsupported_version;
  const auto spoc = *r.array<32>();
  const auto key_id = *r.u32();
  const auto box_key = *r.array<32>();
  const auto& cert = key->certificate();
  if (spoc != cert.spoc_identity.bytes || key_id != cert.key_id || box_key != cert.box_key.bytes) {
    return errc::binding_mismatch;
  }
  auto flagger = identity_public::from_bytes(*r.raw(identity_public::encoded_size));
  if (!flagger) return flagger.error();
  auto body = r.blob(max_body);
  if (!body) return body.error();
  if (auto fin = r.finish(); !fin) return fin.error();
  auto sig = ed25519_signature::from(byte_view(inner).last(64));
  if (auto v = ed25519::verify(flagger->signing, *sig, {as_bytes(flag_label), signed_part}); !v) return v.error();
  return opened_flag{*flagger, bytes(body->begin(), body->end())};
}

}  // namespace confidant::crypto::flag
