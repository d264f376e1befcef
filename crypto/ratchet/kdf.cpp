#include "crypto/ratchet/kdf.hpp"

#include "crypto/hash.hpp"
#include "crypto/hkdf.hpp"

#include <sodium.h>

#include <array>

namespace confidant::crypto::ratchet {

root_step kdf_rk(const root_key& rk, const x25519::shared_secret& dh, std::string_view info) {
  std::array<byte, 64> out{};
  // 64 bytes is always a valid HKDF length, so this cannot fail.
  (void)hkdf::derive(rk.view(), dh.view(), as_bytes(info), out);
  root_step step{root_key(std::span<const byte, 32>(out.data(), 32)),
                 chain_key(std::span<const byte, 32>(out.data() + 32, 32))};
  sodium_memzero(out.data(), out.size());
  return step;
}

chain_step kdf_ck(const chain_key& ck) {
  static constexpr byte seed_byte[1] = {0x01};
  static constexpr byte chain_byte[1] = {0x02};
  const hmac_sha256_keyed mac(ck.view());
  auto seed = mac.tag({byte_view(seed_byte)});
  auto next = mac.tag({byte_view(chain_byte)});
  chain_step step{chain_key(next.view()), message_seed(seed.view())};
  sodium_memzero(seed.data(), seed.size);
  sodium_memzero(next.data(), next.size);
  return step;
}

result<void> message_key_material(const message_seed& seed, std::string_view info, std::span<byte> out) {
  return hkdf::derive({}, seed.view(), as_bytes(info), out);
}

message_keys derive_message_keys(const message_seed& seed, std::string_view info) {
  std::array<byte, 32 + aead::nonce_size> out{};
  (void)message_key_material(seed, info, out);
  message_keys keys{aead::key(std::span<const byte, 32>(out.data(), 32)), {}};
  std::copy(out.begin() + 32, out.end(), keys.nonce.begin());
  sodium_memzero(out.data(), out.size());
  return keys;
}

}  // namespace confidant::crypto::ratchet
