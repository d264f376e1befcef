#include "client/store/crypto_stores.hpp"

#include <algorithm>

namespace confidant::client {

crypto::result<void> db_identity_store::check_trusted(const crypto::device_address& who,
                                                      const crypto::identity_public& key) const {
  auto q = c_.db.prepare("SELECT identity FROM identities WHERE user_name = ?1 AND device_id = ?2;");
  if (!q) return q.error();
  q->bind(1, who.user).bind(2, std::int64_t{who.device});
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return {};  // first use
  const auto stored = key.to_bytes();
  const auto recorded = q->column_blob(0);
  if (std::equal(recorded.begin(), recorded.end(), stored.begin(), stored.end())) return {};
  return crypto::errc::untrusted_identity;
}

crypto::result<void> db_identity_store::save_identity(const crypto::device_address& who,
                                                      const crypto::identity_public& key) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    // The verified mark belongs to the key the user compared: a different key starts unverified.
    auto q = c_.db.prepare(
        "INSERT INTO identities (user_name, device_id, identity, verified) VALUES (?1, ?2, ?3, 0)"
        " ON CONFLICT (user_name, device_id) DO UPDATE SET identity = excluded.identity,"
        " verified = CASE WHEN identity = excluded.identity THEN verified ELSE 0 END;");
    if (!q) return q.error();
    q->bind(1, who.user).bind(2, std::int64_t{who.device}).bind(3, key.to_bytes());
    return q->run();
  });
}

store_result<void> db_identity_store::mark_verified(const crypto::device_address& who,
                                                    const crypto::identity_public& key) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare(
        "INSERT INTO identities (user_name, device_id, identity, verified) VALUES (?1, ?2, ?3, 1)"
        " ON CONFLICT (user_name, device_id) DO UPDATE SET identity = excluded.identity, verified = 1;");
    if (!q) return q.error();
    q->bind(1, who.user).bind(2, std::int64_t{who.device}).bind(3, key.to_bytes());
    return q->run();
  });
}

store_result<bool> db_identity_store::is_verified(const crypto::device_address& who) const {
  auto q = c_.db.prepare("SELECT verified FROM identities WHERE user_name = ?1 AND device_id = ?2;");
  if (!q) return {boost::system::in_place_error, q.error()};
  q->bind(1, who.user).bind(2, std::int64_t{who.device});
  auto row = q->step();
  if (!row) return {boost::system::in_place_error, row.error()};
  return *row && q->column_int64(0) == 1;
}

store_result<std::vector<std::pair<crypto::device_address, crypto::identity_public>>> db_identity_store::known(
    std::string_view user) const {
  auto q = c_.db.prepare("SELECT device_id, identity FROM identities WHERE user_name = ?1 ORDER BY device_id;");
  if (!q) return q.error();
  q->bind(1, user);
  std::vector<std::pair<crypto::device_address, crypto::identity_public>> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto key = crypto::identity_public::from_bytes(q->column_blob(1));
    if (!key) return store_errc::corrupt;
    out.emplace_back(crypto::device_address{std::string{user}, static_cast<std::uint32_t>(q->column_int64(0))},
                     *key);
  }
}

}  // namespace confidant::client
