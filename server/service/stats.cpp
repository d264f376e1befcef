// stats (protocol.md 7.39): the programme's figures for the coordinator, without content.
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/store/associates.hpp"
#include "server/store/audit.hpp"
#include "server/store/cycles.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace confidant::service {
namespace {

double hours(std::int64_t ms) { return std::round(static_cast<double>(ms) / 360000.0) / 10.0; }

double median(std::vector<std::int64_t> v) {
  if (v.empty()) return 0;
  std::ranges::sort(v);
  const auto n = v.size();
  return n % 2 ? hours(v[n / 2]) : hours((v[n / 2 - 1] + v[n / 2]) / 2);
}

}  // namespace

void on_stats(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::coordinator)) return;
  const auto now = b.now_ms();
  boost::json::object out;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto cycles = store::list_cycles(db, store::cycle_scope::all);
    if (!cycles) return cycles.error();
    auto held = store::meetings_held(db, now);
    if (!held) return held.error();
    std::map<std::int64_t, std::int64_t> held_by_cycle;
    for (const auto& h : *held) held_by_cycle[h.cycle] = h.held;
    boost::json::object by_state;
    for (const auto s : rules::all_cycle_states) by_state[rules::name(s)] = 0;
    std::vector<std::int64_t> waits;
    std::int64_t active = 0, reviewed = 0, paired_cycles = 0, total_held = 0;
    boost::json::array rows;
    std::ranges::reverse(*cycles);  // by id
    for (const auto& cy : *cycles) {
      by_state[rules::name(cy.state)].as_int64() += 1;
      if (cy.state == rules::cycle_state::active) ++active;
      if (cy.review_at_ms) ++reviewed;
      const auto h = held_by_cycle[cy.id];
      boost::json::object r{{"cycle", cy.id},
                            {"state", rules::name(cy.state)},
                            {"headteacher", cy.headteacher},
                            {"requested_at", time_text(cy.requested_at_ms)},
                            {"meetings_held", h},
                            {"reached_review", cy.review_at_ms.has_value()}};
      if (cy.associate != 0) r["associate"] = cy.associate;
      if (cy.paired_at_ms) {
        ++paired_cycles;
        total_held += h;
        r["paired_at"] = time_text(*cy.paired_at_ms);
        // An extension is not a request: only a request's own wait counts.
        if (cy.previous == 0) {
          const auto wait = *cy.paired_at_ms - cy.requested_at_ms;
          waits.push_back(wait);
          r["hours_to_pairing"] = hours(wait);
        }
      }
      rows.push_back(std::move(r));
    }
    out["generated_at"] = time_text(now);
    out["cycles_by_state"] = std::move(by_state);
    out["time_to_pairing"] = boost::json::object{
        {"count", waits.size()},
        {"median_hours", median(waits)},
        {"max_hours", waits.empty() ? 0.0 : hours(*std::ranges::max_element(waits))}};
    out["active_cycles"] = active;
    out["meetings_held"] = boost::json::object{
        {"total", total_held},
        {"cycles", paired_cycles},
        {"mean_per_cycle", paired_cycles ? std::round(10.0 * static_cast<double>(total_held) / static_cast<double>(paired_cycles)) / 10.0 : 0.0}};
    out["cycles_reached_review"] = reviewed;
    auto associates = store::all_associates(db);
    if (!associates) return associates.error();
    boost::json::array load;
    for (const auto& a : *associates)
      load.push_back(boost::json::object{{"user", a.user}, {"display_name", a.display_name}, {"status", a.status},
                                         {"load", a.load}, {"capacity", a.capacity}});
    out["associates"] = std::move(load);
    out["cycles"] = std::move(rows);
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "stats", read.error());
  c->send(wire::make_ok(req.rid, std::move(out)));
}

}  // namespace confidant::service
