// Flags, quotes and notes received by a SPOC device (migration 0002).
#include "client/store/flag_rows.hpp"
#include "client/store/db_flag_store.hpp"

namespace confidant::client {
namespace {

constexpr std::string_view received_columns =
    "server_id, category, urgency, state, raised_at_ms, deadline_at_ms, acknowledged_at_ms, resolved_at_ms,"
    " raised_by_user, raised_by_device, acknowledged_by, resolved_by, outcome, escalations, legal_hold, alert,"
    " received_at_ms, key_id, sealed, opened, problem, flagger_identity, body_flag_id, body_category, body_urgency,"
    " body_raiser_user, body_raiser_device, raised_at_client_ms, text";

received_flag read_received(const store::statement& q) {
  received_flag f;
  f.server_id = q.column_int64(0);
  f.category = q.column_text(1);
  f.urgency = q.column_text(2);
  f.state = q.column_text(3);
  f.raised_at_ms = q.column_int64(4);
  f.deadline_at_ms = q.column_int64(5);
  f.acknowledged_at_ms = rows::opt(q, 6);
  f.resolved_at_ms = rows::opt(q, 7);
  f.raised_by_user = q.column_int64(8);
  f.raised_by_device = q.column_int64(9);
  f.acknowledged_by = rows::opt(q, 10);
  f.resolved_by = rows::opt(q, 11);
  f.outcome = q.column_text(12);
  f.escalations = q.column_int64(13);
  f.legal_hold = q.column_int64(14) != 0;
  f.alert = q.column_int64(15) != 0;
  f.received_at_ms = q.column_int64(16);
  f.key_id = rows::opt(q, 17);
  f.sealed = rows::blob(q, 18);
  f.opened = q.column_int64(19) != 0;
  f.problem = q.column_text(20);
  f.flagger_identity = rows::blob(q, 21);
  f.body_flag_id = rows::blob(q, 22);
  f.body_category = q.column_text(23);
  f.body_urgency = q.column_text(24);
  f.body_raiser_user = q.column_int64(25);
  f.body_raiser_device = q.column_int64(26);
  f.raised_at_client_ms = q.column_int64(27);
  f.text = q.column_text(28);
  return f;
}

// Binds the server's metadata as ?1..?15 (server_id first).
void bind_metadata(store::statement& q, const received_flag& f) {
  q.bind(1, f.server_id).bind(2, f.category).bind(3, f.urgency).bind(4, f.state);
  q.bind(5, f.raised_at_ms).bind(6, f.deadline_at_ms);
  rows::bind_opt(q, 7, f.acknowledged_at_ms);
  rows::bind_opt(q, 8, f.resolved_at_ms);
  q.bind(9, f.raised_by_user).bind(10, f.raised_by_device);
  rows::bind_opt(q, 11, f.acknowledged_by);
  rows::bind_opt(q, 12, f.resolved_by);
  q.bind(13, f.outcome).bind(14, f.escalations).bind(15, std::int64_t{f.legal_hold ? 1 : 0});
}

store_result<std::vector<received_quote>> read_quotes(connection& c, std::int64_t flag) {
  auto q = c.db.prepare(
      "SELECT position, quote, verified, problem, sender, recipient, stamped_at_ms, text FROM received_quotes"
      " WHERE flag = ?1 ORDER BY position;");
  if (!q) return q.error();
  q->bind(1, flag);
  std::vector<received_quote> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    received_quote r;
    r.position = q->column_int64(0);
    r.quote = rows::blob(*q, 1);
    r.verified = q->column_int64(2) != 0;
    r.problem = q->column_text(3);
    r.sender = q->column_text(4);
    r.recipient = q->column_text(5);
    r.stamped_at_ms = q->column_int64(6);
    r.text = q->column_text(7);
    out.push_back(std::move(r));
  }
}

}  // namespace

store_result<bool> db_flag_store::add_received(const received_flag& f) {
  auto done = in_write_scope(c_, [&]() -> store_result<std::int64_t> {
    auto q = c_.db.prepare(
        "INSERT INTO received_flags (server_id, category, urgency, state, raised_at_ms, deadline_at_ms,"
        " acknowledged_at_ms, resolved_at_ms, raised_by_user, raised_by_device, acknowledged_by, resolved_by, outcome,"
        " escalations, legal_hold, alert, received_at_ms, key_id, sealed)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)"
        " ON CONFLICT (server_id) DO NOTHING RETURNING server_id;");
    if (!q) return q.error();
    bind_metadata(*q, f);
    q->bind(16, std::int64_t{f.alert ? 1 : 0}).bind(17, f.received_at_ms);
    rows::bind_opt(*q, 18, f.key_id);
    q->bind(19, blob_arg(f.sealed));
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::int64_t{0};
    if (auto r = q->run(); !r) return r.error();
    return std::int64_t{1};
  });
  if (!done) return {boost::system::in_place_error, done.error()};
  return *done != 0;
}

store_result<void> db_flag_store::update_metadata(const received_flag& f) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare(
        "UPDATE received_flags SET category = ?2, urgency = ?3, state = ?4, raised_at_ms = ?5, deadline_at_ms = ?6,"
        " acknowledged_at_ms = ?7, resolved_at_ms = ?8, raised_by_user = ?9, raised_by_device = ?10,"
        " acknowledged_by = ?11, resolved_by = ?12, outcome = ?13, escalations = ?14, legal_hold = ?15"
        " WHERE server_id = ?1 RETURNING server_id;");
    if (!q) return q.error();
    bind_metadata(*q, f);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return store_errc::not_found;
    return q->run();
  });
}

store_result<void> db_flag_store::set_opened(const received_flag& f) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare(
        "UPDATE received_flags SET key_id = ?2, sealed = ?3, opened = ?4, problem = ?5, flagger_identity = ?6,"
        " body_flag_id = ?7, body_category = ?8, body_urgency = ?9, body_raiser_user = ?10, body_raiser_device = ?11,"
        " raised_at_client_ms = ?12, text = ?13 WHERE server_id = ?1 RETURNING server_id;");
    if (!q) return q.error();
    q->bind(1, f.server_id);
    rows::bind_opt(*q, 2, f.key_id);
    q->bind(3, blob_arg(f.sealed)).bind(4, std::int64_t{f.opened ? 1 : 0}).bind(5, f.problem);
    q->bind(6, blob_arg(f.flagger_identity)).bind(7, blob_arg(f.body_flag_id)).bind(8, f.body_category);
    q->bind(9, f.body_urgency).bind(10, f.body_raiser_user).bind(11, f.body_raiser_device);
    q->bind(12, f.raised_at_client_ms).bind(13, f.text);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return store_errc::not_found;
    if (auto r = q->run(); !r) return r;
    auto clear = c_.db.prepare("DELETE FROM received_quotes WHERE flag = ?1;");
    if (!clear) return clear.error();
    clear->bind(1, f.server_id);
    if (auto r = clear->run(); !r) return r;
    for (const auto& r : f.quotes) {
      auto ins = c_.db.prepare(
          "INSERT INTO received_quotes (flag, position, quote, verified, problem, sender, recipient, stamped_at_ms,"
          " text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9);");
      if (!ins) return ins.error();
      ins->bind(1, f.server_id).bind(2, r.position).bind(3, blob_arg(r.quote)).bind(4, std::int64_t{r.verified ? 1 : 0});
      ins->bind(5, r.problem).bind(6, r.sender).bind(7, r.recipient).bind(8, r.stamped_at_ms).bind(9, r.text);
      if (auto done = ins->run(); !done) return done;
    }
    return {};
  });
}

store_result<std::optional<received_flag>> db_flag_store::received(std::int64_t server_id) const {
  auto q = c_.db.prepare("SELECT " + std::string{received_columns} + " FROM received_flags WHERE server_id = ?1;");
  if (!q) return q.error();
  q->bind(1, server_id);
  auto row = q->step();
  if (!row) return row.error();
  if (!*row) return std::optional<received_flag>();
  auto f = read_received(*q);
  auto quotes = read_quotes(c_, server_id);
  if (!quotes) return quotes.error();
  f.quotes = std::move(*quotes);
  return std::optional<received_flag>(std::move(f));
}

store_result<std::vector<received_flag>> db_flag_store::received_all() const {
  auto q = c_.db.prepare("SELECT " + std::string{received_columns} + " FROM received_flags ORDER BY server_id DESC;");
  if (!q) return q.error();
  std::vector<received_flag> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back(read_received(*q));
  }
}

store_result<void> db_flag_store::set_escalations(std::int64_t server_id, std::int64_t escalations) {
  return in_write_scope(c_, [&]() -> store_result<void> {
    auto q = c_.db.prepare("UPDATE received_flags SET escalations = max(escalations, ?2) WHERE server_id = ?1;");
    if (!q) return q.error();
    q->bind(1, server_id).bind(2, escalations);
    return q->run();
  });
}

store_result<bool> db_flag_store::add_note(const flag_note_record& n) {
  auto done = in_write_scope(c_, [&]() -> store_result<std::int64_t> {
    auto q = c_.db.prepare(
        "INSERT INTO flag_notes (flag, note, author_user, author_device, added_at_ms, verified, problem, text)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) ON CONFLICT (flag, note) DO NOTHING RETURNING note;");
    if (!q) return q.error();
    q->bind(1, n.flag).bind(2, n.note).bind(3, n.author_user).bind(4, n.author_device).bind(5, n.added_at_ms);
    q->bind(6, std::int64_t{n.verified ? 1 : 0}).bind(7, n.problem).bind(8, n.text);
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return std::int64_t{0};
    if (auto r = q->run(); !r) return r.error();
    return std::int64_t{1};
  });
  if (!done) return {boost::system::in_place_error, done.error()};
  return *done != 0;
}

store_result<std::vector<flag_note_record>> db_flag_store::notes(std::int64_t flag) const {
  auto q = c_.db.prepare(
      "SELECT flag, note, author_user, author_device, added_at_ms, verified, problem, text FROM flag_notes"
      " WHERE flag = ?1 ORDER BY note;");
  if (!q) return q.error();
  q->bind(1, flag);
  std::vector<flag_note_record> out;
  for (;;) {
    auto row = q->step();
    if (!row) return row.error();
    if (!*row) return out;
    out.push_back({q->column_int64(0), q->column_int64(1), q->column_int64(2), q->column_int64(3), q->column_int64(4),
                   q->column_int64(5) != 0, std::string{q->column_text(6)}, std::string{q->column_text(7)}});
  }
}

}  // namespace confidant::client
