#include "server/store/prekeys.hpp"

#include <algorithm>

namespace confidant::store {
namespace {

template <std::size_t N>
bool copy_exact(std::span<const unsigned char> from, std::array<unsigned char, N>& to) {
  if (from.size() != N) return false;
  std::ranges::copy(from, to.begin());
  return true;
}

}  // namespace

result<void> put_signed_prekey(database& db, std::int64_t account, std::int64_t device, const signed_prekey_row& spk) {
  auto s = db.prepare(
      "INSERT INTO signed_prekeys (account_id, device_id, key_id, created_at_s, public_key, signature)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT (account_id, device_id) DO UPDATE SET"
      " key_id = excluded.key_id, created_at_s = excluded.created_at_s, public_key = excluded.public_key,"
      " signature = excluded.signature;");
  if (!s) return s.error();
  s->bind(1, account).bind(2, device).bind(3, static_cast<std::int64_t>(spk.id)).bind(4, spk.created_at_s);
  s->bind(5, std::span<const unsigned char>{spk.key}).bind(6, std::span<const unsigned char>{spk.signature});
  return s->run();
}

result<std::optional<signed_prekey_row>> get_signed_prekey(database& db, std::int64_t account, std::int64_t device) {
  auto s = db.prepare(
      "SELECT key_id, created_at_s, public_key, signature FROM signed_prekeys WHERE account_id = ?1 AND device_id = ?2;");
  if (!s) return s.error();
  s->bind(1, account).bind(2, device);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<signed_prekey_row>{};
  signed_prekey_row r{static_cast<std::uint32_t>(s->column_int64(0)), s->column_int64(1), {}, {}};
  if (!copy_exact(s->column_blob(2), r.key) || !copy_exact(s->column_blob(3), r.signature)) return errc::corrupt;
  return std::optional{r};
}

result<void> add_one_time_prekeys(database& db, std::int64_t account, std::int64_t device,
                                  std::span<const one_time_prekey_row> keys) {
  auto s = db.prepare("INSERT INTO one_time_prekeys (account_id, device_id, key_id, public_key) VALUES (?1, ?2, ?3, ?4);");
  if (!s) return s.error();
  for (const auto& k : keys) {
    s->reset();
    s->bind(1, account).bind(2, device).bind(3, static_cast<std::int64_t>(k.id)).bind(4, std::span<const unsigned char>{k.key});
    if (auto r = s->run(); !r) return r.error();
  }
  return {};
}

result<std::int64_t> count_one_time_prekeys(database& db, std::int64_t account, std::int64_t device) {
  auto s = db.prepare("SELECT count(*) FROM one_time_prekeys WHERE account_id = ?1 AND device_id = ?2;");
  if (!s) return s.error();
  s->bind(1, account).bind(2, device);
  auto row = s->step();
  if (!row) return row.error();
  return s->column_int64(0);
}

result<std::optional<one_time_prekey_row>> take_one_time_prekey(database& db, std::int64_t account, std::int64_t device) {
  auto s = db.prepare(
      "DELETE FROM one_time_prekeys WHERE (account_id, device_id, key_id) IN (SELECT account_id, device_id, key_id"
      " FROM one_time_prekeys WHERE account_id = ?1 AND device_id = ?2 ORDER BY key_id LIMIT 1)"
      " RETURNING key_id, public_key;");
  if (!s) return s.error();
  s->bind(1, account).bind(2, device);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<one_time_prekey_row>{};
  one_time_prekey_row r{static_cast<std::uint32_t>(s->column_int64(0)), {}};
  if (!copy_exact(s->column_blob(1), r.key)) return errc::corrupt;
  // Drain the statement so the DELETE completes before the next one.
  if (auto done = s->step(); !done) return done.error();
  return std::optional{r};
}

}  // namespace confidant::store
