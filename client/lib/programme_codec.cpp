// Reading the programme's answers and events (docs/protocol.md 7.29-7.40) and building the fields
// of profile_set and request_create.
#include "client/lib/json_reader.hpp"
#include "client/lib/meetings.hpp"
#include "client/lib/programme.hpp"

#include <boost/json/array.hpp>

namespace confidant::client::programme {
namespace json = boost::json;
using codec::reader;

namespace {

constexpr std::size_t max_body = sealed_body::max_body;

json::array strings_json(const std::vector<std::string>& v) {
  json::array out;
  for (const auto& s : v) out.emplace_back(s);
  return out;
}

// The members an offer shares with a profile.
void read_public_profile(reader& r, profile& p) {
  p.region = r.opt_text("region");
  p.size_band = r.opt_text("size_band");
  p.school_types = r.texts("school_types");
  p.phase = r.opt_text("phase");
  p.summary = r.opt_text("summary");
  p.skills = r.texts("skills");
  p.availability = r.opt_text("availability");
}

profile read_profile(const json::object& o, reader& outer) {
  reader r{o};
  profile p;
  read_public_profile(r, p);
  p.capacity = r.opt_integer("capacity");
  p.school = r.opt_text("school");
  p.federation = r.opt_text("federation");
  p.conflicts = r.texts("conflicts");
  if (r.failed()) outer.fail(r.error());
  return p;
}

evidence read_evidence(const json::object& o, reader& outer) {
  reader r{o};
  evidence e;
  e.years_as_headteacher = r.integer("years_as_headteacher");
  e.last_inspection = r.text("last_inspection");
  e.training_completed = r.boolean("training_completed");
  e.coaching_record = r.boolean("coaching_record");
  e.recorded_by = r.opt_integer("recorded_by");
  e.recorded_at_ms = r.opt_time("recorded_at").value_or(0);
  if (r.failed()) outer.fail(r.error());
  return e;
}

template <class T, class F>
outcome<std::vector<T>> read_list(const json::object& answer, std::string_view key, F read_one) {
  reader r{answer};
  std::vector<T> out;
  for (const auto* o : r.objects(key, true)) {
    auto one = read_one(*o);
    if (!one) return one.error();
    out.push_back(std::move(*one));
  }
  if (r.failed()) return r.error();
  return out;
}

}  // namespace

bool cycle::is_request() const { return state == "requested" || state == "offered" || state == "preferred"; }
bool cycle::is_open_partnership() const { return state == "paired" || state == "active" || state == "review_due"; }
bool cycle::is_final() const { return state == "extended" || state == "closed" || state == "ended_early"; }

outcome<associate> read_associate(const json::object& o) {
  reader r{o};
  associate a;
  a.user = r.integer("user");
  a.display_name = r.text("display_name");
  a.status = r.text("status");
  a.load = r.opt_integer("load");
  if (const auto* p = r.object("profile", false)) a.prof = read_profile(*p, r);
  if (const auto* e = r.object("evidence", false)) a.evid = read_evidence(*e, r);
  a.suspended_reason = r.opt_text("suspended_reason");
  if (r.failed()) return r.error();
  return a;
}

outcome<cycle> read_cycle(const json::object& o) {
  reader r{o};
  cycle c;
  c.id = r.integer("cycle");
  c.state = r.text("state");
  c.headteacher = r.integer("headteacher");
  c.associate = r.opt_integer("associate");
  c.previous = r.opt_integer("previous");
  c.school = r.opt_text("school");
  c.federation = r.opt_text("federation");
  c.region = r.opt_text("region");
  c.phase = r.opt_text("phase");
  c.size_band = r.opt_text("size_band");
  c.preferences = r.integers("preferences");
  c.concern = r.opt_binary("concern", max_body);
  c.requested_at_ms = r.time("requested_at");
  c.paired_at_ms = r.opt_time("paired_at");
  c.active_at_ms = r.opt_time("active_at");
  c.review_at_ms = r.opt_time("review_at");
  c.ended_at_ms = r.opt_time("ended_at");
  c.reason = r.opt_text("reason");
  c.starts_on = r.opt_text("starts_on");
  c.ends_on = r.opt_text("ends_on");
  c.meetings_held = r.opt_integer("meetings_held");
  c.in_person_used = r.opt_integer("in_person_used");
  c.in_person_cap = r.opt_integer("in_person_cap");
  if (const auto* e = r.object("end_request", false)) {
    reader er{*e};
    c.end_request = end_request_info{er.integer("by"), er.text("reason"), er.time("at")};
    if (er.failed()) r.fail(er.error());
  }
  c.feedback = r.opt_text("feedback");
  if (r.failed()) return r.error();
  return c;
}

outcome<std::vector<associate>> read_associates(const json::object& answer) {
  return read_list<associate>(answer, "associates", read_associate);
}

outcome<std::vector<cycle>> read_cycles(const json::object& answer) {
  return read_list<cycle>(answer, "cycles", read_cycle);
}

outcome<std::vector<offer>> read_offers(const json::object& answer) {
  return read_list<offer>(answer, "offers", [](const json::object& o) -> outcome<offer> {
    reader r{o};
    offer x;
    x.user = r.integer("user");
    x.display_name = r.text("display_name");
    read_public_profile(r, x.prof);
    x.free_places = r.integer("free_places");
    if (r.failed()) return r.error();
    return x;
  });
}

outcome<feedback> read_feedback(const json::object& o) {
  reader r{o};
  feedback f;
  f.cycle = r.integer("cycle");
  f.asked_by = r.integer("asked_by");
  f.asked_at_ms = r.time("asked_at");
  f.questions = r.texts("questions");
  f.submitted_at_ms = r.opt_time("submitted_at");
  for (const auto* a : r.objects("answers")) {
    reader ar{*a};
    f.answers.push_back({ar.integer("item"), ar.opt_binary("body", max_body), ar.opt_time("released_at")});
    if (ar.failed()) r.fail(ar.error());
  }
  for (const auto* a : r.objects("released")) {
    reader ar{*a};
    f.released.push_back({ar.integer("item"), ar.text("question"), ar.opt_binary("body", max_body), ar.time("released_at")});
    if (ar.failed()) r.fail(ar.error());
  }
  if (r.failed()) return r.error();
  return f;
}

outcome<std::vector<note>> read_notes(const json::object& answer) {
  return read_list<note>(answer, "notes", read_note);
}

outcome<stats> read_stats(const json::object& answer) {
  reader r{answer};
  stats s;
  s.generated_at_ms = r.time("generated_at");
  if (const auto* by_state = r.object("cycles_by_state")) {
    reader br{*by_state};
    for (const auto st : states) s.cycles_by_state[std::string{st}] = br.opt_integer(st);
    if (br.failed()) r.fail(br.error());
  }
  if (const auto* t = r.object("time_to_pairing")) {
    reader tr{*t};
    s.paired_count = tr.integer("count");
    s.median_hours = tr.number("median_hours");
    s.max_hours = tr.number("max_hours");
    if (tr.failed()) r.fail(tr.error());
  }
  s.active_cycles = r.integer("active_cycles");
  if (const auto* m = r.object("meetings_held")) {
    reader mr{*m};
    s.meetings_total = mr.integer("total");
    s.meetings_cycles = mr.integer("cycles");
    s.mean_per_cycle = mr.number("mean_per_cycle");
    if (mr.failed()) r.fail(mr.error());
  }
  s.cycles_reached_review = r.integer("cycles_reached_review");
  for (const auto* a : r.objects("associates", true)) {
    reader ar{*a};
    s.associates.push_back({ar.integer("user"), ar.text("display_name"), ar.text("status"), ar.integer("load"),
                            ar.integer("capacity")});
    if (ar.failed()) r.fail(ar.error());
  }
  for (const auto* c : r.objects("cycles", true)) {
    reader cr{*c};
    stats::cycle_row row;
    row.cycle = cr.integer("cycle");
    row.state = cr.text("state");
    row.headteacher = cr.integer("headteacher");
    row.associate = cr.opt_integer("associate");
    row.requested_at_ms = cr.time("requested_at");
    row.paired_at_ms = cr.opt_time("paired_at");
    if (cr.has("hours_to_pairing")) row.hours_to_pairing = cr.number("hours_to_pairing");
    row.meetings_held = cr.integer("meetings_held");
    row.reached_review = cr.boolean("reached_review");
    if (cr.failed()) r.fail(cr.error());
    s.cycles.push_back(std::move(row));
  }
  if (r.failed()) return r.error();
  return s;
}

outcome<shown_cycle> read_shown_cycle(const json::object& answer) {
  reader r{answer};
  const auto* c = r.object("cycle");
  if (r.failed()) return r.error();
  auto cy = read_cycle(*c);
  if (!cy) return cy.error();
  shown_cycle out{std::move(*cy), {}};
  for (const auto* h : r.objects("history")) {
    auto item = codec::read_history_item(*h);
    if (!item) return item.error();
    out.history.push_back(std::move(*item));
  }
  if (r.failed()) return r.error();
  return out;
}

outcome<ended> read_ended(const json::object& answer) {
  reader r{answer};
  const auto* c = r.object("cycle");
  const auto* again = r.object("rematch", false);
  if (r.failed()) return r.error();
  auto cy = read_cycle(*c);
  if (!cy) return cy.error();
  ended out{std::move(*cy), std::nullopt};
  if (again) {
    auto m = read_cycle(*again);
    if (!m) return m.error();
    out.rematch = std::move(*m);
  }
  return out;
}

outcome<note> read_note(const json::object& o) {
  reader r{o};
  note n;
  n.meeting = r.integer("meeting");
  n.written_at_ms = r.time("written_at");
  n.updated_at_ms = r.opt_time("updated_at").value_or(n.written_at_ms);
  n.body = r.opt_binary("body", max_body);
  n.by = r.opt_integer("by");
  if (r.failed()) return r.error();
  return n;
}

outcome<cycle_event> read_cycle_event(const json::object& o) {
  reader r{o};
  cycle_event e;
  e.change = r.text("change");
  e.by = r.opt_integer("by");
  e.prompt = r.opt_text("prompt");
  e.item = r.opt_integer("item");
  const auto* c = r.object("cycle");
  if (r.failed()) return r.error();
  auto cy = read_cycle(*c);
  if (!cy) return cy.error();
  e.c = std::move(*cy);
  return e;
}

outcome<note_notice> read_note_notice(const json::object& o) {
  reader r{o};
  note_notice n{r.integer("meeting"), r.time("written_at")};
  if (r.failed()) return r.error();
  return n;
}

json::object profile_fields(const profile& p) {
  json::object f{{"region", p.region},       {"size_band", p.size_band},
                 {"phase", p.phase},         {"capacity", p.capacity},
                 {"school", p.school},       {"school_types", strings_json(p.school_types)},
                 {"skills", strings_json(p.skills)}, {"conflicts", strings_json(p.conflicts)}};
  if (!p.summary.empty()) f["summary"] = p.summary;
  if (!p.availability.empty()) f["availability"] = p.availability;
  if (!p.federation.empty()) f["federation"] = p.federation;
  return f;
}

json::object request_fields(const request& r) {
  json::object f{{"school", r.school}, {"region", r.region}};
  if (!r.federation.empty()) f["federation"] = r.federation;
  if (!r.phase.empty()) f["phase"] = r.phase;
  if (!r.size_band.empty()) f["size_band"] = r.size_band;
  if (!r.concern.empty()) f["concern"] = meetings::bodies_json(r.concern);
  return f;
}

}  // namespace confidant::client::programme
