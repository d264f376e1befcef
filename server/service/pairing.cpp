// pair and pair_create (protocol.md 7.35, 7.14): the coordinator pairs a headteacher's request
// with an approved associate who has a free place, checked in the same transaction as the write.
#include "server/rules/matching.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/profiles.hpp"
#include "server/service/programme_support.hpp"
#include "server/store/accounts.hpp"
#include "server/store/associates.hpp"

#include <tuple>

namespace confidant::service {
namespace {

using rules::cycle_action;
using rules::cycle_actor;
using rules::role;

void unavailable(programme_outcome& out, std::string_view reason, std::string message, const std::string& rid) {
  wire::failure f{wire::errc::associate_unavailable, std::move(message), rid};
  f.extra["reason"] = reason;
  out.refusal = std::move(f);
}

// Sets unknown_user / wrong_role unless `user` is an active account with `r`.
store::result<void> has_role(store::database& db, std::int64_t user, role r, std::string_view field,
                             const std::string& rid, programme_outcome& out) {
  auto a = store::find_account(db, user);
  if (!a) return a.error();
  if (!*a || !(*a)->active) {
    out.refuse(wire::errc::unknown_user, "no active user with that id", rid);
  } else if ((*a)->role != r) {
    out.refuse(wire::errc::wrong_role, "field `" + std::string{field} + "` must name a " + std::string{rules::name(r)}, rid);
  }
  return {};
}

// Pairs `row` with `associate` if the rules allow; sets the refusal otherwise.
store::result<void> arrange(store::database& db, const view_context& ctx, store::cycle_row& row, std::int64_t associate,
                            std::int64_t me, const std::string& rid, programme_outcome& out) {
  if (auto ok = has_role(db, associate, role::associate, "associate", rid, out); !ok || out.refusal) return ok;
  auto a = store::find_associate(db, associate);
  if (!a) return a.error();
  if (!*a) return store::errc::misuse;
  const auto profile = matching_profile(**a);
  if (!profile.approved) {
    unavailable(out, "not_approved", "the associate is not approved", rid);
    return {};
  }
  if (!rules::has_free_place(profile)) {
    unavailable(out, "no_free_place", "the associate has no free place", rid);
    return {};
  }
  if (rules::excluded(profile, {row.school, row.federation})) {
    unavailable(out, "excluded", "the associate may not support this school (own school, federation or a declared conflict)", rid);
    return {};
  }
  if (!take_step(row, cycle_action::pair, cycle_actor::coordinator, rid, out)) return {};
  const auto now = ctx.now.time_since_epoch().count();
  auto pairing = store::open_pairing(db, row.headteacher, associate, me, now);
  if (!pairing) return pairing.error();
  row.associate = associate;
  row.pairing = *pairing;
  row.paired_at_ms = now;
  if (auto w = store::update_cycle(db, row); !w) return w;
  if (auto w = audit_cycle(db, now, me, "pairing_arranged", row, {{"associate", associate}, {"pairing", *pairing}}); !w)
    return w;
  if (auto w = answer_and_notify(db, ctx, row, role::coordinator, me, "paired", out); !w) return w;
  out.notices.back().prompt = "make_contact";
  return {};
}

}  // namespace

void on_pair(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  const auto associate = in.integer("associate", {.min = 1, .max = max_user_id});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  run_programme(b, c, req, "pair",
                [id = *id, associate = *associate, me = c->device->user, r = c->role, ctx = context_of(b),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto cycle = cycle_for(db, id, cycle_action::pair, r, me, rid, out);
                  if (auto stop = stop_unless_found(cycle)) return *stop;
                  auto row = **cycle;
                  if (!rules::step(row.state, cycle_action::pair, cycle_actor::coordinator).next) {
                    (void)take_step(row, cycle_action::pair, cycle_actor::coordinator, rid, out);
                    return {};
                  }
                  return arrange(db, ctx, row, associate, me, rid, out);
                });
}

void on_pair_create(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto head = in.integer("headteacher", {.min = 1, .max = max_user_id});
  const auto assoc = in.integer("associate", {.min = 1, .max = max_user_id});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::coordinator)) return;
  run_programme(b, c, req, "pair_create",
                [head = *head, assoc = *assoc, me = c->device->user, ctx = context_of(b),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  for (const auto& [user, r, field] : {std::tuple{head, role::headteacher, "headteacher"},
                                                       std::tuple{assoc, role::associate, "associate"}})
                    if (auto ok = has_role(db, user, r, field, rid, out); !ok || out.refusal) return ok;
                  auto open = store::open_cycle_of(db, head);
                  if (!open) return open.error();
                  store::cycle_row row;
                  if (*open && rules::pairing_open((*open)->state)) {
                    if ((*open)->associate != assoc) {
                      wire::failure f{wire::errc::limit_reached, "the headteacher is paired with someone else", rid};
                      f.extra["cycle"] = (*open)->id;
                      out.refusal = std::move(f);
                      return {};
                    }
                    out.answer["pairing"] = (*open)->pairing;
                    out.answer["cycle"] = (*open)->id;
                    out.answer["created"] = false;
                    return {};
                  }
                  if (*open) {
                    row = **open;  // a request waiting: this pairs it
                  } else {
                    row.headteacher = head;
                    row.requested_at_ms = ctx.now.time_since_epoch().count();
                    auto id = store::insert_cycle(db, row);
                    if (!id) return id.error();
                    row.id = *id;
                    if (auto w = audit_cycle(db, row.requested_at_ms, me, "request_created", row, {{"direct", true}}); !w)
                      return w;
                  }
                  if (auto done = arrange(db, ctx, row, assoc, me, rid, out); !done || out.refusal) return done;
                  out.answer.clear();
                  out.answer["pairing"] = row.pairing;
                  out.answer["cycle"] = row.id;
                  out.answer["created"] = true;
                  return {};
                });
}

}  // namespace confidant::service
