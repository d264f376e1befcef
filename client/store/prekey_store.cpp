#include "client/store/crypto_stores.hpp"

#include <limits>

namespace confidant::client {
namespace {

constexpr std::string_view next_otk_counter = "next_one_time_prekey_id";

// Loads one record blob by id and parses it with `parse` (signed_prekey::from_bytes or
// one_time_prekey::from_bytes); crypto::errc::unknown_prekey when the id is not held.
template <class Key, class Parse>
crypto::result<Key> load_record(connection& c, std::string_view sql, std::uint32_t id, Parse parse) {
  auto q = c.db.prepare(sql);
  if (!q) return q.error();
  q->bind(1, std::int64_t{id});
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return crypto::errc::unknown_prekey;
  auto key = parse(q->column_blob(0));
  if (!key) return store_errc::corrupt;
  return std::move(*key);
}

// Upserts a secret record (wiped here once SQLite has its own copy).
store_result<void> store_record(connection& c, std::string_view sql, std::uint32_t id, crypto::bytes record) {
  auto q = c.db.prepare(sql);
  if (!q) {
    crypto::wipe(record);
    return q.error();
  }
  q->bind(1, std::int64_t{id}).bind(2, record);
  crypto::wipe(record);
  return q->run();
}

}  // namespace

crypto::result<crypto::signed_prekey> db_prekey_store::load_signed_prekey(std::uint32_t id) const {
  return load_record<crypto::signed_prekey>(c_, "SELECT record FROM signed_prekeys WHERE id = ?1;", id,
                                            [](crypto::byte_view b) { return crypto::signed_prekey::from_bytes(b); });
}

crypto::result<void> db_prekey_store::store_signed_prekey(const crypto::signed_prekey& key) {
  return in_write_scope(c_, [&] {
    return store_record(c_,
                        "INSERT INTO signed_prekeys (id, record) VALUES (?1, ?2)"
                        " ON CONFLICT (id) DO UPDATE SET record = excluded.record;",
                        key.id(), key.to_bytes());
  });
}

crypto::result<crypto::one_time_prekey> db_prekey_store::load_one_time_prekey(std::uint32_t id) const {
  return load_record<crypto::one_time_prekey>(
      c_, "SELECT record FROM one_time_prekeys WHERE id = ?1;", id,
      [](crypto::byte_view b) { return crypto::one_time_prekey::from_bytes(b); });
}

crypto::result<void> db_prekey_store::store_one_time_prekey(const crypto::one_time_prekey& key) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    if (auto r = store_record(c_,
                              "INSERT INTO one_time_prekeys (id, record) VALUES (?1, ?2)"
                              " ON CONFLICT (id) DO UPDATE SET record = excluded.record;",
                              key.id(), key.to_bytes());
        !r)
      return r;
    // The high-water mark outlives the key, so an id is never handed out twice.
    auto q = c_.db.prepare(
        "INSERT INTO counters (name, value) VALUES (?1, ?2)"
        " ON CONFLICT (name) DO UPDATE SET value = max(value, excluded.value);");
    if (!q) return q.error();
    q->bind(1, next_otk_counter).bind(2, std::int64_t{key.id()} + 1);
    return q->run();
  });
}

crypto::result<void> db_prekey_store::remove_one_time_prekey(std::uint32_t id) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare("DELETE FROM one_time_prekeys WHERE id = ?1 RETURNING id;");
    if (!q) return q.error();
    q->bind(1, std::int64_t{id});
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return crypto::errc::unknown_prekey;
    return q->run();
  });
}

crypto::result<std::size_t> db_prekey_store::one_time_prekey_count() const {
  auto n = c_.db.query_text("SELECT count(*) FROM one_time_prekeys;");
  if (!n) return n.error();
  return static_cast<std::size_t>(std::stoull(*n));
}

store_result<std::uint32_t> db_prekey_store::next_one_time_id() const {
  auto q = c_.db.prepare("SELECT value FROM counters WHERE name = ?1;");
  if (!q) return q.error();
  q->bind(1, next_otk_counter);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::uint32_t{1};
  const auto next = q->column_int64(0);
  // Past 2^32 - 1 every id has been used once; wrapping would repeat one.
  if (next < 1 || next > std::numeric_limits<std::uint32_t>::max()) return store_errc::corrupt;
  return static_cast<std::uint32_t>(next);
}

}  // namespace confidant::client
