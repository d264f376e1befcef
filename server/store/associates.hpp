#pragma once

// Associates' profiles, eligibility evidence and approval (schema 0009, docs/protocol.md 7.29–7.31).
// The profile is kept as the JSON object associates publish; the criteria are
// server/rules/matching.hpp.

#include "server/store/database.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace confidant::store {

struct evidence_row {
  std::int64_t years = 0;
  std::string inspection;
  bool training = false;
  bool coaching = false;
  std::int64_t recorded_by = 0;
  std::int64_t recorded_at_ms = 0;
};

struct associate_row {
  std::int64_t user = 0;
  std::string display_name;
  std::string status = "pending";  // pending, approved, suspended
  std::string profile;             // JSON object; empty until written
  std::int64_t capacity = 1;       // 1 until a profile says otherwise
  std::int64_t load = 0;           // open partnerships (paired, active, review_due)
  std::optional<evidence_row> evidence;
  std::string suspended_reason;  // empty unless suspended
};

// The active associate account `user` with its programme record (defaults when it has none), or
// nullopt when there is no active associate by that id.
[[nodiscard]] result<std::optional<associate_row>> find_associate(database& db, std::int64_t user);
// Every active associate account, ordered by user.
[[nodiscard]] result<std::vector<associate_row>> all_associates(database& db);

[[nodiscard]] result<void> put_profile(database& db, std::int64_t user, const std::string& profile_json,
                                       std::int64_t capacity, std::int64_t now_ms);
// Records the evidence and sets the status to approved.
[[nodiscard]] result<void> approve_associate(database& db, std::int64_t user, const evidence_row& evidence);
[[nodiscard]] result<void> suspend_associate(database& db, std::int64_t user, const std::string& reason);

}  // namespace confidant::store
