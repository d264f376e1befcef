#include "server/service/server_key.hpp"

#include "crypto/bytes.hpp"
#include "crypto/random.hpp"
#include "server/store/settings.hpp"

#include <sodium.h>


namespace confidant::service {
namespace {
constexpr std::string_view setting = "server_signing_seed";
}

store::result<crypto::ed25519::keypair> load_or_create_server_key(store::store& db) {
  // Through the writer, so that two starts can never make two keys.
  std::string seed_hex;
  const auto ec = db.write().run([&seed_hex](store::database& d) -> store::result<void> {
    auto existing = store::get_setting(d, setting);
    if (!existing) return existing.error();
    if (*existing) {
      seed_hex = std::move(**existing);
      return {};
    }
    std::array<unsigned char, 32> seed{};
    randombytes_buf(seed.data(), seed.size());
    seed_hex = crypto::to_hex(seed);
    sodium_memzero(seed.data(), seed.size());
    return store::put_setting(d, setting, seed_hex);
  });
  if (ec) return ec;
  auto seed = crypto::from_hex(seed_hex);
  sodium_memzero(seed_hex.data(), seed_hex.size());
  if (!seed) return store::errc::corrupt;
  auto key = crypto::ed25519::from_seed(*seed);
  sodium_memzero(seed->data(), seed->size());
  if (!key) return store::errc::corrupt;
  return std::move(*key);
}

}  // namespace confidant::service
