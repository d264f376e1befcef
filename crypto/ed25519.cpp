#include "crypto/ed25519.hpp"

#include "crypto/sodium.hpp"

#include <sodium.h>

namespace confidant::crypto::ed25519 {
namespace {

bytes join(std::initializer_list<byte_view> parts) {
  std::size_t n = 0;
  for (auto p : parts) n += p.size();
  bytes out;
  out.reserve(n);
  for (auto p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

}  // namespace

keypair generate(random_source& rng) {
  auto seed = rng.array<crypto_sign_SEEDBYTES>();
  auto kp = from_seed(seed);
  sodium_memzero(seed.data(), seed.size());
  return std::move(*kp);
}

result<keypair> from_seed(byte_view seed) {
  ensure_sodium();
  if (seed.size() != crypto_sign_SEEDBYTES) return errc::invalid_length;
  keypair kp;
  crypto_sign_seed_keypair(kp.public_key.data(), kp.secret_key.data(), seed.data());
  return kp;
}

result<void> validate(const ed25519_public_key& pk) {
  ensure_sodium();
  if (crypto_core_ed25519_is_valid_point(pk.data()) != 1) return errc::invalid_public_key;
  return {};
}

result<ed25519_public_key> parse_public(byte_view b) {
  auto pk = ed25519_public_key::from(b);
  if (!pk) return errc::invalid_public_key;
  if (auto v = validate(*pk); !v) return v.error();
  return *pk;
}

ed25519_signature sign(const ed25519_secret_key& sk, std::initializer_list<byte_view> parts) {
  auto m = join(parts);
  ed25519_signature sig;
  crypto_sign_detached(sig.data(), nullptr, m.data(), m.size(), sk.data());
  wipe(m);
  return sig;
}

result<void> verify(const ed25519_public_key& pk, const ed25519_signature& sig,
                    std::initializer_list<byte_view> parts) {
  ensure_sodium();
  auto m = join(parts);
  const int rc = crypto_sign_verify_detached(sig.data(), m.data(), m.size(), pk.data());
  wipe(m);
  if (rc != 0) return errc::bad_signature;
  return {};
}

}  // namespace confidant::crypto::ed25519
