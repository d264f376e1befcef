#include "server/service/cycle_view.hpp"

#include "server/rules/calendar_queries.hpp"
#include "server/rules/meetings.hpp"
#include "server/service/handler_support.hpp"
#include "server/store/feedback.hpp"
#include "server/store/meetings.hpp"

#include <algorithm>

namespace confidant::service {
namespace {

using rules::role;

void put_time(boost::json::object& o, std::string_view key, const std::optional<std::int64_t>& ms) {
  if (ms) o[key] = time_text(*ms);
}

// Dates, caps and meetings held, from the cycle's own meetings.
store::result<void> add_meeting_figures(store::database& db, const view_context& ctx, const store::cycle_row& c,
                                        boost::json::object& o) {
  std::vector<rules::meeting> meetings;
  if (c.associate != 0) {
    auto all = store::meetings_of_cycle(db, c.id);
    if (!all) return all.error();
    meetings = std::move(*all);
  }
  o["meetings_held"] = std::ranges::count_if(meetings, [&](const rules::meeting& m) {
    return m.state == rules::meeting_state::accepted && m.when.start <= ctx.now;
  });
  const auto& cal = ctx.cals.school_contact;  // cycles run on the school's dates
  if (auto cy = rules::cycle_of(ctx.pol, cal, meetings, rules::to_civil(cal.zone(), ctx.now).day)) {
    o["starts_on"] = rules::format_civil_date(cy->starts_on);
    o["ends_on"] = rules::format_civil_date(cy->ends_on);
    o["in_person_used"] = cy->used;
    o["in_person_cap"] = cy->cap;
  }
  return {};
}

}  // namespace

bool may_see(const store::cycle_row& c, role r, std::int64_t user) noexcept {
  switch (r) {
    case role::coordinator: return true;
    case role::headteacher: return c.headteacher == user;
    case role::associate: return c.associate == user;
    case role::spoc: return false;
  }
  return false;
}

store::result<boost::json::object> cycle_view(store::database& db, const view_context& ctx, const store::cycle_row& c,
                                              role r, std::int64_t viewer, bool with_concern) {
  const bool requester_side = r == role::headteacher || r == role::coordinator;
  boost::json::object o;
  o["cycle"] = c.id;
  o["state"] = rules::name(c.state);
  o["headteacher"] = c.headteacher;
  if (c.associate != 0) o["associate"] = c.associate;
  if (c.previous != 0) o["previous"] = c.previous;
  o["school"] = c.school;
  if (requester_side) {
    o["federation"] = c.federation;
    o["region"] = c.region;
    o["phase"] = c.phase;
    o["size_band"] = c.size_band;
    auto prefs = store::preferences(db, c.id);
    if (!prefs) return prefs.error();
    o["preferences"] = boost::json::array(prefs->begin(), prefs->end());
    if (with_concern) {
      auto concern = store::concern_of(db, c.id, viewer);
      if (!concern) return concern.error();
      if (!concern->empty()) o["concern"] = b64(*concern);
    }
  }
  o["requested_at"] = time_text(c.requested_at_ms);
  put_time(o, "paired_at", c.paired_at_ms);
  put_time(o, "active_at", c.active_at_ms);
  put_time(o, "review_at", c.review_at_ms);
  put_time(o, "ended_at", c.ended_at_ms);
  if (!c.reason.empty()) o["reason"] = c.reason;
  if (auto r2 = add_meeting_figures(db, ctx, c, o); !r2) return r2.error();
  if (c.end_asked_by != 0 && rules::pairing_open(c.state)) {
    boost::json::object e;
    e["by"] = c.end_asked_by;
    e["reason"] = c.end_asked_reason;
    put_time(e, "at", c.end_asked_at_ms);
    o["end_request"] = std::move(e);
  }
  auto fb = store::find_feedback(db, c.id);
  if (!fb) return fb.error();
  if (*fb && requester_side) o["feedback"] = (*fb)->submitted_at_ms ? "submitted" : "requested";
  return o;
}

}  // namespace confidant::service
