#include "crypto/aead.hpp"

#include <sodium.h>

namespace confidant::crypto::aead {

static_assert(nonce_size == crypto_aead_xchacha20poly1305_ietf_NPUBBYTES);
static_assert(tag_size == crypto_aead_xchacha20poly1305_ietf_ABYTES);

bytes seal(const key& k, const nonce& n, byte_view plaintext, byte_view ad) {
  bytes out(plaintext.size() + tag_size);
  unsigned long long len = 0;
  crypto_aead_xchacha20poly1305_ietf_encrypt(out.data(), &len, plaintext.data(), plaintext.size(), ad.data(),
                                             ad.size(), nullptr, n.data(), k.data());
  out.resize(static_cast<std::size_t>(len));
  return out;
}

result<bytes> open(const key& k, const nonce& n, byte_view ciphertext, byte_view ad) {
  if (ciphertext.size() < tag_size) return errc::decrypt_failed;
  bytes out(ciphertext.size() - tag_size);
  unsigned long long len = 0;
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(out.data(), &len, nullptr, ciphertext.data(), ciphertext.size(),
                                                 ad.data(), ad.size(), n.data(), k.data()) != 0) {
    return errc::decrypt_failed;
  }
  out.resize(static_cast<std::size_t>(len));
  return out;
}

}  // namespace confidant::crypto::aead
