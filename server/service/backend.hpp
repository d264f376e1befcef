#pragma once

#include "crypto/ed25519.hpp"
#include "schema/wire/envelope.hpp"
#include "server/rules/clock.hpp"
#include "server/rules/token_bucket.hpp"
#include "server/service/calendars.hpp"
#include "server/service/keyed_limiter.hpp"
#include "server/service/limits.hpp"
#include "server/service/metrics.hpp"
#include "server/service/presence.hpp"
#include "server/service/stamp_batch.hpp"
#include "server/store/store.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

namespace confidant::service {

// What the server says about itself in `hello`.
struct server_info {
  std::string tenant;
  std::string server;  // "confidantd/<version>"
  std::int64_t max_frame_bytes = 0;
  std::int64_t idle_timeout_seconds = 0;
};

// Everything the request handlers share: clock, store, the server's signing key, limits, who is
// online, and the rate limiters. Thread-safe parts only; per-connection state is in connection.
struct backend {
  backend(const rules::clock& c, server_info i, metrics& m, store::store& s, crypto::ed25519::keypair key,
          messaging_limits l, rules::policy p, std::shared_ptr<const service::calendars> cals)
      : clock(c),
        info(std::move(i)),
        stats(m),
        db(s),
        server_key(std::move(key)),
        stamps(server_key.secret_key),
        limits(l),
        policy(std::move(p)),
        calendars(std::move(cals)),
        login_by_device(l.login_per_device, l.max_limiter_keys),
        login_by_address(l.login_per_address, l.max_limiter_keys),
        sends(l.send, l.max_limiter_keys) {}

  const rules::clock& clock;
  server_info info;
  metrics& stats;
  store::store& db;
  crypto::ed25519::keypair server_key;
  stamp_batch stamps;  // the writer thread's: the franking stamps of its current batch
  messaging_limits limits;
  rules::policy policy;
  std::shared_ptr<const service::calendars> calendars;  // never null
  presence online;
  keyed_limiter login_by_device;
  keyed_limiter login_by_address;
  keyed_limiter sends;
  // Told the deliver_at of every newly held send (the daemon's release timer); may be empty.
  std::function<void(rules::time_point)> on_held;
  // Told the earliest reminder instant of every changed meeting (the daemon's reminder timer).
  std::function<void(rules::time_point)> on_reminder;
  // Told the first escalation instant of every new flag (the daemon's escalation timer).
  std::function<void(rules::time_point)> on_flag_deadline;
  // Told the start of every accepted meeting, when its cycle may become active (the daemon's cycle timer).
  std::function<void(rules::time_point)> on_cycle_due;
  std::string emergency_route{default_emergency_route};

  [[nodiscard]] std::int64_t now_ms() const { return clock.now().time_since_epoch().count(); }

  // Sends an error answer on `c` and counts it.
  void fail(const connection& c, const wire::failure& f) const {
    stats.error(f.code);
    c.send(wire::make_error(f));
  }
};

}  // namespace confidant::service
