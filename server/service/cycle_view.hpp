#pragma once

// The cycle object of docs/protocol.md 7.29 as each role may see it: a headteacher their own, an
// associate their own partnerships (school only, never preferences or concerns), a coordinator
// every cycle.

#include "server/rules/clock.hpp"
#include "server/rules/policy.hpp"
#include "server/rules/roles.hpp"
#include "server/service/calendars.hpp"
#include "server/store/cycles.hpp"

#include <boost/json/object.hpp>

#include <cstdint>

namespace confidant::service {

struct view_context {
  const rules::policy& pol;
  const calendars& cals;
  rules::time_point now;
};

// Whether `user` (with `role`) may see the cycle at all.
[[nodiscard]] bool may_see(const store::cycle_row& c, rules::role role, std::int64_t user) noexcept;

// The cycle object for `viewer`; `with_concern` adds the viewer's own sealed concern (answers,
// not events).
[[nodiscard]] store::result<boost::json::object> cycle_view(store::database& db, const view_context& ctx,
                                                            const store::cycle_row& c, rules::role role,
                                                            std::int64_t viewer, bool with_concern);

}  // namespace confidant::service
