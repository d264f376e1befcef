#include "server/store/personal_windows.hpp"

namespace confidant::store {
namespace {

std::int64_t day_bits(rules::weekday_set days) {
  std::int64_t bits = 0;
  for (unsigned d = 1; d <= 7; ++d)
    if (days.contains(d)) bits |= std::int64_t{1} << (d - 1);
  return bits;
}

rules::weekday_set days_of(std::int64_t bits) {
  rules::weekday_set out;
  for (unsigned d = 1; d <= 7; ++d)
    if ((bits & (std::int64_t{1} << (d - 1))) != 0) out.add(d);
  return out;
}

std::optional<std::chrono::minutes> minutes_at(const statement& s, int col) {
  if (s.column_is_null(col)) return std::nullopt;
  return std::chrono::minutes{s.column_int64(col)};
}

void bind_minutes(statement& s, int index, std::optional<std::chrono::minutes> m) {
  if (m) {
    s.bind(index, std::int64_t{m->count()});
  } else {
    s.bind_null(index);
  }
}

}  // namespace

result<std::optional<rules::personal_window>> find_personal_window(database& db, std::int64_t user) {
  auto s = db.prepare("SELECT days, start_minute, end_minute FROM personal_windows WHERE account_id = ?1;");
  if (!s) return s.error();
  s->bind(1, user);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<rules::personal_window>{};
  return std::optional{rules::personal_window{days_of(s->column_int64(0)), minutes_at(*s, 1), minutes_at(*s, 2)}};
}

result<void> put_personal_window(database& db, std::int64_t user, const rules::personal_window& w, std::int64_t now_ms) {
  auto s = db.prepare(
      "INSERT INTO personal_windows (account_id, days, start_minute, end_minute, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)"
      " ON CONFLICT (account_id) DO UPDATE SET days = ?2, start_minute = ?3, end_minute = ?4, updated_at = ?5;");
  if (!s) return s.error();
  s->bind(1, user).bind(2, day_bits(w.days)).bind(5, now_ms);
  bind_minutes(*s, 3, w.start);
  bind_minutes(*s, 4, w.end);
  return s->run();
}

result<bool> delete_personal_window(database& db, std::int64_t user) {
  auto s = db.prepare("DELETE FROM personal_windows WHERE account_id = ?1;");
  if (!s) return {boost::system::in_place_error, s.error()};
  s->bind(1, user);
  if (auto r = s->run(); !r) return {boost::system::in_place_error, r.error()};
  return db.changes() > 0;
}

}  // namespace confidant::store
