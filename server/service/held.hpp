#pragma once

#include "server/service/backend.hpp"

#include <optional>

namespace confidant::service {

// Releases held envelopes (DESIGN.md 2): wakes the live connection of every device whose held
// envelopes became deliverable in (since, now], and returns when the next held envelope becomes
// deliverable, if any (the caller sets a timer for it). Offline devices get theirs at login.
[[nodiscard]] std::optional<rules::time_point> release_held(backend& b, rules::time_point since, rules::time_point now);

}  // namespace confidant::service
