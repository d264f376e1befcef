#include "server/store/accounts.hpp"

#include <algorithm>

namespace confidant::store {
namespace {

// result<bool> cannot be built from an error_code implicitly (bool is constructible from it).
result<bool> failed(boost::system::error_code ec) { return {boost::system::in_place_error, ec}; }

result<account_row> read_account(const statement& s) {
  const auto role = rules::parse_role(s.column_text(1));
  if (!role) return errc::corrupt;
  return account_row{s.column_int64(0), *role, std::string{s.column_text(2)}, s.column_text(3) == "active"};
}

result<device_row> read_device(const statement& s) {
  device_row d{s.column_int64(0), s.column_int64(1), {}, s.column_int64(3)};
  const auto id = s.column_blob(2);
  if (id.size() != d.identity.size()) return errc::corrupt;
  std::ranges::copy(id, d.identity.begin());
  return d;
}

}  // namespace

result<std::int64_t> insert_account(database& db, rules::role role, std::string_view display_name, std::int64_t now_ms,
                                    bool deputy) {
  auto s = db.prepare(
      "INSERT INTO accounts (role, display_name, created_at, deputy) VALUES (?1, ?2, ?3, ?4) RETURNING id;");
  if (!s) return s.error();
  s->bind(1, rules::name(role)).bind(2, display_name).bind(3, now_ms).bind(4, std::int64_t{deputy});
  auto row = s->step();
  if (!row) return row.error();
  return s->column_int64(0);
}

result<std::optional<account_row>> find_account(database& db, std::int64_t id) {
  auto s = db.prepare("SELECT id, role, display_name, status FROM accounts WHERE id = ?1;");
  if (!s) return s.error();
  s->bind(1, id);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<account_row>{};
  auto a = read_account(*s);
  if (!a) return a.error();
  return std::optional<account_row>{std::move(*a)};
}

result<std::vector<account_row>> active_accounts(database& db) {
  auto s = db.prepare("SELECT id, role, display_name, status FROM accounts WHERE status = 'active' ORDER BY id;");
  if (!s) return s.error();
  std::vector<account_row> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto a = read_account(*s);
    if (!a) return a.error();
    out.push_back(std::move(*a));
  }
}

result<bool> disable_account(database& db, std::int64_t id) {
  auto s = db.prepare("UPDATE accounts SET status = 'disabled' WHERE id = ?1 AND status = 'active' RETURNING id;");
  if (!s) return failed(s.error());
  s->bind(1, id);
  return s->step();
}

result<std::int64_t> insert_device(database& db, std::int64_t account_id, std::span<const unsigned char, 128> identity,
                                   std::int64_t now_ms) {
  auto s = db.prepare(
      "INSERT INTO devices (account_id, device_id, signing_key, identity, created_at)"
      " SELECT ?1, coalesce(max(device_id), 0) + 1, ?2, ?3, ?4 FROM devices WHERE account_id = ?1"
      " RETURNING device_id;");
  if (!s) return s.error();
  s->bind(1, account_id).bind(2, identity.first<32>()).bind(3, std::span<const unsigned char>{identity}).bind(4, now_ms);
  auto row = s->step();
  if (!row) return row.error();
  return s->column_int64(0);
}

result<bool> signing_key_in_use(database& db, std::span<const unsigned char, 32> signing_key) {
  auto s = db.prepare("SELECT 1 FROM devices WHERE signing_key = ?1;");
  if (!s) return failed(s.error());
  s->bind(1, std::span<const unsigned char>{signing_key});
  return s->step();
}

result<std::optional<device_row>> find_active_device(database& db, std::int64_t account_id, std::int64_t device_id) {
  auto s = db.prepare(
      "SELECT d.account_id, d.device_id, d.identity, d.created_at FROM devices d JOIN accounts a ON a.id = d.account_id"
      " WHERE d.account_id = ?1 AND d.device_id = ?2 AND d.status = 'active' AND a.status = 'active';");
  if (!s) return s.error();
  s->bind(1, account_id).bind(2, device_id);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<device_row>{};
  auto d = read_device(*s);
  if (!d) return d.error();
  return std::optional<device_row>{*d};
}

result<std::vector<device_row>> active_devices(database& db, std::int64_t account_id) {
  auto s = db.prepare(
      "SELECT account_id, device_id, identity, created_at FROM devices"
      " WHERE account_id = ?1 AND status = 'active' ORDER BY device_id;");
  if (!s) return s.error();
  s->bind(1, account_id);
  std::vector<device_row> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto d = read_device(*s);
    if (!d) return d.error();
    out.push_back(*d);
  }
}

result<bool> remove_device(database& db, std::int64_t account_id, std::int64_t device_id, std::int64_t now_ms) {
  auto s = db.prepare(
      "UPDATE devices SET status = 'removed', removed_at = ?3"
      " WHERE account_id = ?1 AND device_id = ?2 AND status = 'active' RETURNING device_id;");
  if (!s) return failed(s.error());
  s->bind(1, account_id).bind(2, device_id).bind(3, now_ms);
  auto row = s->step();
  if (!row) return failed(row.error());
  if (!*row) return false;
  for (const auto* sql : {"DELETE FROM one_time_prekeys WHERE account_id = ?1 AND device_id = ?2;",
                          "DELETE FROM signed_prekeys WHERE account_id = ?1 AND device_id = ?2;",
                          "DELETE FROM envelopes WHERE account_id = ?1 AND device_id = ?2;"}) {
    auto del = db.prepare(sql);
    if (!del) return failed(del.error());
    del->bind(1, account_id).bind(2, device_id);
    if (auto r = del->run(); !r) return failed(r.error());
  }
  return true;
}

result<bool> are_paired(database& db, std::int64_t a, std::int64_t b) {
  auto s = db.prepare(
      "SELECT 1 FROM pairings WHERE ended_at IS NULL AND"
      " ((headteacher = ?1 AND associate = ?2) OR (headteacher = ?2 AND associate = ?1));");
  if (!s) return failed(s.error());
  s->bind(1, a).bind(2, b);
  return s->step();
}

result<std::vector<std::int64_t>> paired_with(database& db, std::int64_t user) {
  auto s = db.prepare(
      "SELECT associate FROM pairings WHERE headteacher = ?1 AND ended_at IS NULL"
      " UNION SELECT headteacher FROM pairings WHERE associate = ?1 AND ended_at IS NULL;");
  if (!s) return s.error();
  s->bind(1, user);
  std::vector<std::int64_t> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(s->column_int64(0));
  }
}

}  // namespace confidant::store
