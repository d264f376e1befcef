#pragma once

// local_store's state, shared by its implementation files.

#include "client/store/connection.hpp"
#include "client/store/crypto_stores.hpp"
#include "client/store/db_flag_store.hpp"
#include "client/store/local_store.hpp"

#include <array>
#include <span>

namespace confidant::client {

struct local_store::impl {
  impl(store::database db, account_info a, crypto::identity_keypair own)
      : conn{std::move(db)}, account(std::move(a)), identities(conn, std::move(own)), prekeys(conn), sessions(conn), flags(conn) {}
  impl(const impl&) = delete;
  impl& operator=(const impl&) = delete;

  connection conn;  // first: the stores below keep a reference to it
  account_info account;
  db_identity_store identities;
  db_prekey_store prekeys;
  db_session_store sessions;
  db_flag_store flags;
};

// statement::bind hands SQLite the span's pointer, which is null for an empty vector, and SQLite
// stores a null pointer as NULL; a zero-length blob needs a non-null one.
[[nodiscard]] inline std::span<const unsigned char> blob_arg(std::span<const unsigned char> b) noexcept {
  static constexpr unsigned char none[1] = {0};
  return b.empty() ? std::span<const unsigned char>(none, 0) : b;
}

// A 16-byte message id from a column; corrupt if it has another length.
[[nodiscard]] inline store_result<std::array<unsigned char, 16>> message_id_from(std::span<const unsigned char> b) {
  std::array<unsigned char, 16> id{};
  if (b.size() != id.size()) return store_errc::corrupt;
  std::copy(b.begin(), b.end(), id.begin());
  return id;
}

}  // namespace confidant::client
