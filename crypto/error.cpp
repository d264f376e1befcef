#include "crypto/error.hpp"

#include <string>

namespace confidant::crypto {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "confidant.crypto"; }

  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_length: return "wrong length for a key or record";
      case errc::malformed: return "malformed record";
      case errc::unsupported_version: return "unsupported format version";
      case errc::bad_signature: return "signature does not verify";
      case errc::invalid_public_key: return "invalid public key (small order, zero or non-canonical)";
      case errc::dh_failed: return "key agreement produced a degenerate output";
      case errc::decrypt_failed: return "message authentication failed";
      case errc::duplicate_message: return "duplicate or replayed message";
      case errc::too_many_skipped: return "too many skipped messages";
      case errc::no_session: return "no session with this device";
      case errc::unknown_prekey: return "unknown or already used prekey";
      case errc::untrusted_identity: return "the peer's identity key has changed";
      case errc::commitment_mismatch: return "franking commitment does not match the message";
      case errc::bad_stamp: return "server stamp does not verify";
      case errc::binding_mismatch: return "record is bound to a different key or party";
      case errc::expired_key: return "key outside its validity period";
      case errc::weak_parameters: return "key derivation parameters are below the minimum";
      case errc::kdf_failed: return "key derivation failed (out of memory)";
      case errc::invalid_argument: return "invalid argument";
    }
    return "unknown crypto error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

}  // namespace confidant::crypto
