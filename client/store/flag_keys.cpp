// This device's SPOC sealing keys and the flags it raised (migration 0002).
#include "client/store/flag_rows.hpp"
#include "client/store/db_flag_store.hpp"

namespace confidant::client {
namespace {

constexpr std::string_view raised_columns =
    "flag_id, server_id, category, urgency, state, text, body, quotes, created_at_ms, raised_at_ms, deadline_at_ms,"
    " acknowledged_at_ms, resolved_at_ms, out_of_hours, emergency_route, problem";

store_result<raised_flag> read_raised(const store::statement& q) {
  raised_flag f;
  auto id = message_id_from(q.column_blob(0));
  if (!id) return id.error();
  f.flag_id = *id;
  f.server_id = rows::opt(q, 1);
  f.category = q.column_text(2);
  f.urgency = q.column_text(3);
  f.state = q.column_text(4);
  f.text = q.column_text(5);
  f.body = rows::blob(q, 6);
  f.quotes = q.column_int64(7);
  f.created_at_ms = q.column_int64(8);
  f.raised_at_ms = rows::opt(q, 9);
  f.deadline_at_ms = rows::opt(q, 10);
  f.acknowledged_at_ms = rows::opt(q, 11);
  f.resolved_at_ms = rows::opt(q, 12);
  f.out_of_hours = q.column_int64(13) != 0;
  f.emergency_route = q.column_text(14);
  f.problem = q.column_text(15);
  return f;
}

// Binds ?2.. in raised_columns order (?1 is flag_id).
void bind_raised(store::statement& q, const raised_flag& f) {
  rows::bind_opt(q, 2, f.server_id);
  q.bind(3, f.category).bind(4, f.urgency).bind(5, f.state).bind(6, f.text).bind(7, blob_arg(f.body));
  q.bind(8, f.quotes).bind(9, f.created_at_ms);
  rows::bind_opt(q, 10, f.raised_at_ms);
  rows::bind_opt(q, 11, f.deadline_at_ms);
  rows::bind_opt(q, 12, f.acknowledged_at_ms);
  rows::bind_opt(q, 13, f.resolved_at_ms);
  q.bind(14, std::int64_t{f.out_of_hours ? 1 : 0}).bind(15, f.emergency_route).bind(16, f.problem);
}

}  // namespace

store_result<void> db_flag_store::add_key(const spoc_key_record& k) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare(
        "INSERT INTO spoc_keys (key_id, secret, certificate, created_at_ms, published_at_ms, retired_at_ms)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6);");
    if (!q) return q.error();
    q->bind(1, std::int64_t{k.key_id}).bind(2, blob_arg(k.secret)).bind(3, blob_arg(k.certificate));
    q->bind(4, k.created_at_ms);
    rows::bind_opt(*q, 5, k.published_at_ms);
    rows::bind_opt(*q, 6, k.retired_at_ms);
    return q->run();
  });
}

store_result<void> db_flag_store::mark_published(std::uint32_t key_id, std::int64_t at_ms) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare("UPDATE spoc_keys SET published_at_ms = ?2 WHERE key_id = ?1 RETURNING key_id;");
    if (!q) return q.error();
    q->bind(1, std::int64_t{key_id}).bind(2, at_ms);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return store_errc::not_found;
    if (auto r = q->run(); !r) return r;
    auto older = c_.db.prepare(
        "UPDATE spoc_keys SET retired_at_ms = ?2 WHERE key_id < ?1 AND retired_at_ms IS NULL"
        " AND published_at_ms IS NOT NULL;");
    if (!older) return older.error();
    older->bind(1, std::int64_t{key_id}).bind(2, at_ms);
    return older->run();
  });
}

store_result<std::vector<spoc_key_record>> db_flag_store::keys() const {
  auto q = c_.db.prepare(
      "SELECT key_id, secret, certificate, created_at_ms, published_at_ms, retired_at_ms FROM spoc_keys ORDER BY key_id;");
  if (!q) return q.error();
  std::vector<spoc_key_record> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    spoc_key_record k;
    k.key_id = static_cast<std::uint32_t>(q->column_int64(0));
    k.secret = rows::blob(*q, 1);
    k.certificate = rows::blob(*q, 2);
    k.created_at_ms = q->column_int64(3);
    k.published_at_ms = rows::opt(*q, 4);
    k.retired_at_ms = rows::opt(*q, 5);
    out.push_back(std::move(k));
  }
}

store_result<void> db_flag_store::add_raised(const raised_flag& f) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare("INSERT INTO raised_flags (" + std::string{raised_columns} +
                           ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16);");
    if (!q) return q.error();
    q->bind(1, f.flag_id);
    bind_raised(*q, f);
    return q->run();
  });
}

store_result<void> db_flag_store::update_raised(const raised_flag& f) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare(
        "UPDATE raised_flags SET server_id = ?2, category = ?3, urgency = ?4, state = ?5, text = ?6, body = ?7,"
        " quotes = ?8, created_at_ms = ?9, raised_at_ms = ?10, deadline_at_ms = ?11, acknowledged_at_ms = ?12,"
        " resolved_at_ms = ?13, out_of_hours = ?14, emergency_route = ?15, problem = ?16 WHERE flag_id = ?1"
        " RETURNING flag_id;");
    if (!q) return q.error();
    q->bind(1, f.flag_id);
    bind_raised(*q, f);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return store_errc::not_found;
    return q->run();
  });
}

store_result<std::vector<raised_flag>> db_flag_store::raised() const {
  auto q = c_.db.prepare("SELECT " + std::string{raised_columns} +
                         " FROM raised_flags ORDER BY created_at_ms DESC, server_id DESC;");
  if (!q) return q.error();
  std::vector<raised_flag> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    auto f = read_raised(*q);
    if (!f) return f.error();
    out.push_back(std::move(*f));
  }
}

store_result<std::optional<raised_flag>> db_flag_store::raised_by_server_id(std::int64_t id) const {
  auto q = c_.db.prepare("SELECT " + std::string{raised_columns} + " FROM raised_flags WHERE server_id = ?1;");
  if (!q) return q.error();
  q->bind(1, id);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<raised_flag>();
  auto f = read_raised(*q);
  if (!f) return f.error();
  return std::optional<raised_flag>(std::move(*f));
}

store_result<bool> db_flag_store::set_raised_state(std::int64_t server_id, std::string_view state,
                                                std::optional<std::int64_t> at_ms) {
  auto done = in_write_scope(c_, [&]() -> store_result<std::int64_t> {
    auto q = c_.db.prepare(
        "UPDATE raised_flags SET state = ?2,"
        " acknowledged_at_ms = CASE WHEN ?2 = 'acknowledged' AND ?3 IS NOT NULL THEN ?3 ELSE acknowledged_at_ms END,"
        " resolved_at_ms = CASE WHEN ?2 = 'resolved' AND ?3 IS NOT NULL THEN ?3 ELSE resolved_at_ms END"
        " WHERE server_id = ?1 RETURNING server_id;");
    if (!q) return q.error();
    q->bind(1, server_id).bind(2, state);
    rows::bind_opt(*q, 3, at_ms);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::int64_t{0};
    if (auto r = q->run(); !r) return r.error();
    return std::int64_t{1};
  });
  if (!done) return {boost::system::in_place_error, done.error()};
  return *done != 0;
}

}  // namespace confidant::client
