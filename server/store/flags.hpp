#pragma once

// Safeguarding flags, their sealed copies and notes, and the SPOC devices' sealing-key
// certificates (schema 0006, docs/protocol.md 7.23-7.28). The server stores ciphertext it cannot
// open plus the metadata it must act on: category, urgency, state, deadline, escalations.

#include "server/store/database.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace confidant::store {

using client_id = std::array<unsigned char, 16>;
using bytes = std::vector<unsigned char>;

struct spoc_key_row {
  std::int64_t user = 0;
  std::int64_t device = 0;
  bool deputy = false;
  std::array<unsigned char, 128> identity{};
  std::int64_t key_id = 0;
  bytes certificate;
};

// The highest key id the device has published, if any.
[[nodiscard]] result<std::optional<std::int64_t>> latest_spoc_key_id(database& db, std::int64_t user,
                                                                     std::int64_t device);
[[nodiscard]] result<void> insert_spoc_key(database& db, std::int64_t user, std::int64_t device, std::int64_t key_id,
                                           std::span<const unsigned char> certificate, std::int64_t not_after_ms,
                                           std::int64_t now_ms);
// For each active device of each active SPOC account: its newest certificate valid at now_ms
// (none: the device is left out). Ordered by (user, device).
[[nodiscard]] result<std::vector<spoc_key_row>> current_spoc_keys(database& db, std::int64_t now_ms);

struct flag_row {
  std::int64_t id = 0;
  std::int64_t raiser = 0;
  std::int64_t raiser_device = 0;
  client_id flag_id{};
  std::string category;
  std::string urgency;
  std::string state;  // received, acknowledged, resolved
  std::int64_t raised_at_ms = 0;
  std::int64_t deadline_at_ms = 0;
  bool out_of_hours = false;
  std::optional<std::int64_t> acknowledged_at_ms;
  std::optional<std::int64_t> acknowledged_by;
  std::optional<std::int64_t> resolved_at_ms;
  std::optional<std::int64_t> resolved_by;
  std::string outcome;  // empty unless resolved
  std::int64_t escalations = 0;
  std::optional<std::int64_t> next_escalation_at_ms;
  bool legal_hold = false;
};

struct flag_copy {
  std::int64_t user = 0;
  std::int64_t device = 0;
  std::int64_t key_id = 0;
  bytes sealed;
};

// Stores a new flag (row.id ignored) and returns its id.
[[nodiscard]] result<std::int64_t> insert_flag(database& db, const flag_row& row);
// Writes back state, acknowledgement, resolution, escalations and legal hold.
[[nodiscard]] result<void> update_flag(database& db, const flag_row& row);
[[nodiscard]] result<std::optional<flag_row>> find_flag(database& db, std::int64_t id);
[[nodiscard]] result<std::optional<flag_row>> find_flag_by_client_id(database& db, std::int64_t raiser,
                                                                     std::int64_t device, const client_id& id);
// Newest first; `raiser` limits to one raiser's flags, `state` to one state.
[[nodiscard]] result<std::vector<flag_row>> list_flags(database& db, std::optional<std::int64_t> raiser,
                                                       std::optional<std::string> state);

// One copy per SPOC device of a flag (note 0) or of one of its notes.
[[nodiscard]] result<void> insert_flag_copies(database& db, std::int64_t flag, std::int64_t note,
                                              std::span<const flag_copy> copies);
[[nodiscard]] result<std::optional<flag_copy>> find_flag_copy(database& db, std::int64_t flag, std::int64_t note,
                                                              std::int64_t user, std::int64_t device);
// The flags whose copy this device has not confirmed, oldest first.
[[nodiscard]] result<std::vector<std::int64_t>> flags_waiting_for(database& db, std::int64_t user,
                                                                  std::int64_t device);
// Marks the device's copies of `flags` received; returns the ids newly marked.
[[nodiscard]] result<std::vector<std::int64_t>> mark_flags_received(database& db, std::int64_t user,
                                                                    std::int64_t device,
                                                                    std::span<const std::int64_t> flags,
                                                                    std::int64_t now_ms);

struct flag_note_row {
  std::int64_t id = 0;
  std::int64_t flag = 0;
  std::int64_t author = 0;
  std::int64_t author_device = 0;
  client_id note_id{};
  std::int64_t added_at_ms = 0;
};

[[nodiscard]] result<std::int64_t> insert_flag_note(database& db, const flag_note_row& row);
[[nodiscard]] result<std::optional<flag_note_row>> find_flag_note_by_client_id(database& db, std::int64_t author,
                                                                              std::int64_t device,
                                                                              const client_id& id);
[[nodiscard]] result<std::vector<flag_note_row>> flag_notes(database& db, std::int64_t flag);

// The earliest pending escalation instant, and the flags due at now_ms.
[[nodiscard]] result<std::optional<std::int64_t>> next_flag_escalation(database& db);
[[nodiscard]] result<std::vector<flag_row>> flags_due_for_escalation(database& db, std::int64_t now_ms);

// Deletes resolved flags (copies and notes too) resolved before `cutoff_ms` and not under legal
// hold; returns their ids.
[[nodiscard]] result<std::vector<std::int64_t>> delete_expired_flags(database& db, std::int64_t cutoff_ms);

}  // namespace confidant::store
