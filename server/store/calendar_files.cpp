#include "server/store/calendar_files.hpp"

namespace confidant::store {

result<void> put_calendar_file(database& db, const calendar_file& f) {
  auto s = db.prepare(
      "INSERT INTO calendar_files (kind, name, content, loaded_at) VALUES (?1, ?2, ?3, ?4)"
      " ON CONFLICT (kind, name) DO UPDATE SET content = excluded.content, loaded_at = excluded.loaded_at;");
  if (!s) return s.error();
  s->bind(1, f.kind).bind(2, f.name).bind(3, f.content).bind(4, f.loaded_at_ms);
  return s->run();
}

result<std::vector<calendar_file>> calendar_files(database& db) {
  auto s = db.prepare("SELECT kind, name, content, loaded_at FROM calendar_files ORDER BY kind, name;");
  if (!s) return s.error();
  std::vector<calendar_file> out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({std::string{s->column_text(0)}, std::string{s->column_text(1)}, std::string{s->column_text(2)},
                   s->column_int64(3)});
  }
}

}  // namespace confidant::store
