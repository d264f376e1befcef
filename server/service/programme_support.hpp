#pragma once

// What the programme's request handlers share (docs/protocol.md 7.29–7.40): one writer job per
// request that checks, changes, audits and prepares the `cycle` events; the answer and the events
// go out after the commit.

#include "schema/wire/fields.hpp"
#include "server/rules/cycles.hpp"
#include "server/service/backend.hpp"
#include "server/service/connection.hpp"
#include "server/service/cycle_events.hpp"

#include <boost/json/object.hpp>

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::service {

struct programme_outcome {
  std::optional<wire::failure> refusal;
  boost::json::object answer;  // the ok answer's fields
  std::vector<cycle_notice> notices;
  std::vector<std::int64_t> reminders_changed;  // meetings whose reminders the job dropped

  void refuse(wire::errc code, std::string message, const std::string& rid) {
    refusal = wire::failure{code, std::move(message), rid};
  }
};

using programme_job = std::function<store::result<void>(store::database&, programme_outcome&)>;

// Runs `job` on the writer; answers the refusal, or ok with `answer`, then publishes the notices.
void run_programme(backend& b, const std::shared_ptr<connection>& c, const wire::request& req, std::string_view what,
                   programme_job job);

[[nodiscard]] view_context context_of(const backend& b);

// A lookup inside a job either failed (its error), refused (nullopt, with the refusal set) or
// found its item: what the job returns at once, or nullopt to go on.
template <class T>
[[nodiscard]] std::optional<store::result<void>> stop_unless_found(const store::result<std::optional<T>>& r) {
  if (!r) return store::result<void>{r.error()};
  if (!*r) return store::result<void>{};
  return std::nullopt;
}

// The cycle `id` if the caller may see it; otherwise nullopt with the refusal `not_found` set.
[[nodiscard]] store::result<std::optional<store::cycle_row>> visible_cycle(store::database& db, std::int64_t id,
                                                                           rules::role role, std::int64_t user,
                                                                           const std::string& rid,
                                                                           programme_outcome& out);

// The cycle `id` for `action` by the caller: `forbidden` when the caller's role may never take it
// (whatever the cycle), else as visible_cycle.
[[nodiscard]] store::result<std::optional<store::cycle_row>> cycle_for(store::database& db, std::int64_t id,
                                                                       rules::cycle_action action, rules::role role,
                                                                       std::int64_t user, const std::string& rid,
                                                                       programme_outcome& out);

// Moves `c` by `action` of `role` (rules/cycles); false with `forbidden` or `wrong_state` (member
// `state`) set when the machine refuses.
[[nodiscard]] bool take_step(store::cycle_row& c, rules::cycle_action action, rules::cycle_actor actor,
                             const std::string& rid, programme_outcome& out);

// The answer's `cycle` member and a notice of `change` by `by`, for `c` as stored.
[[nodiscard]] store::result<void> answer_and_notify(store::database& db, const view_context& ctx,
                                                    const store::cycle_row& c, rules::role role, std::int64_t me,
                                                    std::string change, programme_outcome& out,
                                                    std::string_view member = "cycle");

// An audit entry for a cycle.
[[nodiscard]] store::result<void> audit_cycle(store::database& db, std::int64_t now_ms, std::int64_t me,
                                              std::string_view action, const store::cycle_row& c,
                                              const boost::json::object& detail = {});

// Reads a `reason` field that must be one of `allowed`.
[[nodiscard]] std::optional<std::string> read_reason(wire::field_reader& in, std::span<const std::string_view> allowed);

}  // namespace confidant::service
