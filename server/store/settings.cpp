#include "server/store/settings.hpp"

namespace confidant::store {

result<void> put_setting(database& db, std::string_view key, std::string_view value) {
  auto s = db.prepare(
      "INSERT INTO settings (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = excluded.value;");
  if (!s) return s.error();
  s->bind(1, key).bind(2, value);
  return s->run();
}

result<std::optional<std::string>> get_setting(database& db, std::string_view key) {
  auto s = db.prepare("SELECT value FROM settings WHERE key = ?1;");
  if (!s) return s.error();
  s->bind(1, key);
  auto row = s->step();
  if (!row) return row.error();
  if (!*row) return std::optional<std::string>{};
  return std::optional<std::string>{std::string{s->column_text(0)}};
}

}  // namespace confidant::store
