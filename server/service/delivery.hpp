#pragma once

// Delivery to online devices (protocol.md 7.15): events in server-id order, at most
// `delivery_window` unacknowledged per connection, the rest read from the store as
// acknowledgements arrive. Everything here runs on the connection's strand.

#include "server/service/backend.hpp"
#include "server/service/connection.hpp"
#include "server/store/mailbox.hpp"

#include <memory>
#include <string>

namespace confidant::service {

[[nodiscard]] std::string delivery_event(const store::pending_envelope& e);
[[nodiscard]] std::string prekeys_low_event(std::int64_t remaining);

// Sends what the store holds for the connection's device, up to the window.
void pump(backend& b, const std::shared_ptr<connection>& c);

// A new envelope for the connection's device was committed: send it now if the connection is
// caught up and has room, else leave it to pump().
void offer(backend& b, const std::shared_ptr<connection>& c, std::int64_t id, std::shared_ptr<const std::string> frame);

// From any thread: tells the device's live connection, if any, that `frame` (server id `id`)
// waits for it.
void notify(backend& b, device_ref to, std::int64_t id, std::shared_ptr<const std::string> frame);
// From any thread: tells the device's live connection to look in the store.
void wake(backend& b, device_ref to);

}  // namespace confidant::service
