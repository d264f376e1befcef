// request_create, request_withdraw, offers, prefer, request_decline (protocol.md 7.32–7.33, 7.35).
#include "server/rules/matching.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/profiles.hpp"
#include "server/service/programme_support.hpp"
#include "server/store/accounts.hpp"

#include <array>
#include <set>

namespace confidant::service {
namespace {

using rules::cycle_action;
using rules::cycle_actor;
using rules::role;
using namespace std::string_view_literals;

constexpr std::array decline_reasons{"no_associate_available"sv, "outside_scheme"sv, "duplicate"sv, "other"sv};

// The approved associates this request may be offered, with the filters.
store::result<std::vector<store::associate_row>> offerable(store::database& db, const store::cycle_row& c,
                                                          const rules::offer_filter& f) {
  auto all = store::all_associates(db);
  if (!all) return all.error();
  std::vector<rules::associate_profile> profiles;
  for (const auto& a : *all) profiles.push_back(matching_profile(a));
  const auto chosen = rules::offers(profiles, {c.school, c.federation}, f, c.region);
  std::vector<store::associate_row> out;
  for (const auto& p : chosen)
    for (const auto& a : *all)
      if (a.user == p.user) out.push_back(a);
  return out;
}

std::optional<std::string> optional_filter(wire::field_reader& in, std::string_view key) {
  auto t = in.text(key, {.min_length = 1, .max_length = 64, .required = false});
  return t;
}

}  // namespace

void on_request_create(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  store::cycle_row row;
  row.school = read_plain(in, "school", 1, 120, true);
  row.federation = read_plain(in, "federation", 0, 120, false);
  row.region = read_plain(in, "region", 1, 64, true);
  row.phase = read_plain(in, "phase", 1, 16, false);
  row.size_band = read_plain(in, "size_band", 1, 16, false);
  auto concern = read_sealed_bodies(in, "concern", 16, false);
  if (in.ok() && !row.phase.empty() && !valid_phase(row.phase))
    in.reject(wire::errc::invalid_field, "field `phase` must be one of " + std::string{phases});
  if (in.ok() && !row.size_band.empty() && !valid_size_band(row.size_band))
    in.reject(wire::errc::invalid_field, "field `size_band` must be one of " + std::string{size_bands});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::headteacher)) return;
  const auto me = c->device->user;
  row.headteacher = me;
  row.requested_at_ms = b.now_ms();
  run_programme(b, c, req, "request_create",
                [row = std::move(row), concern = std::move(*concern), me, ctx = context_of(b),
                 rid = req.rid](store::database& db, programme_outcome& out) mutable -> store::result<void> {
                  auto open = store::open_cycle_of(db, me);
                  if (!open) return open.error();
                  if (*open) {
                    wire::failure f{wire::errc::limit_reached, "you have an open request or partnership already", rid};
                    f.extra["cycle"] = (*open)->id;
                    out.refusal = std::move(f);
                    return {};
                  }
                  for (const auto& [user, body] : concern) {
                    if (user == me) continue;
                    auto a = store::find_account(db, user);
                    if (!a) return a.error();
                    if (!*a || !(*a)->active || (*a)->role != role::coordinator) {
                      out.refuse(wire::errc::invalid_field, "field `concern` may only name coordinators and yourself", rid);
                      return {};
                    }
                  }
                  auto id = store::insert_cycle(db, row);
                  if (!id) return id.error();
                  row.id = *id;
                  for (const auto& [user, body] : concern)
                    if (auto r = store::put_concern(db, row.id, user, body); !r) return r;
                  if (auto r = audit_cycle(db, row.requested_at_ms, me, "request_created", row,
                                           {{"concern_copies", concern.size()}});
                      !r)
                    return r;
                  return answer_and_notify(db, ctx, row, role::headteacher, me, "requested", out);
                });
}

void on_request_withdraw(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  run_programme(b, c, req, "request_withdraw",
                [id = *id, me = c->device->user, r = c->role, ctx = context_of(b), now = b.now_ms(),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto cycle = cycle_for(db, id, cycle_action::withdraw, r, me, rid, out);
                  if (auto stop = stop_unless_found(cycle)) return *stop;
                  auto row = **cycle;
                  if (!take_step(row, cycle_action::withdraw, rules::actor_of(r), rid, out)) return {};
                  row.reason = "withdrawn";
                  row.ended_at_ms = now;
                  if (auto w = store::update_cycle(db, row); !w) return w;
                  if (auto w = audit_cycle(db, now, me, "request_withdrawn", row); !w) return w;
                  return answer_and_notify(db, ctx, row, r, me, "withdrawn", out);
                });
}

void on_offers(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  rules::offer_filter f{optional_filter(in, "region"), optional_filter(in, "size_band"), optional_filter(in, "school_type"),
                        optional_filter(in, "phase"), optional_filter(in, "skill")};
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  run_programme(b, c, req, "offers",
                [id = *id, f = std::move(f), me = c->device->user, r = c->role, ctx = context_of(b), now = b.now_ms(),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  if (r != role::headteacher) {
                    out.refuse(wire::errc::forbidden, "offers are made to the headteacher who asked for support", rid);
                    return {};
                  }
                  auto cycle = visible_cycle(db, id, r, me, rid, out);
                  if (auto stop = stop_unless_found(cycle)) return *stop;
                  auto row = **cycle;
                  const bool first = row.state == rules::cycle_state::requested;
                  // Offers may be asked again, with other filters, until the pairing.
                  const bool again = row.state == rules::cycle_state::offered || row.state == rules::cycle_state::preferred;
                  if (!again && !take_step(row, cycle_action::send_offers, cycle_actor::headteacher, rid, out)) return {};
                  auto list = offerable(db, row, f);
                  if (!list) return list.error();
                  boost::json::array offers;
                  for (const auto& a : *list) offers.push_back(offer_json(a));
                  out.answer["offers"] = std::move(offers);
                  if (!first) return {};
                  if (auto w = store::update_cycle(db, row); !w) return w;
                  if (auto w = audit_cycle(db, now, me, "offers_sent", row, {{"offered", list->size()}}); !w) return w;
                  auto n = make_notice(db, ctx, row, "offered", me);
                  if (!n) return n.error();
                  out.notices.push_back(std::move(*n));
                  return {};
                });
}

void on_prefer(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  const auto* arr = in.array("associates", {.min_items = 1, .max_items = 3});
  std::vector<std::int64_t> ranked;
  if (arr) {
    for (const auto& v : *arr) {
      if (!v.is_int64() || v.get_int64() < 1 || v.get_int64() > max_user_id) {
        in.reject(wire::errc::invalid_field, "field `associates` must hold 1 to 3 user ids");
        break;
      }
      ranked.push_back(v.get_int64());
    }
    if (in.ok() && std::set(ranked.begin(), ranked.end()).size() != ranked.size())
      in.reject(wire::errc::invalid_field, "field `associates` names an associate twice");
  }
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  run_programme(b, c, req, "prefer",
                [id = *id, ranked, me = c->device->user, r = c->role, ctx = context_of(b), now = b.now_ms(),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto cycle = cycle_for(db, id, cycle_action::prefer, r, me, rid, out);
                  if (auto stop = stop_unless_found(cycle)) return *stop;
                  auto row = **cycle;
                  if (!take_step(row, cycle_action::prefer, rules::actor_of(r), rid, out)) return {};
                  auto list = offerable(db, row, {});
                  if (!list) return list.error();
                  for (const auto a : ranked) {
                    if (std::ranges::none_of(*list, [a](const auto& x) { return x.user == a; })) {
                      wire::failure f{wire::errc::associate_unavailable, "that associate cannot be offered to you now", rid};
                      f.extra["associate"] = a;
                      out.refusal = std::move(f);
                      return {};
                    }
                  }
                  if (auto w = store::set_preferences(db, row.id, ranked); !w) return w;
                  if (auto w = store::update_cycle(db, row); !w) return w;
                  if (auto w = audit_cycle(db, now, me, "preferences_set", row, {{"ranked", ranked.size()}}); !w) return w;
                  return answer_and_notify(db, ctx, row, r, me, "preferred", out);
                });
}

void on_request_decline(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  const auto reason = read_reason(in, decline_reasons);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  run_programme(b, c, req, "request_decline",
                [id = *id, reason = *reason, me = c->device->user, r = c->role, ctx = context_of(b), now = b.now_ms(),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto cycle = cycle_for(db, id, cycle_action::decline, r, me, rid, out);
                  if (auto stop = stop_unless_found(cycle)) return *stop;
                  auto row = **cycle;
                  if (!take_step(row, cycle_action::decline, rules::actor_of(r), rid, out)) return {};
                  row.reason = reason;
                  row.ended_at_ms = now;
                  if (auto w = store::update_cycle(db, row); !w) return w;
                  if (auto w = audit_cycle(db, now, me, "request_declined", row, {{"reason", reason}}); !w) return w;
                  return answer_and_notify(db, ctx, row, r, me, "declined", out);
                });
}

}  // namespace confidant::service
