#pragma once

// A prekey bundle as the server hands it out (X3DH rev. 1 §3.2), and its verification.

#include "crypto/identity.hpp"
#include "crypto/prekeys.hpp"

#include <optional>

namespace confidant::crypto {

struct prekey_bundle {
  identity_public identity;
  signed_prekey_public signed_prekey;
  std::optional<one_time_prekey_public> one_time_prekey;

  // Identity keys valid and self-signed, the signed prekey signed by the identity, no key of
  // small order: errc::bad_signature or errc::invalid_public_key otherwise.
  [[nodiscard]] result<void> verify() const;

  // version 1 ‖ identity (128) ‖ spk id (4) ‖ created_at (8) ‖ spk (32) ‖ signature (64) ‖
  // has_otk (1) ‖ [otk id (4) ‖ otk (32)]; 238 or 274 bytes.
  [[nodiscard]] bytes to_bytes() const;
  // Parses the layout only (errc::invalid_length / malformed / unsupported_version); call verify().
  [[nodiscard]] static result<prekey_bundle> from_bytes(byte_view b);
};

}  // namespace confidant::crypto
