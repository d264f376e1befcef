#include "crypto/identity.hpp"

#include "crypto/x25519.hpp"

#include <sodium.h>

namespace confidant::crypto {
namespace {

constexpr std::string_view dh_label = "Confidant_Identity_DH_v1";
constexpr byte secret_version = 1;

}  // namespace

result<void> identity_public::verify() const {
  if (auto r = ed25519::validate(signing); !r) return r;
  if (auto r = x25519::validate(dh); !r) return r;
  return ed25519::verify(signing, dh_signature, {as_bytes(dh_label), dh.view()});
}

std::array<byte, 64> identity_public::key_bytes() const {
  std::array<byte, 64> out{};
  std::copy(signing.bytes.begin(), signing.bytes.end(), out.begin());
  std::copy(dh.bytes.begin(), dh.bytes.end(), out.begin() + 32);
  return out;
}

bytes identity_public::to_bytes() const {
  byte_writer w;
  w.raw(signing.view()).raw(dh.view()).raw(dh_signature.view());
  return w.take();
}

result<identity_public> identity_public::from_bytes(byte_view b) {
  if (b.size() != encoded_size) return errc::invalid_length;
  identity_public id;
  byte_reader r(b);
  id.signing.bytes = *r.array<32>();
  id.dh.bytes = *r.array<32>();
  id.dh_signature.bytes = *r.array<64>();
  if (auto v = id.verify(); !v) return v.error();
  return id;
}

identity_keypair::identity_keypair(identity_public pub, ed25519_secret_key sk,
                                   locked_secret<x25519_secret_tag, 32> dh)
    : public_(pub), signing_secret_(std::move(sk)), dh_secret_(std::move(dh)) {}

identity_keypair identity_keypair::generate(random_source& rng) {
  auto signing = ed25519::generate(rng);
  locked_secret<x25519_secret_tag, 32> dh;
  rng.fill(dh.writable());
  identity_public pub;
  pub.signing = signing.public_key;
  pub.dh = x25519::public_of(dh);
  pub.dh_signature = ed25519::sign(signing.secret_key, {as_bytes(dh_label), pub.dh.view()});
  return identity_keypair(pub, std::move(signing.secret_key), std::move(dh));
}

ed25519_signature identity_keypair::sign(std::initializer_list<byte_view> parts) const {
  return ed25519::sign(signing_secret_, parts);
}

bytes identity_keypair::to_bytes() const {
  byte_writer w;
  // libsodium's secret key is seed ‖ public key: store only the seed.
  w.u8(secret_version).raw(signing_secret_.view().first<32>()).raw(dh_secret_.view());
  return w.take();
}

result<identity_keypair> identity_keypair::from_bytes(byte_view b) {
  if (b.size() != 1 + 32 + 32) return errc::invalid_length;
  if (b[0] != secret_version) return errc::unsupported_version;
  auto signing = ed25519::from_seed(b.subspan(1, 32));
  if (!signing) return signing.error();
  locked_secret<x25519_secret_tag, 32> dh(b.subspan(33).first<32>());
  identity_public pub;
  pub.signing = signing->public_key;
  pub.dh = x25519::public_of(dh);
  pub.dh_signature = ed25519::sign(signing->secret_key, {as_bytes(dh_label), pub.dh.view()});
  return identity_keypair(pub, std::move(signing->secret_key), std::move(dh));
}

identity_keypair identity_keypair::clone() const {
  return identity_keypair(public_, signing_secret_.clone(), dh_secret_.clone());
}

}  // namespace confidant::crypto
