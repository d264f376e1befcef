#include "server/store/associates.hpp"

namespace confidant::store {
namespace {

constexpr std::string_view select_associates =
    "SELECT a.id, a.display_name, coalesce(p.status, 'pending'), coalesce(p.profile, ''), coalesce(p.capacity, 1),"
    " (SELECT count(*) FROM cycles c WHERE c.associate = a.id AND c.state IN ('paired', 'active', 'review_due')),"
    " p.evidence_at, coalesce(p.years, 0), coalesce(p.inspection, ''), coalesce(p.training, 0),"
    " coalesce(p.coaching, 0), coalesce(p.evidence_by, 0), coalesce(p.suspended_reason, '')"
    " FROM accounts a LEFT JOIN associates p ON p.user = a.id WHERE a.role = 'associate' AND a.status = 'active'";

associate_row read_associate(const statement& s) {
  associate_row a;
  a.user = s.column_int64(0);
  a.display_name = s.column_text(1);
  a.status = s.column_text(2);
  a.profile = s.column_text(3);
  a.capacity = s.column_int64(4);
  a.load = s.column_int64(5);
  if (!s.column_is_null(6)) {
    a.evidence = evidence_row{.years = s.column_int64(7),
                              .inspection = std::string{s.column_text(8)},
                              .training = s.column_int64(9) != 0,
                              .coaching = s.column_int64(10) != 0,
                              .recorded_by = s.column_int64(11),
                              .recorded_at_ms = s.column_int64(6)};
  }
  a.suspended_reason = s.column_text(12);
  return a;
}

// The row every write starts from: an associate without a record gets one.
result<void> ensure_row(database& db, std::int64_t user) {
  auto s = db.prepare("INSERT INTO associates (user) VALUES (?1) ON CONFLICT (user) DO NOTHING;");
  if (!s) return s.error();
  s->bind(1, user);
  return s->run();
}

}  // namespace

result<std::optional<associate_row>> find_associate(database& db, std::int64_t user) {
  auto s = db.prepare(std::string{select_associates} + " AND a.id = ?1;");
  if (!s) return s.error();
  s->bind(1, user);
  return one_row<associate_row>(*s, read_associate);
}

result<std::vector<associate_row>> all_associates(database& db) {
  auto s = db.prepare(std::string{select_associates} + " ORDER BY a.id;");
  if (!s) return s.error();
  return all_rows<associate_row>(*s, read_associate);
}

result<void> put_profile(database& db, std::int64_t user, const std::string& profile_json, std::int64_t capacity,
                         std::int64_t now_ms) {
  if (auto r = ensure_row(db, user); !r) return r;
  auto s = db.prepare("UPDATE associates SET profile = ?2, capacity = ?3, profile_at = ?4 WHERE user = ?1;");
  if (!s) return s.error();
  s->bind(1, user).bind(2, profile_json).bind(3, capacity).bind(4, now_ms);
  return s->run();
}

result<void> approve_associate(database& db, std::int64_t user, const evidence_row& e) {
  if (auto r = ensure_row(db, user); !r) return r;
  auto s = db.prepare(
      "UPDATE associates SET status = 'approved', suspended_reason = NULL, years = ?2, inspection = ?3,"
      " training = ?4, coaching = ?5, evidence_by = ?6, evidence_at = ?7 WHERE user = ?1;");
  if (!s) return s.error();
  s->bind(1, user).bind(2, e.years).bind(3, e.inspection).bind(4, std::int64_t{e.training});
  s->bind(5, std::int64_t{e.coaching}).bind(6, e.recorded_by).bind(7, e.recorded_at_ms);
  return s->run();
}

result<void> suspend_associate(database& db, std::int64_t user, const std::string& reason) {
  auto s = db.prepare("UPDATE associates SET status = 'suspended', suspended_reason = ?2 WHERE user = ?1;");
  if (!s) return s.error();
  s->bind(1, user).bind(2, reason);
  return s->run();
}

}  // namespace confidant::store
