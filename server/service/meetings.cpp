// meeting_propose, meeting_accept, meeting_decline, meeting_cancel, meeting_reschedule, meetings,
// windows (protocol.md 7.16-7.22). Every change runs as one writer job: the rules
// (server/rules/meetings.hpp) read the participants' meetings on the write connection and the
// change is written in the same transaction, so racing proposals can never exceed a cap or
// double-book anyone.
#include "server/rules/calendar_queries.hpp"
#include "server/rules/meetings.hpp"
#include "server/rules/relationships.hpp"
#include "server/service/audit.hpp"
#include "server/service/cycle_progress.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/meeting_json.hpp"
#include "server/store/accounts.hpp"
#include "server/store/cycles.hpp"
#include "server/store/meetings.hpp"
#include "server/store/personal_windows.hpp"
#include "server/service/personal_windows.hpp"
#include "server/service/reminders.hpp"

#include <algorithm>
#include <initializer_list>
#include <map>

namespace confidant::service {
namespace {

using rules::meeting_kind;
using rules::meeting_state;
using rules::role;

constexpr std::int64_t max_list_days = 400;
constexpr std::int64_t max_window_days = 62;
constexpr std::size_t max_listed = 1000;

std::optional<rules::time_point> read_time(wire::field_reader& in, std::string_view key, bool required = true) {
  const auto text = in.text(key, {.min_length = 1, .max_length = 64, .required = required});
  if (!text) return std::nullopt;
  auto t = rules::parse_utc(*text);
  if (!t) in.reject(wire::errc::invalid_field, "field `" + std::string{key} + "` must be a time YYYY-MM-DDTHH:MM:SS.mmmZ");
  return t;
}

template <class E>
std::optional<E> read_enum(wire::field_reader& in, std::string_view key, std::optional<E> (*parse)(std::string_view) noexcept,
                           std::string_view allowed, bool required = true) {
  const auto text = in.text(key, {.min_length = 1, .max_length = 32, .required = required});
  if (!text) return std::nullopt;
  auto v = parse(*text);
  if (!v) in.reject(wire::errc::invalid_field, "field `" + std::string{key} + "` must be one of " + std::string{allowed});
  return v;
}

// `details`: 1 or 2 objects {user, body}, one per participant at most.
std::optional<sealed_bodies> read_details(wire::field_reader& in) { return read_sealed_bodies(in, "details", 2, false); }

wire::failure to_failure(const rules::meeting_refusal& r, const std::string& rid) {
  using rules::meeting_rule;
  switch (r.rule) {
    case meeting_rule::in_past: return {wire::errc::invalid_field, "field `start`: " + r.message, rid};
    case meeting_rule::outside_window: {
      wire::failure f{wire::errc::contact_window_closed, r.message, rid};
      f.extra["rule"] = "contact_window";
      f.extra["user"] = r.user;
      if (r.next_opening) f.extra["next_opening"] = rules::format_utc(*r.next_opening);
      return f;
    }
    case meeting_rule::too_long: {
      wire::failure f{wire::errc::meeting_too_long, r.message, rid};
      f.extra["rule"] = "initial_meeting_length";
      f.extra["max_minutes"] = r.limit.count();
      return f;
    }
    case meeting_rule::double_booked: {
      wire::failure f{wire::errc::meeting_conflict, r.message, rid};
      f.extra["rule"] = "double_booking";
      f.extra["user"] = r.user;
      f.extra["buffer_minutes"] = r.limit.count();
      return f;
    }
    case meeting_rule::cycle_cap: {
      wire::failure f{wire::errc::meeting_cap_reached, r.message, rid};
      f.extra["rule"] = "in_person_per_cycle";
      f.extra["used"] = r.used;
      f.extra["cap"] = r.cap;
      f.extra["ends_on"] = rules::format_civil_date(*r.ends_on);
      return f;
    }
    case meeting_rule::cycle_ended: {
      wire::failure f{wire::errc::cycle_review_due, r.message, rid};
      f.extra["rule"] = "cycle_length";
      f.extra["ends_on"] = rules::format_civil_date(*r.ends_on);
      return f;
    }
    case meeting_rule::term_cap: {
      wire::failure f{wire::errc::meeting_cap_reached, r.message, rid};
      f.extra["rule"] = "per_term";
      f.extra["used"] = r.used;
      f.extra["cap"] = r.cap;
      f.extra["term"] = term_json(*r.term);
      return f;
    }
  }
  return {wire::errc::internal_error, "unknown meeting rule", rid};
}

// What a meeting job found: a refusal, or the meeting as stored with both participants' details
// (each participant sees only their own) and the allowances after the change.
struct outcome {
  std::optional<wire::failure> refusal;
  store::meeting_row row;
  sealed_bodies details;
  std::optional<boost::json::object> cycle;
  std::optional<boost::json::object> term;
  std::optional<rules::time_point> reminder;  // the earliest new reminder, for the timer
  std::vector<cycle_notice> cycle_notices;    // the cycle moved on (active, review_due)
};
using outcome_ptr = std::shared_ptr<outcome>;

// The participants' meetings near `when` (the busy time the rules look at).
store::result<std::vector<rules::meeting>> busy_near(store::database& db, const rules::policy& pol,
                                                     std::initializer_list<std::int64_t> users, rules::interval when) {
  std::vector<rules::meeting> out;
  const auto pad = std::chrono::milliseconds{pol.meeting_buffer};
  for (const auto u : users) {
    auto rows = store::meetings_of_user(db, u, (when.start - pad).time_since_epoch().count(),
                                        (when.end + pad).time_since_epoch().count());
    if (!rows) return rows.error();
    for (const auto& r : *rows) out.push_back(r.m);
  }
  return out;
}

// Runs the rules for `p` on the write connection; nullopt when the proposal may be stored.
store::result<std::optional<rules::meeting_refusal>> check(store::database& db, const rules::policy& pol,
                                                           const calendars& cals, rules::time_point now,
                                                           const rules::meeting_proposal& p, std::int64_t cycle) {
  auto busy = busy_near(db, pol, {p.associate, p.counterpart}, p.when);
  if (!busy) return busy.error();
  std::vector<rules::meeting> pairing;
  if (cycle != 0) {
    auto all = store::meetings_of_cycle(db, cycle);
    if (!all) return all.error();
    pairing = std::move(*all);
  }
  auto associate_calendar = contact_calendar(db, cals, p.associate);
  if (!associate_calendar) return associate_calendar.error();
  auto counterpart_calendar = contact_calendar(db, cals, p.counterpart);
  if (!counterpart_calendar) return counterpart_calendar.error();
  const rules::meeting_context ctx{pol, *associate_calendar, *counterpart_calendar, *busy, pairing, now};
  return rules::check_proposal(ctx, p);
}

// A cycle under review takes no new meetings until the coordinator extends or closes it.
std::optional<wire::failure> review_gate(const store::cycle_row& cycle, const std::string& rid) {
  if (cycle.state != rules::cycle_state::review_due) return std::nullopt;
  wire::failure f{wire::errc::cycle_review_due, "the cycle's review is due: the coordinator extends or closes it first", rid};
  f.extra["rule"] = "cycle_review";
  return f;
}

// Accepting or rescheduling a meeting needs its cycle still open and not under review.
store::result<std::optional<wire::failure>> cycle_gate(store::database& db, const store::meeting_row& row,
                                                       const std::string& rid) {
  if (row.cycle == 0) return std::optional<wire::failure>{};
  auto cycle = store::find_cycle(db, row.cycle);
  if (!cycle) return cycle.error();
  if (!*cycle || !rules::pairing_open((*cycle)->state))
    return std::optional<wire::failure>{wire::failure{wire::errc::not_paired, "the partnership of this meeting has ended", rid}};
  return review_gate(**cycle, rid);
}

// An existing meeting's new time (reschedule) or acceptance: its cycle still open and not under
// review, then the rules again.
store::result<std::optional<wire::failure>> recheck(store::database& db, const rules::policy& pol, const calendars& cals,
                                                    rules::time_point now, const rules::meeting_proposal& p,
                                                    const store::meeting_row& row, const std::string& rid) {
  auto gate = cycle_gate(db, row, rid);
  if (!gate || *gate) return gate;
  auto verdict = check(db, pol, cals, now, p, row.cycle);
  if (!verdict) return verdict.error();
  if (*verdict) return std::optional<wire::failure>{to_failure(**verdict, rid)};
  return std::optional<wire::failure>{};
}

// Fills the outcome after a change: the stored row, both details, the allowances.
store::result<void> finish(store::database& db, const rules::policy& pol, const calendars& cals, rules::time_point now,
                           std::int64_t id, outcome& out) {
  auto row = store::find_meeting(db, id);
  if (!row) return row.error();
  if (!*row) return store::errc::misuse;
  out.row = std::move(**row);
  for (const auto u : {out.row.m.associate, out.row.m.counterpart}) {
    auto d = store::meeting_details(db, id, u);
    if (!d) return d.error();
    if (!d->empty()) out.details[u] = std::move(*d);
  }
  if (out.row.cycle != 0) {
    auto all = store::meetings_of_cycle(db, out.row.cycle);
    if (!all) return all.error();
    const auto& cal = cals.school_contact;  // terms and cycles run on the school's dates
    if (auto c = rules::cycle_of(pol, cal, *all, rules::to_civil(cal.zone(), now).day))
      out.cycle = cycle_json(out.row.m.pairing, *c);
    if (auto t = rules::term_of(pol, cal, *all, rules::to_civil(cal.zone(), out.row.m.when.start).day))
      out.term = term_status_json(out.row.m.pairing, *t);
  }
  return {};
}

std::vector<unsigned char> details_for(const outcome& o, std::int64_t user) {
  auto it = o.details.find(user);
  return it == o.details.end() ? std::vector<unsigned char>{} : it->second;
}

// Answers the caller and tells every other live connection of both participants.
void answer(backend& b, const conn_ptr& c, const std::string& rid, const outcome& o, std::string_view change) {
  const auto me = c->device->user;
  boost::json::object out;
  out["meeting"] = meeting_json(o.row, details_for(o, me));
  if (o.cycle) out["cycle"] = *o.cycle;
  if (o.term) out["term"] = *o.term;
  c->send(wire::make_ok(rid, std::move(out)));
  for (const auto user : {o.row.m.associate, o.row.m.counterpart}) {
    auto frame = std::make_shared<const std::string>(meeting_event(o.row, details_for(o, user), change, me));
    for (const auto& other : b.online.of_user(user))
      if (other.get() != c.get()) other->send(frame);
  }
}

void run_change(backend& b, const conn_ptr& c, const wire::request& req, std::string_view what, std::string_view change,
                std::function<store::result<void>(store::database&, outcome&)> job) {
  auto result = std::make_shared<outcome>();
  b.db.write().submit(
      [&b, job = std::move(job), result, me = c->device->user, now = b.clock.now(),
       action = "meeting_" + std::string{change}](store::database& db) -> store::result<void> {
        if (auto r = job(db, *result); !r || result->refusal) return r;
        const auto& m = result->row.m;
        auto reminder = schedule_reminders(db, b, result->row, now);
        if (!reminder) return reminder.error();
        result->reminder = *reminder;
        if (result->row.cycle != 0) {
          auto moved = progress_cycle(db, {b.policy, *b.calendars, now}, result->row.cycle);
          if (!moved) return moved.error();
          result->cycle_notices = std::move(*moved);
        }
        return record(db, now.time_since_epoch().count(), user_actor(me), action, object_name("meeting", m.id),
                      {{"kind", rules::name(m.kind)}, {"mode", rules::name(m.mode)}, {"sequence", result->row.sequence}});
      },
      [&b, c, result, rid = req.rid, what = std::string{what}, change = std::string{change}](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, what, ec);
        if (result->refusal) return b.fail(*c, *result->refusal);
        answer(b, c, rid, *result, change);
        if (result->reminder && b.on_reminder) b.on_reminder(*result->reminder);
        for (const auto& n : result->cycle_notices) publish(b, n, nullptr);
        const auto& m = result->row.m;
        if (m.state == rules::meeting_state::accepted && result->row.cycle != 0 && b.on_cycle_due)
          b.on_cycle_due(m.when.start);
      });
}

// Who may meet whom (protocol.md 7.16): supervision is a coordinator with an associate; the
// other kinds are a paired headteacher and associate.
std::optional<wire::failure> check_roles(role caller, role other, meeting_kind kind, const std::string& rid) {
  const bool supervision = kind == meeting_kind::supervision;
  const auto needs_a = supervision ? role::coordinator : role::headteacher;
  if (caller != needs_a && caller != role::associate) {
    return wire::failure{wire::errc::forbidden,
                         supervision ? "supervision meetings are between a coordinator and an associate"
                                     : "meetings are between a headteacher and an associate",
                         rid};
  }
  const auto needs_other = caller == role::associate ? needs_a : role::associate;
  if (other != needs_other) {
    return wire::failure{wire::errc::wrong_role, "field `with` must name a " + std::string{rules::name(needs_other)}, rid};
  }
  return std::nullopt;
}

// The meeting named by field `meeting`, if the caller takes part in it.
store::result<bool> load_own(store::database& db, std::int64_t id, std::int64_t me, outcome& out, const std::string& rid) {
  auto row = store::find_meeting(db, id);
  if (!row) return {boost::system::in_place_error, row.error()};
  if (!*row || !(*row)->m.involves(me)) {
    out.refusal = wire::failure{wire::errc::not_found, "no meeting with that id of yours", rid};
    return false;
  }
  out.row = std::move(**row);
  return true;
}

wire::failure wrong_state(const store::meeting_row& r, std::string why, const std::string& rid) {
  wire::failure f{wire::errc::wrong_state, std::move(why), rid};
  f.extra["state"] = std::string{rules::name(r.m.state)};
  return f;
}

}  // namespace

void on_meeting_propose(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto with = in.integer("with", {.min = 1, .max = max_user_id});
  const auto start = read_time(in, "start");
  const auto end = read_time(in, "end");
  const auto mode = read_enum(in, "mode", rules::parse_meeting_mode, "in_person, online, phone");
  const auto kind = read_enum(in, "kind", rules::parse_meeting_kind, "initial, support, supervision");
  auto details = read_details(in);
  const auto me = c->device->user;
  if (in.ok() && *with == me) in.reject(wire::errc::invalid_field, "field `with` may not name yourself");
  if (in.ok() && *end <= *start) in.reject(wire::errc::invalid_field, "field `end` must be after `start`");
  if (in.ok()) {
    for (const auto& [u, body] : *details)
      if (u != me && u != *with) in.reject(wire::errc::invalid_field, "field `details` may only name the two participants");
  }
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());

  run_change(b, c, req, "meeting_propose", "proposed",
             [cals = b.calendars, pol = b.policy, now = b.clock.now(), me, my_role = c->role, with = *with,
              when = rules::interval{*start, *end}, mode = *mode, kind = *kind, details = std::move(*details),
              rid = req.rid](store::database& db, outcome& out) -> store::result<void> {
               auto other = store::find_account(db, with);
               if (!other) return other.error();
               if (!*other || !(*other)->active) {
                 out.refusal = wire::failure{wire::errc::unknown_user, "no active user with that id", rid};
                 return {};
               }
               if (auto f = check_roles(my_role, (*other)->role, kind, rid)) {
                 out.refusal = std::move(*f);
                 return {};
               }
               std::int64_t cycle_id = 0;
               rules::meeting_proposal p{.associate = my_role == role::associate ? me : with,
                                         .counterpart = my_role == role::associate ? with : me, .when = when,
                                         .mode = mode, .kind = kind};
               if (kind != meeting_kind::supervision) {
                 auto cycle = store::open_cycle_between(db, me, with);
                 if (!cycle) return cycle.error();
                 if (!*cycle) {
                   out.refusal = wire::failure{wire::errc::not_paired, "you are not paired with that user", rid};
                   return {};
                 }
                 if (auto f = review_gate(**cycle, rid)) {
                   out.refusal = std::move(*f);
                   return {};
                 }
                 p.pairing = (*cycle)->pairing;
                 cycle_id = (*cycle)->id;
               }
               auto verdict = check(db, pol, *cals, now, p, cycle_id);
               if (!verdict) return verdict.error();
               if (*verdict) {
                 out.refusal = to_failure(**verdict, rid);
                 return {};
               }
               const auto now_ms = now.time_since_epoch().count();
               store::meeting_row row;
               row.m = {.id = 0, .pairing = p.pairing, .associate = p.associate, .counterpart = p.counterpart,
                        .when = when, .mode = mode, .kind = kind, .state = meeting_state::proposed};
               row.cycle = cycle_id;
               row.proposer = me;
               row.changed_by = me;
               row.created_at_ms = now_ms;
               row.updated_at_ms = now_ms;
               auto id = store::insert_meeting(db, row);
               if (!id) return id.error();
               for (const auto& [u, body] : details)
                 if (auto r = store::put_meeting_details(db, *id, u, body); !r) return r;
               return finish(db, pol, *cals, now, *id, out);
             });
}

void on_meeting_reschedule(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("meeting", {.min = 1, .max = INT64_MAX});
  const auto start = read_time(in, "start");
  const auto end = read_time(in, "end");
  const auto mode = read_enum(in, "mode", rules::parse_meeting_mode, "in_person, online, phone", false);
  auto details = read_details(in);
  if (in.ok() && *end <= *start) in.reject(wire::errc::invalid_field, "field `end` must be after `start`");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  run_change(b, c, req, "meeting_reschedule", "rescheduled",
             [cals = b.calendars, pol = b.policy, now = b.clock.now(), me = c->device->user, id = *id,
              when = rules::interval{*start, *end}, mode, details = std::move(*details),
              rid = req.rid](store::database& db, outcome& out) -> store::result<void> {
               auto own = load_own(db, id, me, out, rid);
               if (!own) return own.error();
               if (!*own) return {};
               auto& row = out.row;
               if (!rules::counts(row.m.state)) {
                 out.refusal = wrong_state(row, "only a proposed or accepted meeting can be rescheduled", rid);
                 return {};
               }
               if (row.m.when.end <= now) {
                 out.refusal = wrong_state(row, "the meeting is over", rid);
                 return {};
               }
               for (const auto& [u, body] : details) {
                 if (!row.m.involves(u)) {
                   out.refusal = wire::failure{wire::errc::invalid_field, "field `details` may only name the two participants", rid};
                   return {};
                 }
               }
               const rules::meeting_proposal p{.pairing = row.m.pairing, .associate = row.m.associate,
                                               .counterpart = row.m.counterpart, .when = when,
                                               .mode = mode.value_or(row.m.mode), .kind = row.m.kind, .replaces = id};
               auto refusal = recheck(db, pol, *cals, now, p, row, rid);
               if (!refusal) return refusal.error();
               if (*refusal) {
                 out.refusal = std::move(**refusal);
                 return {};
               }
               row.m.when = when;
               row.m.mode = p.mode;
               row.m.state = meeting_state::proposed;
               row.proposer = me;
               row.changed_by = me;
               row.sequence += 1;
               row.updated_at_ms = now.time_since_epoch().count();
               if (auto r = store::update_meeting(db, row); !r) return r;
               for (const auto& [u, body] : details)
                 if (auto r = store::put_meeting_details(db, id, u, body); !r) return r;
               return finish(db, pol, *cals, now, id, out);
             });
}

namespace {

enum class transition { accept, decline, cancel };

void change_state(backend& b, const conn_ptr& c, const wire::request& req, transition t) {
  wire::field_reader in{req};
  const auto id = in.integer("meeting", {.min = 1, .max = INT64_MAX});
  std::optional<std::string> reason;
  if (t == transition::cancel) {
    reason = in.text("reason", {.min_length = 1, .max_length = 32});
    if (reason && std::ranges::find(cancel_reasons, *reason) == cancel_reasons.end()) {
      in.reject(wire::errc::invalid_field,
                "field `reason` must be one of illness, school_emergency, diary_clash, no_longer_needed, other");
    }
  }
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  static constexpr std::string_view whats[] = {"meeting_accept", "meeting_decline", "meeting_cancel"};
  static constexpr std::string_view changes[] = {"accepted", "declined", "cancelled"};
  const auto i = static_cast<std::size_t>(t);
  run_change(b, c, req, whats[i], changes[i],
             [cals = b.calendars, pol = b.policy, now = b.clock.now(), me = c->device->user, id = *id, t,
              reason = reason.value_or(""), rid = req.rid](store::database& db, outcome& out) -> store::result<void> {
               auto own = load_own(db, id, me, out, rid);
               if (!own) return own.error();
               if (!*own) return {};
               auto& row = out.row;
               if (t == transition::cancel) {
                 if (!rules::counts(row.m.state)) {
                   out.refusal = wrong_state(row, "only a proposed or accepted meeting can be cancelled", rid);
                   return {};
                 }
                 if (row.m.when.end <= now) {
                   out.refusal = wrong_state(row, "the meeting is over", rid);
                   return {};
                 }
                 row.m.state = meeting_state::cancelled;
                 row.cancel_reason = reason;
               } else {
                 if (row.m.state != meeting_state::proposed) {
                   out.refusal = wrong_state(row, "only a proposed meeting can be accepted or declined", rid);
                   return {};
                 }
                 if (row.proposer == me) {
                   out.refusal = wire::failure{wire::errc::forbidden,
                                               "the other participant answers a proposal (cancel withdraws your own)", rid};
                   return {};
                 }
                 if (row.m.when.start <= now) {
                   out.refusal = wrong_state(row, "the meeting's time has passed", rid);
                   return {};
                 }
                 if (t == transition::accept) {
                   // The calendars may have changed since the proposal: an accepted meeting
                   // always satisfies the rules.
                   const rules::meeting_proposal p{.pairing = row.m.pairing, .associate = row.m.associate,
                                                   .counterpart = row.m.counterpart, .when = row.m.when,
                                                   .mode = row.m.mode, .kind = row.m.kind, .replaces = id};
                   auto refusal = recheck(db, pol, *cals, now, p, row, rid);
                   if (!refusal) return refusal.error();
                   if (*refusal) {
                     out.refusal = std::move(**refusal);
                     return {};
                   }
                 }
                 row.m.state = t == transition::accept ? meeting_state::accepted : meeting_state::declined;
               }
               row.changed_by = me;
               row.sequence += 1;
               row.updated_at_ms = now.time_since_epoch().count();
               if (auto r = store::update_meeting(db, row); !r) return r;
               return finish(db, pol, *cals, now, id, out);
             });
}

}  // namespace

void on_meeting_accept(backend& b, const conn_ptr& c, const wire::request& req) {
  change_state(b, c, req, transition::accept);
}
void on_meeting_decline(backend& b, const conn_ptr& c, const wire::request& req) {
  change_state(b, c, req, transition::decline);
}
void on_meeting_cancel(backend& b, const conn_ptr& c, const wire::request& req) {
  change_state(b, c, req, transition::cancel);
}

void on_meetings(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto from = read_time(in, "from");
  const auto to = read_time(in, "to");
  if (in.ok() && (*to <= *from || *to - *from > std::chrono::days{max_list_days}))
    in.reject(wire::errc::invalid_field, "field `to` must be after `from`, at most 400 days later");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  const auto me = c->device->user;
  const auto cals = b.calendars;
  const auto& cal = cals->school_contact;  // terms and cycles run on the school's dates
  boost::json::array list;
  boost::json::array cycles;
  boost::json::array terms;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto rows = store::meetings_of_user(db, me, from->time_since_epoch().count(), to->time_since_epoch().count(),
                                        max_listed);
    if (!rows) return rows.error();
    for (const auto& r : *rows) {
      auto d = store::meeting_details(db, r.m.id, me);
      if (!d) return d.error();
      list.push_back(meeting_json(r, *d));
    }
    auto mine = store::list_cycles(db, c->role == role::associate ? store::cycle_scope::of_associate
                                                                  : store::cycle_scope::of_headteacher,
                                   me);
    if (!mine) return mine.error();
    const auto today = rules::to_civil(cal.zone(), b.clock.now()).day;
    for (const auto& p : *mine) {
      if (!rules::pairing_open(p.state)) continue;
      auto all = store::meetings_of_cycle(db, p.id);
      if (!all) return all.error();
      const auto with = p.headteacher == me ? p.associate : p.headteacher;
      if (auto cy = rules::cycle_of(b.policy, cal, *all, today)) {
        auto o = cycle_json(p.pairing, *cy);
        o["with"] = with;
        cycles.push_back(std::move(o));
      }
      if (auto t = rules::term_of(b.policy, cal, *all, today)) {
        auto o = term_status_json(p.pairing, *t);
        o["with"] = with;
        terms.push_back(std::move(o));
      }
    }
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "meetings", read.error());
  boost::json::object out;
  out["meetings"] = std::move(list);
  out["cycles"] = std::move(cycles);
  out["terms"] = std::move(terms);
  c->send(wire::make_ok(req.rid, std::move(out)));
}

void on_windows(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto user = in.integer("user", {.min = 1, .max = max_user_id, .required = false});
  const auto from = read_time(in, "from");
  const auto to = read_time(in, "to");
  if (in.ok() && (*to <= *from || *to - *from > std::chrono::days{max_window_days}))
    in.reject(wire::errc::invalid_field, "field `to` must be after `from`, at most 62 days later");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  const auto me = c->device->user;
  const auto who = user.value_or(me);
  std::optional<wire::failure> refusal;
  std::optional<rules::calendar> cal;
  std::optional<rules::personal_window> personal;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    if (who != me) {
      auto a = store::find_account(db, who);
      if (!a) return a.error();
      if (!*a || !(*a)->active) {
        refusal = wire::failure{wire::errc::unknown_user, "no active user with that id", req.rid};
        return {};
      }
      auto paired = store::are_paired(db, me, who);
      if (!paired) return paired.error();
      if (!rules::may_list_contact(c->role, (*a)->role, *paired)) {
        refusal = wire::failure{wire::errc::not_paired, "you may only see the windows of your contacts", req.rid};
        return {};
      }
    }
    auto p = store::find_personal_window(db, who);
    if (!p) return p.error();
    personal = *p;
    auto k = contact_calendar(db, *b.calendars, who);
    if (!k) return k.error();
    cal = std::move(*k);
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "windows", read.error());
  if (refusal) return b.fail(*c, *refusal);
  auto windows = rules::windows_between(*cal, *from, *to);
  if (!windows) return answer_store_failure(b, *c, req.rid, "windows", windows.error());
  boost::json::array list;
  for (const auto& w : *windows) list.push_back({{"start", rules::format_utc(w.start)}, {"end", rules::format_utc(w.end)}});
  boost::json::object out;
  out["user"] = who;
  out["time_zone"] = "Europe/London";
  out["windows"] = std::move(list);
  out["hours"] = hours_json(cal->hours());
  if (personal) out["personal"] = true;
  c->send(wire::make_ok(req.rid, std::move(out)));
}

}  // namespace confidant::service
