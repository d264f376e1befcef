#include "crypto/hash.hpp"

#include <sodium.h>

namespace confidant::crypto {

sha256_digest sha256(std::initializer_list<byte_view> parts) {
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  for (auto p : parts) crypto_hash_sha256_update(&st, p.data(), p.size());
  sha256_digest out{};
  crypto_hash_sha256_final(&st, out.data());
  return out;
}

sha512_digest sha512(std::initializer_list<byte_view> parts) {
  crypto_hash_sha512_state st;
  crypto_hash_sha512_init(&st);
  for (auto p : parts) crypto_hash_sha512_update(&st, p.data(), p.size());
  sha512_digest out{};
  crypto_hash_sha512_final(&st, out.data());
  return out;
}

hmac_sha256_keyed::hmac_sha256_keyed(byte_view key) {
  static constexpr byte empty_key = 0;
  crypto_auth_hmacsha256_init(&keyed_, key.empty() ? &empty_key : key.data(), key.size());
}

hmac_sha256_keyed::~hmac_sha256_keyed() { sodium_memzero(&keyed_, sizeof keyed_); }

hmac_sha256_tag hmac_sha256_keyed::tag(std::initializer_list<byte_view> parts) const {
  crypto_auth_hmacsha256_state st = keyed_;
  for (auto p : parts) crypto_auth_hmacsha256_update(&st, p.data(), p.size());
  hmac_sha256_tag out;
  crypto_auth_hmacsha256_final(&st, out.data());
  sodium_memzero(&st, sizeof st);
  return out;
}

hmac_sha256_tag hmac_sha256(byte_view key, std::initializer_list<byte_view> parts) {
  return hmac_sha256_keyed(key).tag(parts);
}

}  // namespace confidant::crypto
