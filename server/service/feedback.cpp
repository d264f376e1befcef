// feedback_request, feedback_submit, feedback_release, feedback (protocol.md 7.37): answers are
// sealed to the coordinator who asked; the associate reads only what the headteacher released,
// sealed again to the associate on the headteacher's device. The server never reads any of it.
#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/profiles.hpp"
#include "server/service/programme_support.hpp"
#include "server/store/feedback.hpp"

#include <set>

namespace confidant::service {
namespace {

using rules::role;

constexpr std::int64_t max_questions = 10;

struct answer_in {
  std::int64_t item = 0;
  sealed_bodies bodies;
};

std::optional<std::vector<answer_in>> read_answers(wire::field_reader& in) {
  const auto* arr = in.array("answers", {.min_items = 1, .max_items = max_questions});
  if (!arr) return std::nullopt;
  std::vector<answer_in> out;
  std::set<std::int64_t> items;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto name = "answers[" + std::to_string(i) + "]";
    const auto* obj = (*arr)[i].if_object();
    if (!obj) {
      in.reject(wire::errc::invalid_field, "field `" + name + "` must be an object");
      return std::nullopt;
    }
    answer_in a;
    const bool ok = in.nested(*obj, name + ".", [&](wire::field_reader& sub) {
      a.item = sub.integer("item", {.min = 1, .max = max_questions}).value_or(0);
      auto bodies = read_sealed_bodies(sub, "bodies", 2, true);
      if (bodies) a.bodies = std::move(*bodies);
    });
    if (!ok) return std::nullopt;
    if (!items.insert(a.item).second) {
      in.reject(wire::errc::invalid_field, "field `answers` names an item twice");
      return std::nullopt;
    }
    out.push_back(std::move(a));
  }
  return out;
}

// The feedback object as `r` sees it.
store::result<boost::json::object> feedback_view(store::database& db, const store::cycle_row& c,
                                                 const store::feedback_row& f, role r, std::int64_t me) {
  boost::json::object o;
  o["cycle"] = c.id;
  o["asked_by"] = f.asked_by;
  o["asked_at"] = time_text(f.asked_at_ms);
  auto released = store::releases(db, c.id);
  if (!released) return released.error();
  if (r == role::associate) {
    boost::json::array list;
    for (const auto& rel : *released) {
      const auto i = static_cast<std::size_t>(rel.item - 1);
      list.push_back(boost::json::object{{"item", rel.item},
                                         {"question", i < f.questions.size() ? f.questions[i] : std::string{}},
                                         {"body", b64(rel.body)},
                                         {"released_at", time_text(rel.released_at_ms)}});
    }
    o["released"] = std::move(list);
    return o;
  }
  o["questions"] = boost::json::array(f.questions.begin(), f.questions.end());
  if (f.submitted_at_ms) o["submitted_at"] = time_text(*f.submitted_at_ms);
  auto items = store::answered_items(db, c.id);
  if (!items) return items.error();
  auto mine = store::answers_for(db, c.id, me);
  if (!mine) return mine.error();
  boost::json::array answers;
  for (const auto item : *items) {
    boost::json::object a{{"item", item}};
    for (const auto& m : *mine)
      if (m.item == item) a["body"] = b64(m.body);
    for (const auto& rel : *released)
      if (rel.item == item) a["released_at"] = time_text(rel.released_at_ms);
    answers.push_back(std::move(a));
  }
  o["answers"] = std::move(answers);
  return o;
}

// The cycle and its feedback request, for someone who may see them; otherwise not_found.
struct feedback_target {
  store::cycle_row cycle;
  store::feedback_row feedback;
};
store::result<std::optional<feedback_target>> load(store::database& db, std::int64_t id, role r, std::int64_t me,
                                                   const std::string& rid, programme_outcome& out) {
  auto cycle = visible_cycle(db, id, r, me, rid, out);
  if (!cycle) return cycle.error();
  if (!*cycle) return std::optional<feedback_target>{};
  auto f = store::find_feedback(db, id);
  if (!f) return f.error();
  if (!*f) {
    out.refuse(wire::errc::not_found, "no feedback was asked for this cycle", rid);
    return std::optional<feedback_target>{};
  }
  return std::optional<feedback_target>{feedback_target{std::move(**cycle), std::move(**f)}};
}

store::result<void> answer_feedback(store::database& db, const feedback_target& t, role r, std::int64_t me,
                                    programme_outcome& out) {
  auto f = store::find_feedback(db, t.cycle.id);
  if (!f) return f.error();
  if (!*f) return store::errc::misuse;
  auto v = feedback_view(db, t.cycle, **f, r, me);
  if (!v) return v.error();
  out.answer["feedback"] = std::move(*v);
  return {};
}

}  // namespace

void on_feedback_request(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  auto questions = in.strings("questions", {.min_items = 1, .max_items = max_questions, .max_length = 500});
  if (questions && !std::ranges::all_of(*questions, plain_text))
    in.reject(wire::errc::invalid_field, "field `questions` must not contain control characters");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::coordinator)) return;
  run_programme(b, c, req, "feedback_request",
                [id = *id, questions = std::move(*questions), me = c->device->user, ctx = context_of(b),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto cycle = visible_cycle(db, id, role::coordinator, me, rid, out);
                  if (auto stop = stop_unless_found(cycle)) return *stop;
                  const auto& row = **cycle;
                  const bool ended = (row.state == rules::cycle_state::closed && row.associate != 0) ||
                                     row.state == rules::cycle_state::ended_early;
                  if (!ended) {
                    wire::failure f{wire::errc::wrong_state, "feedback is asked for at the end of a partnership", rid};
                    f.extra["state"] = rules::name(row.state);
                    out.refusal = std::move(f);
                    return {};
                  }
                  auto existing = store::find_feedback(db, id);
                  if (!existing) return existing.error();
                  if (*existing) {
                    out.refuse(wire::errc::limit_reached, "feedback was asked for this cycle already", rid);
                    return {};
                  }
                  const auto now = ctx.now.time_since_epoch().count();
                  const store::feedback_row f{id, me, now, questions, std::nullopt};
                  if (auto w = store::insert_feedback(db, f); !w) return w;
                  if (auto w = audit_cycle(db, now, me, "feedback_requested", row, {{"questions", questions.size()}}); !w)
                    return w;
                  if (auto w = answer_feedback(db, {row, f}, role::coordinator, me, out); !w) return w;
                  auto n = make_notice(db, ctx, row, "feedback_requested", me);
                  if (!n) return n.error();
                  out.notices.push_back(std::move(*n));
                  return {};
                });
}

void on_feedback_submit(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  auto answers = read_answers(in);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::headteacher)) return;
  run_programme(b, c, req, "feedback_submit",
                [id = *id, answers = std::move(*answers), me = c->device->user, ctx = context_of(b),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto t = load(db, id, role::headteacher, me, rid, out);
                  if (auto stop = stop_unless_found(t)) return *stop;
                  const auto& f = (*t)->feedback;
                  if (f.submitted_at_ms) {
                    wire::failure fail{wire::errc::wrong_state, "the feedback was submitted already", rid};
                    fail.extra["state"] = "submitted";
                    out.refusal = std::move(fail);
                    return {};
                  }
                  for (const auto& a : answers) {
                    if (a.item > static_cast<std::int64_t>(f.questions.size())) {
                      out.refuse(wire::errc::invalid_field, "field `answers` names an item with no question", rid);
                      return {};
                    }
                    if (!a.bodies.contains(f.asked_by) ||
                        std::ranges::any_of(a.bodies, [&](const auto& kv) { return kv.first != f.asked_by && kv.first != me; })) {
                      out.refuse(wire::errc::invalid_field,
                                 "each answer needs a body for the coordinator who asked, and may add your own copy", rid);
                      return {};
                    }
                  }
                  const auto now = ctx.now.time_since_epoch().count();
                  for (const auto& a : answers)
                    for (const auto& [user, body] : a.bodies)
                      if (auto w = store::put_answer(db, id, a.item, user, body); !w) return w;
                  if (auto w = store::mark_submitted(db, id, now); !w) return w;
                  if (auto w = audit_cycle(db, now, me, "feedback_submitted", (*t)->cycle, {{"answers", answers.size()}}); !w)
                    return w;
                  if (auto w = answer_feedback(db, **t, role::headteacher, me, out); !w) return w;
                  auto n = make_notice(db, ctx, (*t)->cycle, "feedback_submitted", me);
                  if (!n) return n.error();
                  n->coordinators = {f.asked_by};
                  out.notices.push_back(std::move(*n));
                  return {};
                });
}

void on_feedback_release(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  const auto item = in.integer("item", {.min = 1, .max = max_questions});
  auto body = in.binary("body", {.min_bytes = 1, .max_bytes = max_sealed_body_bytes});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, role::headteacher)) return;
  run_programme(b, c, req, "feedback_release",
                [id = *id, item = *item, body = std::move(*body), me = c->device->user, ctx = context_of(b),
                 rid = req.rid](store::database& db, programme_outcome& out) -> store::result<void> {
                  auto t = load(db, id, role::headteacher, me, rid, out);
                  if (auto stop = stop_unless_found(t)) return *stop;
                  auto items = store::answered_items(db, id);
                  if (!items) return items.error();
                  if (std::ranges::find(*items, item) == items->end()) {
                    out.refuse(wire::errc::not_found, "that item has no answer to release", rid);
                    return {};
                  }
                  const auto now = ctx.now.time_since_epoch().count();
                  if (auto w = store::put_release(db, id, item, body, now); !w) return w;
                  if (auto w = audit_cycle(db, now, me, "feedback_released", (*t)->cycle, {{"item", item}}); !w) return w;
                  if (auto w = answer_feedback(db, **t, role::headteacher, me, out); !w) return w;
                  auto n = make_notice(db, ctx, (*t)->cycle, "feedback_released", me);
                  if (!n) return n.error();
                  n->item = item;
                  out.notices.push_back(std::move(*n));
                  return {};
                });
}

void on_feedback(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = in.integer("cycle", {.min = 1, .max = INT64_MAX});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (c->role == role::spoc) return b.fail(*c, {wire::errc::forbidden, "SPOCs do not see programme feedback", req.rid});
  programme_outcome out;
  const auto me = c->device->user;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto t = load(db, *id, c->role, me, req.rid, out);
    if (auto stop = stop_unless_found(t)) return *stop;
    return answer_feedback(db, **t, c->role, me, out);
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "feedback", read.error());
  if (out.refusal) return b.fail(*c, *out.refusal);
  c->send(wire::make_ok(req.rid, std::move(out.answer)));
}

}  // namespace confidant::service
