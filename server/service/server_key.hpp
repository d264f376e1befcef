#pragma once

#include "crypto/ed25519.hpp"
#include "server/store/store.hpp"

namespace confidant::service {

// The server's Ed25519 identity (protocol.md 7.3: it signs franking stamps and is bound into
// login signatures). Made at the first start and kept in the encrypted database only.
[[nodiscard]] store::result<crypto::ed25519::keypair> load_or_create_server_key(store::store& db);

}  // namespace confidant::service
