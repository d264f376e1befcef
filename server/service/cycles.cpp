// cycles, cycle_show, cycle_extend, cycle_close, end_request, cycle_end (protocol.md 7.34, 7.36).
#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/programme_support.hpp"
#include "server/store/meetings.hpp"
#include "server/store/reminders.hpp"

#include <array>

namespace confidant::service {
namespace {

using rules::cycle_action;
using rules::cycle_actor;
using rules::role;
using namespace std::string_view_literals;

constexpr std::array end_reasons{"not_working"sv, "conflict_of_interest"sv, "moved_school"sv, "capacity"sv, "other"sv};

// The meetings of the pair that have not started, proposed or accepted (one already under way is
// left as it is: it took place).
store::result<std::vector<store::meeting_row>> meetings_ahead(store::database& db, const store::cycle_row& c,
                                                              std::int64_t now_ms) {
  auto rows = store::meetings_of_user(db, c.associate, now_ms, INT64_MAX);
  if (!rows) return rows.error();
  std::erase_if(*rows, [&](const store::meeting_row& m) {
    return m.m.pairing != c.pairing || !rules::counts(m.m.state) || m.m.when.start.time_since_epoch().count() <= now_ms;
  });
  return rows;
}

// The pair lose each other at once: no more messages (the pairing ends) and no meetings ahead.
store::result<void> end_partnership(store::database& db, const store::cycle_row& c, std::int64_t me, std::int64_t now_ms) {
  if (auto r = store::end_pairing(db, c.pairing, now_ms); !r) return r;
  auto rows = meetings_ahead(db, c, now_ms);
  if (!rows) return rows.error();
  for (auto& m : *rows) {
    m.m.state = rules::meeting_state::cancelled;
    m.cancel_reason = "no_longer_needed";
    m.changed_by = me;
    m.sequence += 1;
    m.updated_at_ms = now_ms;
    if (auto r = store::update_meeting(db, m); !r) return r;
    if (auto r = store::set_meeting_reminders(db, m.m.id, {}); !r) return r;
    if (auto r = record(db, now_ms, user_actor(me), "meeting_cancelled", object_name("meeting", m.m.id),
                        {{"reason", "no_longer_needed"}, {"cycle", c.id}});
        !r)
      return r;
  }
  return {};
}

// A coordinator's review or ending: one cycle, one action.
void coordinator_step(backend& b, const conn_ptr& c, const wire::request& req, cycle_action action) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  std::optional<std::string> reason;
  std::optional<bool> rematch;
  if (action == cycle_action::end_early) {
    reason = read_reason(in, end_reasons);
    rematch = in.boolean("rematch", false);
  }
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  run_programme(
      b, c, req, std::string{"cycle_"} + (action == cycle_action::end_early ? "end" : std::string{rules::name(action)}),
      [id = *id, action, reason = reason.value_or(""), rematch = rematch.value_or(false), me = c->device->user,
       r = c->role, ctx = context_of(b), rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
        auto cycle = cycle_for(db, id, action, r, me, rid, out);
        if (auto stop = stop_unless_found(cycle)) return *stop;
        auto row = **cycle;
        if (!take_step(row, action, rules::actor_of(r), rid, out)) return {};
        const auto now = ctx.now.time_since_epoch().count();
        row.ended_at_ms = now;
        if (action == cycle_action::end_early) row.reason = reason;
        if (auto w = store::update_cycle(db, row); !w) return w;
        if (action != cycle_action::extend)
          if (auto w = end_partnership(db, row, me, now); !w) return w;
        const auto audit_action = action == cycle_action::extend ? "cycle_extended"
                                  : action == cycle_action::close ? "cycle_closed"
                                                                  : "cycle_ended_early";
        boost::json::object detail;
        if (!reason.empty()) detail["reason"] = reason;
        if (auto w = audit_cycle(db, now, me, audit_action, row, detail); !w) return w;
        if (action == cycle_action::extend) {
          // The extension: a new cycle of the same pair, active, its caps counted afresh.
          store::cycle_row next = row;
          next.previous = row.id;
          next.state = rules::cycle_state::active;
          next.requested_at_ms = now;
          next.paired_at_ms = now;
          next.active_at_ms = now;
          next.review_at_ms.reset();
          next.ended_at_ms.reset();
          next.reason.clear();
          next.end_asked_by = 0;
          next.end_asked_reason.clear();
          next.end_asked_at_ms.reset();
          auto nid = store::insert_cycle(db, next);
          if (!nid) return nid.error();
          next.id = *nid;
          if (auto w = audit_cycle(db, now, me, "cycle_started", next, {{"previous", row.id}}); !w) return w;
          return answer_and_notify(db, ctx, next, r, me, "extended", out);
        }
        if (auto w = answer_and_notify(db, ctx, row, r, me, std::string{rules::name(row.state)}, out); !w) return w;
        if (!rematch) return {};
        // A new request for the headteacher: same school, nothing else of the old partnership.
        store::cycle_row fresh;
        fresh.headteacher = row.headteacher;
        fresh.school = row.school;
        fresh.federation = row.federation;
        fresh.region = row.region;
        fresh.phase = row.phase;
        fresh.size_band = row.size_band;
        fresh.requested_at_ms = now;
        auto fid = store::insert_cycle(db, fresh);
        if (!fid) return fid.error();
        fresh.id = *fid;
        if (auto w = audit_cycle(db, now, me, "request_created", fresh, {{"rematch_of", row.id}}); !w) return w;
        return answer_and_notify(db, ctx, fresh, r, me, "requested", out, "rematch");
      });
}

}  // namespace

void on_cycles(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto state_text = in.text("state", {.min_length = 1, .max_length = 16, .required = false});
  std::optional<rules::cycle_state> state;
  if (state_text) {
    state = rules::parse_cycle_state(*state_text);
    if (!state) in.reject(wire::errc::invalid_field, "field `state` must be one of the nine cycle states");
  }
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (c->role == role::spoc) return b.fail(*c, {wire::errc::forbidden, "SPOCs do not see the programme's cycles", req.rid});
  const auto me = c->device->user;
  const auto scope = c->role == role::coordinator ? store::cycle_scope::all
                     : c->role == role::associate ? store::cycle_scope::of_associate
                                                  : store::cycle_scope::of_headteacher;
  boost::json::array list;
  const auto ctx = context_of(b);
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto rows = store::list_cycles(db, scope, me);
    if (!rows) return rows.error();
    for (const auto& row : *rows) {
      if (state && row.state != *state) continue;
      auto v = cycle_view(db, ctx, row, c->role, me, true);
      if (!v) return v.error();
      list.push_back(std::move(*v));
    }
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "cycles", read.error());
  boost::json::object out;
  out["cycles"] = std::move(list);
  c->send(wire::make_ok(req.rid, std::move(out)));
}

void on_cycle_show(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  const auto me = c->device->user;
  std::optional<boost::json::object> out;
  const auto ctx = context_of(b);
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto row = store::find_cycle(db, *id);
    if (!row) return row.error();
    if (!*row || !may_see(**row, c->role, me)) return {};
    auto v = cycle_view(db, ctx, **row, c->role, me, true);
    if (!v) return v.error();
    out.emplace();
    (*out)["cycle"] = std::move(*v);
    if (c->role != role::coordinator) return {};
    auto history = audit_history(db, object_name("cycle", *id));
    if (!history) return history.error();
    (*out)["history"] = std::move(*history);
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "cycle_show", read.error());
  if (!out) return b.fail(*c, {wire::errc::not_found, "no cycle with that id that you may see", req.rid});
  c->send(wire::make_ok(req.rid, std::move(*out)));
}

void on_cycle_extend(backend& b, const conn_ptr& c, const wire::request& req) { coordinator_step(b, c, req, cycle_action::extend); }
void on_cycle_close(backend& b, const conn_ptr& c, const wire::request& req) { coordinator_step(b, c, req, cycle_action::close); }
void on_cycle_end(backend& b, const conn_ptr& c, const wire::request& req) { coordinator_step(b, c, req, cycle_action::end_early); }

void on_end_request(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  const auto reason = read_reason(in, end_reasons);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (c->role != role::headteacher && c->role != role::associate)
    return b.fail(*c, {wire::errc::forbidden, "either side of a partnership asks to end it; the coordinator ends it", req.rid});
  run_programme(b, c, req, "end_request",
                [id = *id, reason = *reason, me = c->device->user, r = c->role, ctx = context_of(b),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto cycle = visible_cycle(db, id, r, me, rid, out);
                  if (auto stop = stop_unless_found(cycle)) return *stop;
                  auto row = **cycle;
                  if (!rules::pairing_open(row.state)) {
                    wire::failure f{wire::errc::wrong_state, "only an open partnership can be asked to end", rid};
                    f.extra["state"] = rules::name(row.state);
                    out.refusal = std::move(f);
                    return {};
                  }
                  const auto now = ctx.now.time_since_epoch().count();
                  row.end_asked_by = me;
                  row.end_asked_reason = reason;
                  row.end_asked_at_ms = now;
                  if (auto w = store::update_cycle(db, row); !w) return w;
                  if (auto w = audit_cycle(db, now, me, "end_requested", row, {{"reason", reason}}); !w) return w;
                  return answer_and_notify(db, ctx, row, r, me, "end_requested", out);
                });
}

}  // namespace confidant::service
