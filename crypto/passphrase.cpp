#include "crypto/passphrase.hpp"

#include "crypto/sodium.hpp"

#include <sodium.h>

namespace confidant::crypto::passphrase {
namespace {

constexpr byte record_version = 1;
constexpr byte argon2id13 = 1;

}  // namespace

static_assert(sizeof(record::salt) == crypto_pwhash_SALTBYTES);

bytes record::to_bytes() const {
  byte_writer w;
  w.u8(record_version).u8(argon2id13).u64(p.opslimit).u64(p.memlimit).raw(salt);
  return w.take();
}

result<record> record::from_bytes(byte_view b) {
  if (b.size() != encoded_size) return errc::invalid_length;
  if (b[0] != record_version) return errc::unsupported_version;
  if (b[1] != argon2id13) return errc::unsupported_version;
  byte_reader r(b.subspan(2));
  record out;
  out.p.opslimit = *r.u64();
  out.p.memlimit = *r.u64();
  out.salt = *r.array<16>();
  return out;
}

record new_record(random_source& rng, params p) {
  record r;
  r.p = p;
  rng.fill(r.salt);
  return r;
}

result<key> derive_key(std::string_view passphrase, const record& r) {
  ensure_sodium();
  if (r.p.opslimit < minimum.opslimit || r.p.memlimit < minimum.memlimit) return errc::weak_parameters;
  if (r.p.opslimit > crypto_pwhash_argon2id_OPSLIMIT_MAX || r.p.memlimit > crypto_pwhash_argon2id_MEMLIMIT_MAX) {
    return errc::weak_parameters;
  }
  key out;
  if (crypto_pwhash(out.data(), out.size, passphrase.data(), passphrase.size(), r.salt.data(),
                    static_cast<unsigned long long>(r.p.opslimit), static_cast<std::size_t>(r.p.memlimit),
                    crypto_pwhash_ALG_ARGON2ID13) != 0) {
    return errc::kdf_failed;
  }
  return out;
}

bool needs_upgrade(const record& r, params target) noexcept {
  return r.p.opslimit < target.opslimit || r.p.memlimit < target.memlimit;
}

}  // namespace confidant::crypto::passphrase
