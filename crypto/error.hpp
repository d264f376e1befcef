#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <type_traits>

namespace confidant::crypto {

// Stable failure kinds of the end-to-end crypto core. Messages name the problem, never a key.
enum class errc {
  invalid_length = 1,     // a key, header or record has the wrong size
  malformed,              // a serialized record does not parse
  unsupported_version,    // a record or message from a newer (or unknown) format
  bad_signature,          // an Ed25519 signature does not verify
  invalid_public_key,     // small-order, all-zero or non-canonical public key
  dh_failed,              // X25519 produced the all-zero output
  decrypt_failed,         // AEAD authentication failed
  duplicate_message,      // the message key was already used (replay or duplicate)
  too_many_skipped,       // a header asks to skip past MAX_SKIP keys in one chain
  no_session,             // no session with that device and no bundle to start one
  unknown_prekey,         // the signed or one-time prekey named by a message is not held
  untrusted_identity,     // the peer's identity key differs from the one on record
  commitment_mismatch,    // the franking commitment does not match the decrypted message
  bad_stamp,              // the server's stamp does not verify or does not match
  binding_mismatch,       // a flag or proof names a different key, sender or recipient
  expired_key,            // a SPOC medium-term key outside its validity
  weak_parameters,        // passphrase KDF parameters below the floor
  kdf_failed,             // Argon2id could not run (out of memory)
  invalid_argument,       // a caller error (length out of range, empty list)
};

[[nodiscard]] const boost::system::error_category& category() noexcept;

[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

template <class T = void>
using result = boost::system::result<T>;

}  // namespace confidant::crypto

template <>
struct boost::system::is_error_code_enum<confidant::crypto::errc> : std::true_type {};
