#pragma once

// The `cycle` event of docs/protocol.md 7.40: prepared inside the writer job that made the
// change (each receiver's view needs the database), sent after the commit.

#include "server/service/backend.hpp"
#include "server/service/connection.hpp"
#include "server/service/cycle_view.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace confidant::service {

struct cycle_notice {
  std::string change;
  std::int64_t by = 0;  // 0: the server made the change
  std::int64_t headteacher = 0;
  std::int64_t associate = 0;  // 0 when the associate is not told
  std::vector<std::int64_t> coordinators;  // empty when coordinators are not told
  std::string prompt;     // "make_contact" to the associate on `paired`
  std::int64_t item = 0;  // feedback_released
  boost::json::object head_view, associate_view, coordinator_view;
};

// Builds the notice of `change` to `c` made by `by` (0 for the server), with the receivers the
// protocol names for that change.
[[nodiscard]] store::result<cycle_notice> make_notice(store::database& db, const view_context& ctx,
                                                      const store::cycle_row& c, std::string change, std::int64_t by);

// Sends it to every connected device of the receivers except `except` (the connection that
// made the change, which gets the answer).
void publish(const backend& b, const cycle_notice& n, const connection* except);

}  // namespace confidant::service
