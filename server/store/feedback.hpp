#pragma once

// End-of-cycle feedback with its consent gate, and associates' meeting notes (schema 0009,
// docs/protocol.md 7.37–7.38). Every body is end-to-end ciphertext for one owner.

#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace confidant::store {

using body_bytes = std::vector<unsigned char>;

struct feedback_row {
  std::int64_t cycle = 0;
  std::int64_t asked_by = 0;
  std::int64_t asked_at_ms = 0;
  std::vector<std::string> questions;
  std::optional<std::int64_t> submitted_at_ms;
};

struct feedback_body {
  std::int64_t item = 0;
  body_bytes body;
  std::int64_t released_at_ms = 0;  // releases only
};

[[nodiscard]] result<std::optional<feedback_row>> find_feedback(database& db, std::int64_t cycle);
[[nodiscard]] result<void> insert_feedback(database& db, const feedback_row& row);
[[nodiscard]] result<void> mark_submitted(database& db, std::int64_t cycle, std::int64_t now_ms);
[[nodiscard]] result<void> put_answer(database& db, std::int64_t cycle, std::int64_t item, std::int64_t user,
                                      std::span<const unsigned char> body);
// The answers sealed for `user`, by item.
[[nodiscard]] result<std::vector<feedback_body>> answers_for(database& db, std::int64_t cycle, std::int64_t user);
// The items answered at all.
[[nodiscard]] result<std::vector<std::int64_t>> answered_items(database& db, std::int64_t cycle);
[[nodiscard]] result<void> put_release(database& db, std::int64_t cycle, std::int64_t item,
                                       std::span<const unsigned char> body, std::int64_t now_ms);
[[nodiscard]] result<std::vector<feedback_body>> releases(database& db, std::int64_t cycle);

struct note_row {
  std::int64_t meeting = 0;
  std::int64_t associate = 0;
  std::int64_t headteacher = 0;
  body_bytes body;
  std::int64_t written_at_ms = 0;
  std::int64_t updated_at_ms = 0;
};

[[nodiscard]] result<std::optional<note_row>> find_note(database& db, std::int64_t meeting);
[[nodiscard]] result<void> put_note(database& db, const note_row& row);
// The notes an associate wrote, or the notes of meetings a headteacher took part in (`meeting`
// 0: every one), ordered by meeting.
enum class note_scope { by_associate, of_headteacher };
[[nodiscard]] result<std::vector<note_row>> list_notes(database& db, note_scope scope, std::int64_t user,
                                                       std::int64_t meeting);

}  // namespace confidant::store
