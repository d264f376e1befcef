#include "server/store/invites.hpp"

namespace confidant::store {

result<std::int64_t> insert_invite(database& db, const new_invite& invite) {
  auto s = db.prepare(
      "INSERT INTO invites (code_hash, role, display_name, created_by, created_at, expires_at, link_account, deputy)"
      " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) RETURNING id;");
  if (!s) return s.error();
  s->bind(1, std::span<const unsigned char>{invite.hash})
      .bind(2, rules::name(invite.role))
      .bind(3, invite.display_name)
      .bind(5, invite.created_at_ms)
      .bind(6, invite.expires_at_ms)
      .bind(8, std::int64_t{invite.deputy});
  if (invite.created_by) {
    s->bind(4, *invite.created_by);
  } else {
    s->bind_null(4);
  }
  if (invite.link_account) {
    s->bind(7, *invite.link_account);
  } else {
    s->bind_null(7);
  }
  auto row = s->step();
  if (!row) return row.error();
  return s->column_int64(0);
}

result<std::pair<invite_state, std::optional<invite_row>>> find_invite(database& db, const code_hash& hash,
                                                                       std::int64_t now_ms) {
  using out = std::pair<invite_state, std::optional<invite_row>>;
  auto s = db.prepare("SELECT id, role, display_name, expires_at, used_at, link_account, deputy FROM invites WHERE code_hash = ?1;");
  if (!s) return s.error();
  s->bind(1, std::span<const unsigned char>{hash});
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return out{invite_state::unknown, std::nullopt};
  const auto role = rules::parse_role(s->column_text(1));
  if (!role) return errc::corrupt;
  invite_row r{s->column_int64(0), *role, std::string{s->column_text(2)},
               s->column_is_null(5) ? std::nullopt : std::optional{s->column_int64(5)}, s->column_int64(6) != 0};
  if (!s->column_is_null(4)) return out{invite_state::used, r};
  if (s->column_int64(3) <= now_ms) return out{invite_state::expired, r};
  return out{invite_state::usable, r};
}

result<void> mark_invite_used(database& db, std::int64_t invite_id, std::int64_t account_id, std::int64_t now_ms) {
  auto s = db.prepare(
      "UPDATE invites SET used_at = ?3, used_by = ?2"
      " WHERE id = ?1 AND used_at IS NULL AND expires_at > ?3 RETURNING id;");
  if (!s) return s.error();
  s->bind(1, invite_id).bind(2, account_id).bind(3, now_ms);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return errc::constraint;
  return {};
}

}  // namespace confidant::store
