#pragma once

// Held history (issue 8's "flat cost as history grows"): messages to users whose contact window
// is closed are held in the database; this fills the database with them through the real
// protocol before the measured run, and after it times their release when a window opens.
//
// The generated clients, in order: the measured pairs, the idle headteachers, the history pairs,
// the release pairs. In each holding pair the headteacher sends and the associate, whose own
// window is narrowed to one weekday (Monday for the history, Friday for the release), receives.

#include "tests/load/confidant_client.hpp"
#include "tests/load/confidant_server.hpp"
#include "tests/load/phases.hpp"

namespace confidant::load {

struct client_layout {
  explicit client_layout(const run_options& o);

  std::size_t measured = 0, idle = 0, history_first = 0, release_first = 0, total = 0, holding_pairs = 0;
  [[nodiscard]] bool headteacher(std::size_t i) const;
  // Every client with a peer (measured and holding), in order.
  [[nodiscard]] std::vector<std::size_t> paired() const;
  // The receiving side of every holding pair from index `first` (history_first or release_first) on.
  [[nodiscard]] std::vector<std::size_t> holding_recipients(std::size_t first) const;
};

using client_list = std::vector<std::unique_ptr<confidant_client>>;

// Narrows the recipients' windows, then sends the history and release messages, every one of
// which must be held; fills preloaded, preload_s and database_mib.
void preload_history(run_result& r, counters& c, thread_pool& pool, client_list& clients, const client_layout& l,
                     const run_options& o);

// After the measured run (every client closed): restarts the server with its clock
// release_lead_s before the release recipients' window opens, logs them in, and waits for every
// release message; fills released, restart_s, release_first_s and release_last_s.
void time_release(run_result& r, counters& c, thread_pool& pool, client_list& clients, const client_layout& l,
                  const run_options& o, confidant_server& server);

// "2026-11-27T08:00:00.000Z" less `seconds`, in the same form.
[[nodiscard]] std::string utc_minus(const std::string& iso, double seconds);

}  // namespace confidant::load
