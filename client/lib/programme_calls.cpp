// The programme's requests of docs/protocol.md 7.30-7.39 on a logged-in connection.
#include "client/lib/base64url.hpp"
#include "client/lib/meetings.hpp"
#include "client/lib/programme.hpp"
#include "client/lib/request.hpp"

#include <boost/json/array.hpp>

namespace confidant::client::programme {
namespace json = boost::json;

namespace {

json::string_view sv(std::string_view s) { return {s.data(), s.size()}; }
std::string of_cycle(std::int64_t id) { return " cycle " + std::to_string(id); }

// The answer's member `key` read by `read`.
template <class F>
auto inner(const json::object& answer, std::string_view key, F read) -> decltype(read(answer)) {
  const auto* v = answer.if_contains(sv(key));
  if (!v || !v->is_object())
    return make_failure(errc::bad_answer, "the server's answer is malformed: `" + std::string{key} + "` missing");
  return read(v->as_object());
}

}  // namespace

outcome<json::object> calls::ask(std::string_view type, json::object fields, std::string_view what) {
  return request_ok(conn, type, std::move(fields), what, refusal_members);
}

outcome<cycle> calls::ask_cycle(std::string_view type, json::object fields, std::string_view what) {
  auto r = ask(type, std::move(fields), what);
  if (!r) return r.error();
  return inner(*r, "cycle", read_cycle);
}

outcome<associate> calls::ask_associate(std::string_view type, json::object fields, std::string_view what) {
  auto r = ask(type, std::move(fields), what);
  if (!r) return r.error();
  return inner(*r, "associate", read_associate);
}

outcome<feedback> calls::ask_feedback(std::string_view type, json::object fields, std::string_view what) {
  auto r = ask(type, std::move(fields), what);
  if (!r) return r.error();
  return inner(*r, "feedback", read_feedback);
}

// --- associates --------------------------------------------------------------------------------------

outcome<associate> calls::profile_set(const profile& p) {
  return ask_associate("profile_set", profile_fields(p), "saving your profile");
}

outcome<associate> calls::profile_of(std::optional<std::int64_t> user) {
  json::object f;
  if (user) f["user"] = *user;
  return ask_associate("profile", std::move(f), "reading the profile");
}

outcome<std::vector<associate>> calls::associates(std::optional<std::string> status) {
  json::object f;
  if (status) f["status"] = *status;
  auto r = ask("associates", std::move(f), "listing associates");
  if (!r) return r.error();
  return read_associates(*r);
}

outcome<associate> calls::approve(std::int64_t associate_user, const evidence& e) {
  return ask_associate("associate_approve",
                       {{"associate", associate_user},
                        {"years_as_headteacher", e.years_as_headteacher},
                        {"last_inspection", e.last_inspection},
                        {"training_completed", e.training_completed},
                        {"coaching_record", e.coaching_record}},
                       "approving user " + std::to_string(associate_user));
}

outcome<associate> calls::suspend(std::int64_t associate_user, std::string_view reason) {
  return ask_associate("associate_suspend", {{"associate", associate_user}, {"reason", sv(reason)}},
                       "suspending user " + std::to_string(associate_user));
}

// --- requests and offers ---------------------------------------------------------------------------------

outcome<cycle> calls::request_create(const request& r) {
  return ask_cycle("request_create", request_fields(r), "requesting support");
}

outcome<cycle> calls::request_withdraw(std::int64_t id) {
  return ask_cycle("request_withdraw", {{"cycle", id}}, "withdrawing the request of" + of_cycle(id));
}

outcome<std::vector<offer>> calls::offers(std::int64_t id, const offer_filters& f) {
  json::object fields{{"cycle", id}};
  for (const auto& [key, value] : {std::pair{"region", &f.region}, std::pair{"size_band", &f.size_band},
                                   std::pair{"school_type", &f.school_type}, std::pair{"phase", &f.phase},
                                   std::pair{"skill", &f.skill}})
    if (!value->empty()) fields[key] = *value;
  auto r = ask("offers", std::move(fields), "reading the offers for" + of_cycle(id));
  if (!r) return r.error();
  return read_offers(*r);
}

outcome<cycle> calls::prefer(std::int64_t id, const std::vector<std::int64_t>& ranked) {
  json::array list;
  for (const auto a : ranked) list.emplace_back(a);
  return ask_cycle("prefer", {{"cycle", id}, {"associates", std::move(list)}}, "ranking associates for" + of_cycle(id));
}

// --- cycles -------------------------------------------------------------------------------------------

outcome<std::vector<cycle>> calls::cycles(std::optional<std::string> state) {
  json::object f;
  if (state) f["state"] = *state;
  auto r = ask("cycles", std::move(f), "listing cycles");
  if (!r) return r.error();
  return read_cycles(*r);
}

outcome<shown_cycle> calls::cycle_show(std::int64_t id) {
  auto r = ask("cycle_show", {{"cycle", id}}, "reading" + of_cycle(id));
  if (!r) return r.error();
  return read_shown_cycle(*r);
}

outcome<cycle> calls::pair(std::int64_t id, std::int64_t associate_user) {
  return ask_cycle("pair", {{"cycle", id}, {"associate", associate_user}}, "pairing" + of_cycle(id));
}

outcome<cycle> calls::request_decline(std::int64_t id, std::string_view reason) {
  return ask_cycle("request_decline", {{"cycle", id}, {"reason", sv(reason)}}, "declining the request of" + of_cycle(id));
}

outcome<cycle> calls::extend(std::int64_t id) { return ask_cycle("cycle_extend", {{"cycle", id}}, "extending" + of_cycle(id)); }

outcome<cycle> calls::close(std::int64_t id) { return ask_cycle("cycle_close", {{"cycle", id}}, "closing" + of_cycle(id)); }

outcome<cycle> calls::end_request(std::int64_t id, std::string_view reason) {
  return ask_cycle("end_request", {{"cycle", id}, {"reason", sv(reason)}}, "asking to end" + of_cycle(id));
}

outcome<ended> calls::end(std::int64_t id, std::string_view reason, bool rematch) {
  json::object f{{"cycle", id}, {"reason", sv(reason)}};
  if (rematch) f["rematch"] = true;
  auto r = ask("cycle_end", std::move(f), "ending" + of_cycle(id));
  if (!r) return r.error();
  return read_ended(*r);
}

// --- feedback, notes, statistics -----------------------------------------------------------------------------

outcome<feedback> calls::feedback_request(std::int64_t id, const std::vector<std::string>& questions) {
  json::array list;
  for (const auto& q : questions) list.emplace_back(q);
  return ask_feedback("feedback_request", {{"cycle", id}, {"questions", std::move(list)}},
                      "asking for feedback on" + of_cycle(id));
}

outcome<feedback> calls::feedback_submit(std::int64_t id, const std::vector<answer_in>& answers) {
  json::array list;
  for (const auto& a : answers) list.push_back({{"item", a.item}, {"bodies", meetings::bodies_json(a.bodies)}});
  return ask_feedback("feedback_submit", {{"cycle", id}, {"answers", std::move(list)}},
                      "submitting feedback on" + of_cycle(id));
}

outcome<feedback> calls::feedback_release(std::int64_t id, std::int64_t item, const bytes& body) {
  return ask_feedback("feedback_release", {{"cycle", id}, {"item", item}, {"body", base64url_encode(body)}},
                      "releasing item " + std::to_string(item) + " of the feedback on" + of_cycle(id));
}

outcome<feedback> calls::feedback_of(std::int64_t id) {
  return ask_feedback("feedback", {{"cycle", id}}, "reading the feedback on" + of_cycle(id));
}

outcome<note> calls::note_write(std::int64_t meeting, const bytes& body) {
  auto r = ask("note_write", {{"meeting", meeting}, {"body", base64url_encode(body)}},
               "writing the note of meeting " + std::to_string(meeting));
  if (!r) return r.error();
  auto n = read_note(*r);
  if (n) n->body = body;
  return n;
}

outcome<std::vector<note>> calls::notes(std::optional<std::int64_t> meeting) {
  json::object f;
  if (meeting) f["meeting"] = *meeting;
  auto r = ask("notes", std::move(f), "listing notes");
  if (!r) return r.error();
  return read_notes(*r);
}

outcome<stats> calls::statistics() {
  auto r = ask("stats", {}, "reading the programme statistics");
  if (!r) return r.error();
  return read_stats(*r);
}

}  // namespace confidant::client::programme
