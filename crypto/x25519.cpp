#include "crypto/x25519.hpp"

#include "crypto/sodium.hpp"

#include <sodium.h>

namespace confidant::crypto::x25519 {

x25519_public_key public_of(x25519_secret_ref sk) {
  x25519_public_key pk;
  crypto_scalarmult_base(pk.data(), sk.data());
  return pk;
}

x25519_keypair generate(random_source& rng) {
  ensure_sodium();
  x25519_secret_key sk;
  rng.fill(sk.writable());
  auto pk = public_of(sk);
  return {pk, std::move(sk)};
}

x25519_keypair from_secret(x25519_secret_key sk) {
  ensure_sodium();
  auto pk = public_of(sk);
  return {pk, std::move(sk)};
}

result<void> validate(const x25519_public_key& pk) {
  ensure_sodium();
  // Multiply by a clamped scalar (a multiple of the cofactor 8): a point of order dividing 8 maps
  // to the identity, whose encoding libsodium refuses (it also refuses its own blocklist first).
  static constexpr std::array<byte, 32> probe = {
      0x08, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xf0,
      0x01, 0x12, 0x23, 0x34, 0x45, 0x56, 0x67, 0x78, 0x89, 0x9a, 0xab, 0xbc, 0xcd, 0xde, 0xef, 0x40};
  std::array<byte, 32> out{};
  const int rc = crypto_scalarmult(out.data(), probe.data(), pk.data());
  sodium_memzero(out.data(), out.size());
  if (rc != 0) return errc::invalid_public_key;
  return {};
}

result<x25519_public_key> parse_public(byte_view b) {
  auto pk = x25519_public_key::from(b);
  if (!pk) return errc::invalid_public_key;
  if (auto v = validate(*pk); !v) return v.error();
  return *pk;
}

result<shared_secret> dh(x25519_secret_ref sk, const x25519_public_key& pk) {
  ensure_sodium();
  shared_secret out;
  if (crypto_scalarmult(out.data(), sk.data(), pk.data()) != 0) return errc::dh_failed;
  return out;
}

}  // namespace confidant::crypto::x25519
