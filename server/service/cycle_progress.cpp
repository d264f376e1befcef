#include "server/service/cycle_progress.hpp"

#include "server/rules/calendar_queries.hpp"
#include "server/rules/meetings.hpp"
#include "server/service/programme_support.hpp"
#include "server/store/meetings.hpp"

#include <spdlog/spdlog.h>

namespace confidant::service {
namespace {

// One server move: the state, its instant, the audit entry and the notice.
store::result<void> move(store::database& db, const view_context& ctx, store::cycle_row& row, rules::cycle_action action,
                         std::vector<cycle_notice>& notices) {
  const auto next = rules::step(row.state, action, rules::cycle_actor::server).next;
  if (!next) return store::errc::misuse;
  row.state = *next;
  const auto now = ctx.now.time_since_epoch().count();
  (row.state == rules::cycle_state::active ? row.active_at_ms : row.review_at_ms) = now;
  if (auto w = store::update_cycle(db, row); !w) return w;
  if (auto w = audit_cycle(db, now, 0, row.state == rules::cycle_state::active ? "cycle_active" : "cycle_review_due", row); !w)
    return w;
  auto n = make_notice(db, ctx, row, std::string{rules::name(row.state)}, 0);
  if (!n) return n.error();
  notices.push_back(std::move(*n));
  return {};
}

}  // namespace

store::result<std::vector<cycle_notice>> progress_cycle(store::database& db, const view_context& ctx, std::int64_t cycle) {
  std::vector<cycle_notice> notices;
  auto found = store::find_cycle(db, cycle);
  if (!found) return found.error();
  if (!*found) return notices;
  auto row = std::move(**found);
  auto meetings = store::meetings_of_cycle(db, row.id);
  if (!meetings) return meetings.error();
  if (row.state == rules::cycle_state::paired && rules::first_meeting_held(*meetings, ctx.now))
    if (auto w = move(db, ctx, row, rules::cycle_action::first_meeting, notices); !w) return w.error();
  const auto& cal = ctx.cals.school_contact;
  if (row.state == rules::cycle_state::active &&
      rules::review_reached(ctx.pol, cal, *meetings, rules::to_civil(cal.zone(), ctx.now).day))
    if (auto w = move(db, ctx, row, rules::cycle_action::reach_review, notices); !w) return w.error();
  return notices;
}

std::optional<rules::time_point> progress_cycles(backend& b, rules::time_point now) {
  std::vector<cycle_notice> notices;  // run() returns after the commit: the job may fill a local
  const view_context ctx{b.policy, *b.calendars, now};
  const auto ec = b.db.write().run([&](store::database& db) -> store::result<void> {
    auto cycles = store::progressing_cycles(db);
    if (!cycles) return cycles.error();
    for (const auto& c : *cycles) {
      auto moved = progress_cycle(db, ctx, c.id);
      if (!moved) return moved.error();
      for (auto& n : *moved) notices.push_back(std::move(n));
    }
    return {};
  });
  if (ec) {
    spdlog::error("cycle progress failed: {}", ec.message());
    return std::nullopt;
  }
  for (const auto& n : notices) publish(b, n, nullptr);
  return std::nullopt;
}

}  // namespace confidant::service
