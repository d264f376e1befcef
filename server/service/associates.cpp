// profile_set, profile, associates, associate_approve, associate_suspend (protocol.md 7.30–7.31).
#include "server/rules/matching.hpp"
#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/profiles.hpp"
#include "server/service/programme_support.hpp"
#include "server/store/accounts.hpp"

#include <boost/json/serialize.hpp>
#include <array>

namespace confidant::service {
namespace {

using rules::role;
using namespace std::string_view_literals;

constexpr std::array suspend_reasons{"eligibility_lapsed"sv, "capacity"sv, "conduct"sv, "leave"sv, "other"sv};

// The associate named by a coordinator's request, or nullopt with unknown_user / wrong_role set.
store::result<std::optional<store::associate_row>> named_associate(store::database& db, std::int64_t user,
                                                                   const std::string& rid, programme_outcome& out) {
  auto a = store::find_associate(db, user);
  if (!a) return a.error();
  if (*a) return a;
  auto account = store::find_account(db, user);
  if (!account) return account.error();
  if (*account && (*account)->active) {
    out.refuse(wire::errc::wrong_role, "field `associate` must name an associate", rid);
  } else {
    out.refuse(wire::errc::unknown_user, "no active user with that id", rid);
  }
  return std::optional<store::associate_row>{};
}

// Re-reads the associate after a change into the answer.
store::result<void> answer_associate(store::database& db, std::int64_t user, role viewer, programme_outcome& out) {
  auto a = store::find_associate(db, user);
  if (!a) return a.error();
  if (!*a) return store::errc::misuse;
  out.answer["associate"] = associate_json(**a, viewer);
  return {};
}

}  // namespace

void on_profile_set(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  auto p = read_profile(in);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::associate)) return;
  run_programme(b, c, req, "profile_set",
                [p = std::move(*p), me = c->device->user, now = b.now_ms()](store::database& db, programme_outcome& out)
                    -> store::result<void> {
                  if (auto r = store::put_profile(db, me, boost::json::serialize(to_json(p)), p.capacity, now); !r) return r;
                  if (auto r = record(db, now, user_actor(me), "profile_updated", object_name("associate", me),
                                      {{"capacity", p.capacity}});
                      !r)
                    return r;
                  return answer_associate(db, me, role::associate, out);
                });
}

void on_profile(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto user = in.integer("user", {.min = 1, .max = max_user_id, .required = false}).value_or(c->device->user);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (c->role != role::associate && c->role != role::coordinator)
    return b.fail(*c, {wire::errc::forbidden, "headteachers see associates' profiles as offers (`offers`)", req.rid});
  std::optional<store::associate_row> found;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto a = store::find_associate(db, user);
    if (!a) return a.error();
    found = std::move(*a);
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "profile", read.error());
  if (!found || (c->role == role::associate && user != c->device->user))
    return b.fail(*c, {wire::errc::not_found, "no associate with that id that you may see", req.rid});
  boost::json::object out;
  out["associate"] = associate_json(*found, c->role);
  c->send(wire::make_ok(req.rid, std::move(out)));
}

void on_associates(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto status = in.text("status", {.min_length = 1, .max_length = 16, .required = false});
  if (status && *status != "pending" && *status != "approved" && *status != "suspended")
    in.reject(wire::errc::invalid_field, "field `status` must be pending, approved or suspended");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::coordinator)) return;
  boost::json::array list;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto all = store::all_associates(db);
    if (!all) return all.error();
    for (const auto& a : *all)
      if (!status || a.status == *status) list.push_back(associate_json(a, role::coordinator));
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "associates", read.error());
  boost::json::object out;
  out["associates"] = std::move(list);
  c->send(wire::make_ok(req.rid, std::move(out)));
}

void on_associate_approve(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto user = in.integer("associate", {.min = 1, .max = max_user_id});
  const auto years = in.integer("years_as_headteacher", {.min = 0, .max = 60});
  const auto inspection_text = in.text("last_inspection", {.min_length = 1, .max_length = 32});
  const auto training = in.boolean("training_completed");
  const auto coaching = in.boolean("coaching_record");
  std::optional<rules::inspection> inspection;
  if (inspection_text) {
    inspection = rules::parse_inspection(*inspection_text);
    if (!inspection)
      in.reject(wire::errc::invalid_field,
                "field `last_inspection` must be outstanding, good, requires_improvement or inadequate");
  }
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::coordinator)) return;
  const rules::eligibility_evidence evidence{static_cast<int>(*years), *inspection, *training, *coaching};
  if (const auto unmet = rules::unmet_criteria(evidence); !unmet.empty()) {
    wire::failure f{wire::errc::not_eligible, "not eligible: ", req.rid};
    boost::json::array names;
    for (std::size_t i = 0; i < unmet.size(); ++i) {
      f.message += (i ? "; " : "") + unmet[i].sentence;
      names.emplace_back(unmet[i].criterion);
    }
    f.extra["unmet"] = std::move(names);
    return b.fail(*c, f);
  }
  run_programme(b, c, req, "associate_approve",
                [user = *user, evidence, inspection_name = *inspection_text, me = c->device->user, now = b.now_ms(),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto a = named_associate(db, user, rid, out);
                  if (auto stop = stop_unless_found(a)) return *stop;
                  const store::evidence_row row{.years = evidence.years_as_headteacher,
                                                .inspection = inspection_name,
                                                .training = evidence.training_completed,
                                                .coaching = evidence.coaching_record,
                                                .recorded_by = me,
                                                .recorded_at_ms = now};
                  if (auto r = store::approve_associate(db, user, row); !r) return r;
                  if (auto r = record(db, now, user_actor(me), "associate_approved", object_name("associate", user)); !r)
                    return r;
                  return answer_associate(db, user, role::coordinator, out);
                });
}

void on_associate_suspend(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto user = in.integer("associate", {.min = 1, .max = max_user_id});
  const auto reason = read_reason(in, suspend_reasons);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::coordinator)) return;
  run_programme(b, c, req, "associate_suspend",
                [user = *user, reason = *reason, me = c->device->user, now = b.now_ms(),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto a = named_associate(db, user, rid, out);
                  if (auto stop = stop_unless_found(a)) return *stop;
                  if ((*a)->status != "approved") {
                    wire::failure f{wire::errc::wrong_state, "only an approved associate can be suspended", rid};
                    f.extra["state"] = (*a)->status;
                    out.refusal = std::move(f);
                    return {};
                  }
                  if (auto r = store::suspend_associate(db, user, reason); !r) return r;
                  if (auto r = record(db, now, user_actor(me), "associate_suspended", object_name("associate", user),
                                      {{"reason", reason}});
                      !r)
                    return r;
                  return answer_associate(db, user, role::coordinator, out);
                });
}

}  // namespace confidant::service
