#pragma once

// Reading the key objects of protocol.md 7.3 from a request, with every check the server can
// make: lengths, points of small order, signatures, distinct ids.

#include "crypto/identity.hpp"
#include "schema/wire/fields.hpp"
#include "server/store/prekeys.hpp"

#include <optional>
#include <string_view>
#include <vector>

namespace confidant::service {

// `identity`: 128 bytes, valid keys, DH key signed by the signing key.
[[nodiscard]] std::optional<crypto::identity_public> read_identity(wire::field_reader& in, std::string_view key);

// A signed prekey object. The signature is checked once the signer is known (check_signed_prekey).
[[nodiscard]] std::optional<store::signed_prekey_row> read_signed_prekey(wire::field_reader& in, std::string_view key,
                                                                         bool required);
[[nodiscard]] bool check_signed_prekey(wire::field_reader& in, std::string_view key, const store::signed_prekey_row& spk,
                                       const crypto::ed25519_public_key& signer);

inline constexpr std::size_t max_prekeys_per_request = 200;
// An array of 1..200 one-time prekey objects with distinct ids and valid points.
[[nodiscard]] std::optional<std::vector<store::one_time_prekey_row>> read_one_time_prekeys(wire::field_reader& in,
                                                                                           std::string_view key,
                                                                                           bool required);

}  // namespace confidant::service
