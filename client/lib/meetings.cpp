#include "client/lib/meetings.hpp"

#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/request.hpp"

#include <boost/json/array.hpp>

namespace confidant::client::meetings {
namespace json = boost::json;
using codec::get_bool;
using codec::get_int;
using codec::get_string;
using codec::get_time;

namespace {

failure bad(std::string_view what) { return make_failure(errc::bad_answer, "the server's answer is malformed: " + std::string{what}); }

outcome<cycle> read_cycle(const json::object& o) {
  cycle c;
  auto pairing = get_int(o, "pairing");
  auto starts = get_string(o, "starts_on");
  auto ends = get_string(o, "ends_on");
  auto used = get_int(o, "meetings_used");
  auto cap = get_int(o, "cap");
  auto due = get_bool(o, "review_due");
  if (!pairing || !starts || !ends || !used || !cap || !due) return bad("cycle");
  c = {*pairing, *starts, *ends, *used, *cap, *due, 0};
  if (auto w = get_int(o, "with")) c.with = *w;
  return c;
}

outcome<term> read_term(const json::object& o) {
  term t;
  auto year = get_string(o, "year");
  auto name = get_string(o, "name");
  auto starts = get_string(o, "starts_on");
  auto ends = get_string(o, "ends_on");
  if (!year || !name || !starts || !ends) return bad("term");
  t.year = *year;
  t.name = *name;
  t.starts_on = *starts;
  t.ends_on = *ends;
  if (auto v = get_int(o, "pairing")) t.pairing = *v;
  if (auto v = get_int(o, "meetings_used")) t.meetings_used = *v;
  if (auto v = get_int(o, "cap")) t.cap = *v;
  if (auto v = get_int(o, "with")) t.with = *v;
  return t;
}

const json::object* member_object(const json::object& o, std::string_view key) {
  const auto* v = o.if_contains(key);
  return v ? v->if_object() : nullptr;
}

}  // namespace

outcome<meeting> read_meeting(const json::object& o) {
  meeting m;
  auto id = get_int(o, "id");
  if (!id) return id.error();
  m.id = *id;
  if (o.contains("pairing")) {
    auto p = get_int(o, "pairing");
    if (!p) return p.error();
    m.pairing = *p;
  }
  const auto* parts = o.if_contains("participants");
  if (!parts || !parts->is_array() || parts->as_array().size() != 2 || !parts->as_array()[0].is_int64() ||
      !parts->as_array()[1].is_int64())
    return bad("`participants` must be two user ids");
  m.participants = {parts->as_array()[0].as_int64(), parts->as_array()[1].as_int64()};
  auto proposer = get_int(o, "proposer");
  auto start = get_time(o, "start");
  auto end = get_time(o, "end");
  auto mode = get_string(o, "mode");
  auto kind = get_string(o, "kind");
  auto state = get_string(o, "state");
  auto seq = get_int(o, "sequence");
  auto created = get_time(o, "created_at");
  auto updated = get_time(o, "updated_at");
  auto changed = get_int(o, "changed_by");
  for (const auto* f : {&proposer, &seq, &changed})
    if (!*f) return f->error();
  for (const auto* f : {&start, &end, &created, &updated})
    if (!*f) return f->error();
  for (const auto* f : {&mode, &kind, &state})
    if (!*f) return f->error();
  m.proposer = *proposer;
  m.start_ms = *start;
  m.end_ms = *end;
  m.mode = *mode;
  m.kind = *kind;
  m.state = *state;
  m.sequence = *seq;
  m.created_at_ms = *created;
  m.updated_at_ms = *updated;
  m.changed_by = *changed;
  if (o.contains("cancel_reason")) {
    auto r = get_string(o, "cancel_reason");
    if (!r) return r.error();
    m.cancel_reason = *r;
  }
  if (o.contains("details")) {
    auto d = codec::get_binary(o, "details", 0, 1, 8192);
    if (!d) return d.error();
    m.details = std::move(*d);
  }
  return m;
}

outcome<answer> read_answer(const json::object& o) {
  const auto* m = member_object(o, "meeting");
  if (!m) return bad("`meeting` missing");
  auto mt = read_meeting(*m);
  if (!mt) return mt.error();
  answer a{std::move(*mt), std::nullopt, std::nullopt};
  if (const auto* c = member_object(o, "cycle")) {
    auto cy = read_cycle(*c);
    if (!cy) return cy.error();
    a.cyc = *cy;
  }
  if (const auto* t = member_object(o, "term")) {
    auto tr = read_term(*t);
    if (!tr) return tr.error();
    a.trm = *tr;
  }
  return a;
}

outcome<listing> read_listing(const json::object& o) {
  listing out;
  const auto* ms = o.if_contains("meetings");
  if (!ms || !ms->is_array()) return bad("`meetings` must be an array");
  for (const auto& v : ms->as_array()) {
    if (!v.is_object()) return bad("`meetings` must hold objects");
    auto m = read_meeting(v.as_object());
    if (!m) return m.error();
    out.meetings.push_back(std::move(*m));
  }
  if (const auto* cs = o.if_contains("cycles"); cs && cs->is_array()) {
    for (const auto& v : cs->as_array()) {
      if (!v.is_object()) return bad("`cycles` must hold objects");
      auto c = read_cycle(v.as_object());
      if (!c) return c.error();
      out.cycles.push_back(*c);
    }
  }
  if (const auto* ts = o.if_contains("terms"); ts && ts->is_array()) {
    for (const auto& v : ts->as_array()) {
      if (!v.is_object()) return bad("`terms` must hold objects");
      auto t = read_term(v.as_object());
      if (!t) return t.error();
      out.terms.push_back(*t);
    }
  }
  return out;
}

outcome<std::vector<window>> read_windows(const json::object& o) {
  const auto* ws = o.if_contains("windows");
  if (!ws || !ws->is_array()) return bad("`windows` must be an array");
  std::vector<window> out;
  for (const auto& v : ws->as_array()) {
    if (!v.is_object()) return bad("`windows` must hold objects");
    auto s = get_time(v.as_object(), "start");
    auto e = get_time(v.as_object(), "end");
    if (!s) return s.error();
    if (!e) return e.error();
    out.push_back({*s, *e});
  }
  return out;
}

outcome<event> read_event(const json::object& o) {
  auto change = get_string(o, "change");
  auto by = get_int(o, "by");
  if (!change) return change.error();
  if (!by) return by.error();
  const auto* m = member_object(o, "meeting");
  if (!m) return bad("`meeting` missing");
  auto mt = read_meeting(*m);
  if (!mt) return mt.error();
  return event{*change, *by, std::move(*mt)};
}

json::object proposal_fields(const proposal& p) {
  json::object f{{"with", p.with},
                 {"start", codec::format_time_ms(p.start_ms)},
                 {"end", codec::format_time_ms(p.end_ms)},
                 {"mode", p.mode},
                 {"kind", p.kind}};
  if (!p.details.empty()) f["details"] = bodies_json(p.details);
  return f;
}

json::array bodies_json(const std::vector<details_for>& bodies) {
  json::array out;
  for (const auto& d : bodies) out.push_back({{"user", d.user}, {"body", base64url_encode(d.body)}});
  return out;
}

outcome<json::object> calls::ask(std::string_view type, json::object fields, std::string_view what) {
  return request_ok(conn, type, std::move(fields), what, refusal_members);
}

outcome<answer> calls::propose(const proposal& p) {
  auto r = ask("meeting_propose", proposal_fields(p), "proposing the meeting");
  if (!r) return r.error();
  return read_answer(*r);
}

outcome<answer> calls::accept(std::int64_t id) {
  auto r = ask("meeting_accept", {{"meeting", id}}, "accepting meeting " + std::to_string(id));
  if (!r) return r.error();
  return read_answer(*r);
}

outcome<answer> calls::decline(std::int64_t id) {
  auto r = ask("meeting_decline", {{"meeting", id}}, "declining meeting " + std::to_string(id));
  if (!r) return r.error();
  return read_answer(*r);
}

outcome<answer> calls::cancel(std::int64_t id, std::string_view reason) {
  auto r = ask("meeting_cancel", {{"meeting", id}, {"reason", reason}}, "cancelling meeting " + std::to_string(id));
  if (!r) return r.error();
  return read_answer(*r);
}

outcome<answer> calls::reschedule(std::int64_t id, std::int64_t start_ms, std::int64_t end_ms,
                                  std::optional<std::string> mode, const std::vector<details_for>& details) {
  json::object f{{"meeting", id}, {"start", codec::format_time_ms(start_ms)}, {"end", codec::format_time_ms(end_ms)}};
  if (mode) f["mode"] = *mode;
  if (!details.empty()) f["details"] = bodies_json(details);
  auto r = ask("meeting_reschedule", std::move(f), "rescheduling meeting " + std::to_string(id));
  if (!r) return r.error();
  return read_answer(*r);
}

outcome<listing> calls::list(std::int64_t from_ms, std::int64_t to_ms) {
  auto r = ask("meetings", {{"from", codec::format_time_ms(from_ms)}, {"to", codec::format_time_ms(to_ms)}},
               "listing meetings");
  if (!r) return r.error();
  return read_listing(*r);
}

outcome<std::vector<window>> calls::windows(std::optional<std::int64_t> user, std::int64_t from_ms, std::int64_t to_ms) {
  json::object f{{"from", codec::format_time_ms(from_ms)}, {"to", codec::format_time_ms(to_ms)}};
  if (user) f["user"] = *user;
  auto r = ask("windows", std::move(f), "reading contact windows");
  if (!r) return r.error();
  return read_windows(*r);
}

outcome<json::object> calls::set_window(const std::vector<int>& days, const std::string& start, const std::string& end) {
  json::array list;
  for (const auto d : days) list.push_back(d);
  json::object f{{"days", std::move(list)}};
  if (!start.empty()) f["start"] = start;
  if (!end.empty()) f["end"] = end;
  return ask("window_set", std::move(f), "setting your contact window");
}

outcome<json::object> calls::clear_window() { return ask("window_clear", {}, "clearing your contact window"); }

}  // namespace confidant::client::meetings
