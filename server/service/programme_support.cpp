#include "server/service/programme_support.hpp"

#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"

#include <algorithm>

namespace confidant::service {

void run_programme(backend& b, const std::shared_ptr<connection>& c, const wire::request& req, std::string_view what,
                   programme_job job) {
  auto result = std::make_shared<programme_outcome>();
  b.db.write().submit(
      [job = std::move(job), result](store::database& db) -> store::result<void> {
        auto r = job(db, *result);
        if (r && result->refusal) return store::errc::refused;  // roll back what the job wrote before refusing
        return r;
      },
      [&b, c, result, rid = req.rid, what = std::string{what}](boost::system::error_code ec) {
                        if (result->refusal && (!ec || ec == store::errc::refused)) return b.fail(*c, *result->refusal);
                        if (ec) return answer_store_failure(b, *c, rid, what, ec);
                        c->send(wire::make_ok(rid, std::move(result->answer)));
                        for (const auto& n : result->notices) publish(b, n, c.get());
                      });
}

view_context context_of(const backend& b) { return {b.policy, *b.calendars, b.clock.now()}; }

store::result<std::optional<store::cycle_row>> visible_cycle(store::database& db, std::int64_t id, rules::role role,
                                                             std::int64_t user, const std::string& rid,
                                                             programme_outcome& out) {
  auto c = store::find_cycle(db, id);
  if (!c) return c.error();
  if (!*c || !may_see(**c, role, user)) {
    out.refuse(wire::errc::not_found, "no cycle with that id that you may see", rid);
    return std::optional<store::cycle_row>{};
  }
  return c;
}

store::result<std::optional<store::cycle_row>> cycle_for(store::database& db, std::int64_t id, rules::cycle_action action,
                                                         rules::role role, std::int64_t user, const std::string& rid,
                                                         programme_outcome& out) {
  // The machine refuses a forbidden actor the same way in every state.
  if (rules::step(rules::cycle_state::requested, action, rules::actor_of(role)).refusal == rules::cycle_refusal::forbidden) {
    out.refuse(wire::errc::forbidden, "your role may not " + std::string{rules::name(action)} + " a cycle", rid);
    return std::optional<store::cycle_row>{};
  }
  return visible_cycle(db, id, role, user, rid, out);
}

bool take_step(store::cycle_row& c, rules::cycle_action action, rules::cycle_actor actor, const std::string& rid,
               programme_outcome& out) {
  const auto s = rules::step(c.state, action, actor);
  if (s.next) {
    c.state = *s.next;
    return true;
  }
  if (s.refusal == rules::cycle_refusal::forbidden) {
    out.refuse(wire::errc::forbidden, "your role may not " + std::string{rules::name(action)} + " a cycle", rid);
  } else {
    wire::failure f{wire::errc::wrong_state,
                    "a cycle that is " + std::string{rules::name(c.state)} + " cannot take " + std::string{rules::name(action)},
                    rid};
    f.extra["state"] = rules::name(c.state);
    out.refusal = std::move(f);
  }
  return false;
}

store::result<void> answer_and_notify(store::database& db, const view_context& ctx, const store::cycle_row& c,
                                      rules::role role, std::int64_t me, std::string change, programme_outcome& out,
                                      std::string_view member) {
  auto view = cycle_view(db, ctx, c, role, me, true);
  if (!view) return view.error();
  out.answer[member] = std::move(*view);
  auto n = make_notice(db, ctx, c, std::move(change), me);
  if (!n) return n.error();
  out.notices.push_back(std::move(*n));
  return {};
}

store::result<void> audit_cycle(store::database& db, std::int64_t now_ms, std::int64_t me, std::string_view action,
                                const store::cycle_row& c, const boost::json::object& detail) {
  auto d = detail;
  d["state"] = rules::name(c.state);
  return record(db, now_ms, me == 0 ? std::string{"server"} : user_actor(me), action, object_name("cycle", c.id), d);
}

std::optional<std::string> read_reason(wire::field_reader& in, std::span<const std::string_view> allowed) {
  auto reason = in.text("reason", {.min_length = 1, .max_length = 32});
  if (reason && std::ranges::find(allowed, *reason) == allowed.end()) {
    std::string list;
    for (const auto a : allowed) list += (list.empty() ? "" : ", ") + std::string{a};
    in.reject(wire::errc::invalid_field, "field `reason` must be one of " + list);
    return std::nullopt;
  }
  return reason;
}

}  // namespace confidant::service
