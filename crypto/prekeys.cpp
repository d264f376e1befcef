#include "crypto/prekeys.hpp"

#include "crypto/x25519.hpp"

namespace confidant::crypto {
namespace {

constexpr std::string_view spk_label = "Confidant_Signed_Prekey_v1";
constexpr byte record_version = 1;

std::array<byte, 12> spk_fields(std::uint32_t id, std::uint64_t created_at) {
  byte_writer w;
  w.u32(id).u64(created_at);
  std::array<byte, 12> out{};
  std::copy(w.view().begin(), w.view().end(), out.begin());
  return out;
}

}  // namespace

result<void> signed_prekey_public::verify(const ed25519_public_key& signer) const {
  if (auto r = x25519::validate(key); !r) return r;
  const auto fields = spk_fields(id, created_at);
  return ed25519::verify(signer, signature, {as_bytes(spk_label), fields, key.view()});
}

signed_prekey signed_prekey::generate(const identity_keypair& identity, std::uint32_t id, std::uint64_t created_at,
                                      random_source& rng) {
  auto kp = x25519::generate(rng);
  signed_prekey_public pub;
  pub.id = id;
  pub.created_at = created_at;
  pub.key = kp.public_key;
  const auto fields = spk_fields(id, created_at);
  pub.signature = identity.sign({as_bytes(spk_label), fields, pub.key.view()});
  return signed_prekey(pub, std::move(kp));
}

bool signed_prekey::due_for_rotation(std::uint64_t now, std::uint64_t max_age) const noexcept {
  return now >= public_.created_at && now - public_.created_at >= max_age;
}

bytes signed_prekey::to_bytes() const {
  byte_writer w;
  w.u8(record_version).u32(public_.id).u64(public_.created_at).raw(keypair_.secret_key.view());
  w.raw(public_.signature.view());
  return w.take();
}

result<signed_prekey> signed_prekey::from_bytes(byte_view b) {
  byte_reader r(b);
  auto version = r.u8();
  if (!version) return version.error();
  if (*version != record_version) return errc::unsupported_version;
  signed_prekey_public pub;
  auto id = r.u32();
  auto created = r.u64();
  auto sk = r.raw(32);
  auto sig = r.array<64>();
  if (!id || !created || !sk || !sig) return errc::malformed;
  if (auto f = r.finish(); !f) return f.error();
  auto kp = x25519::from_secret(x25519_secret_key(sk->first<32>()));
  pub.id = *id;
  pub.created_at = *created;
  pub.key = kp.public_key;
  pub.signature.bytes = *sig;
  return signed_prekey(pub, std::move(kp));
}

std::vector<one_time_prekey> one_time_prekey::generate_batch(std::uint32_t first_id, std::uint32_t count,
                                                             random_source& rng) {
  std::vector<one_time_prekey> out;
  out.reserve(count);
  for (std::uint32_t i = 0; i < count; ++i) out.push_back(one_time_prekey(first_id + i, x25519::generate(rng)));
  return out;
}

bytes one_time_prekey::to_bytes() const {
  byte_writer w;
  w.u8(record_version).u32(id_).raw(keypair_.secret_key.view());
  return w.take();
}

result<one_time_prekey> one_time_prekey::from_bytes(byte_view b) {
  if (b.size() != 1 + 4 + 32) return errc::invalid_length;
  if (b[0] != record_version) return errc::unsupported_version;
  byte_reader r(b.subspan(1));
  auto id = r.u32();
  auto sk = r.raw(32);
  if (!id || !sk) return errc::malformed;
  return one_time_prekey(*id, x25519::from_secret(x25519_secret_key(sk->first<32>())));
}

}  // namespace confidant::crypto
