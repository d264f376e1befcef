#pragma once

// Safeguarding flags on the wire (docs/protocol.md 7.23-7.28): the flag object in its two views,
// the events, the push of unconfirmed flags at a SPOC's login, and the escalation run.

#include "server/service/backend.hpp"
#include "server/service/connection.hpp"
#include "server/store/flags.hpp"

#include <boost/json/object.hpp>

#include <memory>
#include <optional>
#include <span>
#include <string>

namespace confidant::service {

// The raiser's view: no names, notes, outcome or escalations. The SPOC's view adds them.
[[nodiscard]] boost::json::object flag_json(const store::flag_row& f, bool spoc_view);

// Whether a SPOC device is alerted at once: primaries are; deputies only when there is no primary.
[[nodiscard]] bool alerted_at_once(bool deputy, std::span<const store::spoc_key_row> spocs);

[[nodiscard]] std::string flag_event(const store::flag_row& f, const store::flag_copy& copy, bool alert);
[[nodiscard]] std::string flag_state_event(const store::flag_row& f, std::int64_t at_ms);

// To every live connection of `user` except `skip`.
void send_to_user(backend& b, std::int64_t user, const std::shared_ptr<const std::string>& frame,
                  const connection* skip = nullptr);

// At a SPOC device's login: every flag it has not confirmed with flag_received.
void push_waiting_flags(backend& b, const std::shared_ptr<connection>& c);

// Escalates every flag whose deadline (or last escalation's interval) has passed: counts it,
// audits it, alerts every connected SPOC device. Also deletes resolved flags past retention.
// Blocks until the commit; returns the next escalation instant, if any.
[[nodiscard]] std::optional<rules::time_point> escalate_due_flags(backend& b, rules::time_point now);

}  // namespace confidant::service
