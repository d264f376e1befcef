#pragma once

// Support cycles, their pairings, preferences and sealed concerns (schema 0009,
// docs/protocol.md 7.29). The state machine is server/rules/cycles.hpp; the service runs it and
// these writes in one writer job.

#include "server/rules/cycles.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace confidant::store {

struct cycle_row {
  std::int64_t id = 0;
  std::int64_t headteacher = 0;
  std::int64_t associate = 0;  // 0 until paired
  std::int64_t pairing = 0;    // 0 until paired
  std::int64_t previous = 0;   // the cycle this one extends; 0 otherwise
  rules::cycle_state state = rules::cycle_state::requested;
  std::string school, federation, region, phase, size_band;
  std::string reason;  // a decline, withdrawal or early end's category; empty otherwise
  std::int64_t requested_at_ms = 0;
  std::optional<std::int64_t> paired_at_ms, active_at_ms, review_at_ms, ended_at_ms;
  std::int64_t end_asked_by = 0;  // 0 when nobody asked to end it
  std::string end_asked_reason;
  std::optional<std::int64_t> end_asked_at_ms;
};

// Stores a new cycle (row.id is ignored) and returns its id.
[[nodiscard]] result<std::int64_t> insert_cycle(database& db, const cycle_row& row);
// Writes back every column but the id and the headteacher.
[[nodiscard]] result<void> update_cycle(database& db, const cycle_row& row);
[[nodiscard]] result<std::optional<cycle_row>> find_cycle(database& db, std::int64_t id);

// Which cycles a listing reads, newest first.
enum class cycle_scope { all, of_headteacher, of_associate };
[[nodiscard]] result<std::vector<cycle_row>> list_cycles(database& db, cycle_scope scope, std::int64_t user = 0);
// The headteacher's cycle that is not final, if any (there is at most one).
[[nodiscard]] result<std::optional<cycle_row>> open_cycle_of(database& db, std::int64_t headteacher);
// The cycle of these two users (either order) that lets them write and meet (paired, active,
// review_due), if any.
[[nodiscard]] result<std::optional<cycle_row>> open_cycle_between(database& db, std::int64_t a, std::int64_t b);
// Every cycle in a state the server moves on by itself (paired, active).
[[nodiscard]] result<std::vector<cycle_row>> progressing_cycles(database& db);
// Open partnerships of an associate (paired, active, review_due).
[[nodiscard]] result<std::int64_t> associate_load(database& db, std::int64_t associate);

// The pairing row of two users, created or reopened; returns its id.
[[nodiscard]] result<std::int64_t> open_pairing(database& db, std::int64_t headteacher, std::int64_t associate,
                                                std::int64_t by, std::int64_t now_ms);
[[nodiscard]] result<void> end_pairing(database& db, std::int64_t pairing, std::int64_t now_ms);

[[nodiscard]] result<std::vector<std::int64_t>> preferences(database& db, std::int64_t cycle);
[[nodiscard]] result<void> set_preferences(database& db, std::int64_t cycle, std::span<const std::int64_t> ranked);

[[nodiscard]] result<void> put_concern(database& db, std::int64_t cycle, std::int64_t user,
                                       std::span<const unsigned char> body);
// One user's sealed concern of a cycle; empty when there is none.
[[nodiscard]] result<std::vector<unsigned char>> concern_of(database& db, std::int64_t cycle, std::int64_t user);

// Accepted initial and support meetings of each cycle whose start is before `now_ms`.
struct held_count {
  std::int64_t cycle = 0;
  std::int64_t held = 0;
};
[[nodiscard]] result<std::vector<held_count>> meetings_held(database& db, std::int64_t now_ms);

}  // namespace confidant::store
