// note_write, notes (protocol.md 7.38): an associate's note of a meeting is sealed to the
// associate alone; the headteacher is told that it exists (seed 000), never what it says.
#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/programme_support.hpp"
#include "server/store/feedback.hpp"
#include "server/store/meetings.hpp"

#include <boost/json/serialize.hpp>

namespace confidant::service {
namespace {

using rules::role;

std::string note_notice_event(const store::note_row& n) {
  return boost::json::serialize(boost::json::object{
      {"type", "note_notice"}, {"meeting", n.meeting}, {"written_at", time_text(n.written_at_ms)}});
}

}  // namespace

void on_note_write(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto meeting = in.integer("meeting", {.min = 1, .max = INT64_MAX});
  auto body = in.binary("body", {.min_bytes = 1, .max_bytes = max_sealed_body_bytes});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::associate)) return;
  struct outcome {
    std::optional<wire::failure> refusal;
    store::note_row note;
    bool first = false;
  };
  auto result = std::make_shared<outcome>();
  b.db.write().submit(
      [result, id = *meeting, body = std::move(*body), me = c->device->user, now = b.now_ms(),
       rid = req.rid](store::database& db) -> store::result<void> {
        auto m = store::find_meeting(db, id);
        if (!m) return m.error();
        if (!*m || (*m)->m.associate != me || (*m)->m.kind == rules::meeting_kind::supervision) {
          result->refusal = wire::failure{wire::errc::not_found, "no meeting of yours with a headteacher by that id", rid};
          return {};
        }
        if ((*m)->m.state != rules::meeting_state::accepted || (*m)->m.when.start.time_since_epoch().count() > now) {
          wire::failure f{wire::errc::wrong_state, "a note is kept after an accepted meeting has started", rid};
          f.extra["state"] = rules::name((*m)->m.state);
          result->refusal = std::move(f);
          return {};
        }
        auto existing = store::find_note(db, id);
        if (!existing) return existing.error();
        result->first = !*existing;
        result->note = store::note_row{id, me, (*m)->m.counterpart, body,
                                       *existing ? (*existing)->written_at_ms : now, now};
        if (auto w = store::put_note(db, result->note); !w) return w;
        return record(db, now, user_actor(me), result->first ? "note_written" : "note_updated", object_name("meeting", id));
      },
      [&b, c, result, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "note_write", ec);
        if (result->refusal) return b.fail(*c, *result->refusal);
        const auto& n = result->note;
        c->send(wire::make_ok(rid, boost::json::object{{"meeting", n.meeting},
                                                      {"written_at", time_text(n.written_at_ms)},
                                                      {"updated_at", time_text(n.updated_at_ms)}}));
        if (!result->first) return;
        auto frame = std::make_shared<const std::string>(note_notice_event(n));
        for (const auto& other : b.online.of_user(n.headteacher)) other->send(frame);
      });
}

void on_notes(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto meeting = in.integer("meeting", {.min = 1, .max = INT64_MAX, .required = false}).value_or(0);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (c->role != role::associate && c->role != role::headteacher)
    return b.fail(*c, {wire::errc::forbidden, "notes are the associate's; headteachers see that they exist", req.rid});
  const bool own = c->role == role::associate;
  boost::json::array list;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto rows = store::list_notes(db, own ? store::note_scope::by_associate : store::note_scope::of_headteacher,
                                  c->device->user, meeting);
    if (!rows) return rows.error();
    for (const auto& n : *rows) {
      boost::json::object o{{"meeting", n.meeting}, {"written_at", time_text(n.written_at_ms)}};
      if (own) {
        o["updated_at"] = time_text(n.updated_at_ms);
        o["body"] = b64(n.body);
      } else {
        o["by"] = n.associate;
      }
      list.push_back(std::move(o));
    }
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "notes", read.error());
  c->send(wire::make_ok(req.rid, boost::json::object{{"notes", std::move(list)}}));
}

}  // namespace confidant::service
