#include "server/service/flag_events.hpp"

#include "server/rules/flags.hpp"
#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"
#include "server/store/accounts.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>

namespace confidant::service {

boost::json::object flag_json(const store::flag_row& f, bool spoc_view) {
  boost::json::object o;
  o["flag"] = f.id;
  o["category"] = f.category;
  o["urgency"] = f.urgency;
  o["state"] = f.state;
  o["raised_at"] = time_text(f.raised_at_ms);
  o["deadline_at"] = time_text(f.deadline_at_ms);
  if (f.acknowledged_at_ms) o["acknowledged_at"] = time_text(*f.acknowledged_at_ms);
  if (f.resolved_at_ms) o["resolved_at"] = time_text(*f.resolved_at_ms);
  if (!spoc_view) return o;
  o["raised_by"] = boost::json::object{{"user", f.raiser}, {"device", f.raiser_device}};
  o["flag_id"] = b64(f.flag_id);
  if (f.acknowledged_by) o["acknowledged_by"] = *f.acknowledged_by;
  if (f.resolved_by) o["resolved_by"] = *f.resolved_by;
  if (!f.outcome.empty()) o["outcome"] = f.outcome;
  o["escalations"] = f.escalations;
  o["legal_hold"] = f.legal_hold;
  return o;
}

bool alerted_at_once(bool deputy, std::span<const store::spoc_key_row> spocs) {
  if (!deputy) return true;
  return std::ranges::none_of(spocs, [](const auto& k) { return !k.deputy; });
}

std::string flag_event(const store::flag_row& f, const store::flag_copy& copy, bool alert) {
  auto o = flag_json(f, true);
  o["type"] = "flag";
  o["key_id"] = copy.key_id;
  o["sealed"] = b64(copy.sealed);
  o["alert"] = alert;
  return boost::json::serialize(o);
}

std::string flag_state_event(const store::flag_row& f, std::int64_t at_ms) {
  return boost::json::serialize(
      boost::json::object{{"type", "flag_state"}, {"flag", f.id}, {"state", f.state}, {"at", time_text(at_ms)}});
}

void send_to_user(backend& b, std::int64_t user, const std::shared_ptr<const std::string>& frame,
                  const connection* skip) {
  for (const auto& other : b.online.of_user(user))
    if (other.get() != skip) other->send(frame);
}

void push_waiting_flags(backend& b, const std::shared_ptr<connection>& c) {
  const auto me = *c->device;
  std::vector<std::string> events;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto waiting = store::flags_waiting_for(db, me.user, me.device);
    if (!waiting) return waiting.error();
    if (waiting->empty()) return {};
    auto spocs = store::current_spoc_keys(db, b.now_ms());
    if (!spocs) return spocs.error();
    auto mine = std::ranges::find_if(*spocs, [&](const auto& k) { return k.user == me.user; });
    const bool deputy = mine != spocs->end() && mine->deputy;
    for (const auto id : *waiting) {
      auto f = store::find_flag(db, id);
      if (!f) return f.error();
      auto copy = store::find_flag_copy(db, id, 0, me.user, me.device);
      if (!copy) return copy.error();
      if (*f && *copy) events.push_back(flag_event(**f, **copy, alerted_at_once(deputy, *spocs)));
    }
    return {};
  });
  if (!read) {
    spdlog::error("flag push at login failed: {}", read.error().message());
    return;
  }
  for (auto& e : events) c->send(std::move(e));
}

std::optional<rules::time_point> escalate_due_flags(backend& b, rules::time_point now) {
  struct outcome {
    std::vector<store::flag_row> escalated;
    std::vector<std::int64_t> spoc_users;
    std::optional<std::int64_t> next;
  };
  outcome result;  // run() returns after the commit: the job may fill a local
  const auto now_ms = now.time_since_epoch().count();
  const auto retention_cutoff = (now - b.limits.flag_retention).time_since_epoch().count();
  const auto ec = b.db.write().run([&b, now, now_ms, retention_cutoff, &result](store::database& db) -> store::result<void> {
    auto due = store::flags_due_for_escalation(db, now_ms);
    if (!due) return due.error();
    for (auto& f : *due) {
      ++f.escalations;
      const auto base = std::max(now, rules::time_point{std::chrono::milliseconds{*f.next_escalation_at_ms}});
      const auto next = rules::next_escalation(b.calendars->la_working, base, b.policy.spoc_escalation_interval);
      f.next_escalation_at_ms = (next ? *next : base + b.policy.spoc_escalation_interval).time_since_epoch().count();
      if (auto r = store::update_flag(db, f); !r) return r.error();
      if (auto r = record(db, now_ms, "server", "flag_escalated", object_name("flag", f.id),
                          {{"escalation", f.escalations}, {"to", "all_spoc_devices"}});
          !r)
        return r.error();
      result.escalated.push_back(f);
    }
    auto removed = store::delete_expired_flags(db, retention_cutoff);
    if (!removed) return removed.error();
    for (const auto id : *removed)
      if (auto r = record(db, now_ms, "server", "flag_deleted", object_name("flag", id), {{"reason", "retention"}}); !r)
        return r.error();
    if (!result.escalated.empty()) {
      auto accounts = store::active_accounts(db);
      if (!accounts) return accounts.error();
      for (const auto& a : *accounts)
        if (a.role == rules::role::spoc) result.spoc_users.push_back(a.id);
    }
    auto next = store::next_flag_escalation(db);
    if (!next) return next.error();
    result.next = *next;
    return {};
  });
  if (ec) {
    spdlog::error("flag escalation failed: {}", ec.message());
    return now + std::chrono::seconds{30};
  }
  for (const auto& f : result.escalated) {
    spdlog::warn("flag {} not acknowledged by its deadline: escalation {}", f.id, f.escalations);
    auto frame = std::make_shared<const std::string>(boost::json::serialize(boost::json::object{
        {"type", "flag_alert"}, {"flag", f.id}, {"category", f.category}, {"urgency", f.urgency},
        {"deadline_at", time_text(f.deadline_at_ms)}, {"escalations", f.escalations}}));
    for (const auto user : result.spoc_users) send_to_user(b, user, frame);
  }
  if (!result.next) return std::nullopt;
  return rules::time_point{std::chrono::milliseconds{*result.next}};
}

}  // namespace confidant::service
