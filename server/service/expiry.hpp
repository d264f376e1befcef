#pragma once

#include "server/service/backend.hpp"

#include <functional>

namespace confidant::service {

// Deletes envelopes undelivered past the retention (protocol.md 7.15), leaves an `expired`
// notice for every device of each message's sender, and forgets fully delivered messages older
// than the retention. `done` gets how many envelopes expired (after the commit).
void sweep_expired(backend& b, std::function<void(std::size_t expired)> done = {});

}  // namespace confidant::service
