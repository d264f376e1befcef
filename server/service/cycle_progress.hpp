#pragma once

// What the server moves on by itself (docs/protocol.md 7.29): a `paired` cycle becomes `active`
// once its first meeting has started, an `active` one `review_due` once its in-person cap is used
// by accepted meetings or its last day has passed. Checked after every meeting change and by a
// timer (at least every 30 s, and at the start of each accepted meeting).

#include "server/service/backend.hpp"
#include "server/service/cycle_events.hpp"

#include <optional>
#include <vector>

namespace confidant::service {

// Inside a writer job: moves the cycle on as far as its meetings say; the notices to publish
// after the commit.
[[nodiscard]] store::result<std::vector<cycle_notice>> progress_cycle(store::database& db, const view_context& ctx,
                                                                      std::int64_t cycle);

// The timer's job: every cycle that may move, in one writer job; publishes the notices.
std::optional<rules::time_point> progress_cycles(backend& b, rules::time_point now);

}  // namespace confidant::service
