#pragma once

// Meetings and their end-to-end details (schema 0005, docs/meetings.md). The rules that decide
// whether a meeting may be stored are in server/rules/meetings.hpp; the service runs them and
// these writes in one writer job, so a cap can never be exceeded by racing proposals.

#include "server/rules/meetings.hpp"
#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace confidant::store {

struct meeting_row {
  rules::meeting m;  // id, pairing (0 for supervision), participants, time, mode, kind, state
  std::int64_t cycle = 0;  // the cycle it counts in (schema 0009); 0 for supervision
  std::int64_t proposer = 0;
  std::string cancel_reason;  // empty unless cancelled
  std::int64_t changed_by = 0;
  std::int64_t sequence = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

// Stores a new meeting (m.id is ignored) and returns its id.
[[nodiscard]] result<std::int64_t> insert_meeting(database& db, const meeting_row& row);
// Writes back time, mode, state, proposer, cancel reason, changed_by, sequence and updated_at.
[[nodiscard]] result<void> update_meeting(database& db, const meeting_row& row);
[[nodiscard]] result<std::optional<meeting_row>> find_meeting(database& db, std::int64_t id);
// The meetings `user` takes part in that overlap [from_ms, to_ms), in every state, ordered by
// start and id; at most `limit`.
[[nodiscard]] result<std::vector<meeting_row>> meetings_of_user(database& db, std::int64_t user, std::int64_t from_ms,
                                                                std::int64_t to_ms, std::size_t limit = 10000);
// Every meeting of a cycle, in every state (the cycle and term rules need all of them).
[[nodiscard]] result<std::vector<rules::meeting>> meetings_of_cycle(database& db, std::int64_t cycle);

// Replaces one participant's details ciphertext.
[[nodiscard]] result<void> put_meeting_details(database& db, std::int64_t meeting, std::int64_t user,
                                               std::span<const unsigned char> body);
// One participant's details ciphertext; empty when there is none.
[[nodiscard]] result<std::vector<unsigned char>> meeting_details(database& db, std::int64_t meeting,
                                                                 std::int64_t user);

}  // namespace confidant::store
