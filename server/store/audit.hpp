#pragma once

// The audit log (schema 0006, docs/audit.md): append-only and hash-chained. Each entry's hash is
//   BLAKE2b-256("Confidant_Audit_v1" ‖ prev_hash ‖ u64 seq ‖ i64 at_ms ‖
//               u32 len ‖ actor ‖ u32 len ‖ action ‖ u32 len ‖ object ‖ u32 len ‖ detail)
// (integers big-endian), prev_hash being the previous entry's hash, or 32 zero bytes for the
// first. Entries say who did what to which object and when; never content.

#include "server/store/database.hpp"

#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::store {

using audit_hash = std::array<unsigned char, 32>;

struct audit_entry {
  std::int64_t seq = 0;
  std::int64_t at_ms = 0;
  std::string actor;   // "user:7", "server", "operator"
  std::string action;  // "flag_raised", "meeting_proposed", ...
  std::string object;  // "flag:4", "user:7", "" when none
  std::string detail;  // a JSON object of metadata
  audit_hash prev_hash{};
  audit_hash hash{};
};

// What an entry's hash must be, given its fields and prev_hash.
[[nodiscard]] audit_hash audit_entry_hash(const audit_entry& e);

// Appends one entry after the current head; call inside the transaction of the action it
// records, so both commit or neither does. Returns the entry's seq.
[[nodiscard]] result<std::int64_t> append_audit(database& db, std::int64_t at_ms, std::string_view actor,
                                                std::string_view action, std::string_view object,
                                                std::string_view detail = "{}");

struct audit_verdict {
  std::int64_t entries = 0;                 // entries read
  std::optional<std::int64_t> broken_at;    // the first entry that does not verify
  std::string problem;                      // why, when broken
  audit_hash head{};                        // the last good entry's hash
};

// Walks the chain from the first entry: seq without gaps, each prev_hash the previous hash, each
// hash recomputed from the fields.
[[nodiscard]] result<audit_verdict> verify_audit(database& db);

// Calls `fn` for each entry with from_ms <= at_ms < to_ms, in seq order.
[[nodiscard]] result<void> for_each_audit(database& db, std::int64_t from_ms, std::int64_t to_ms,
                                          const std::function<void(const audit_entry&)>& fn);

// The entries naming `object`, in order.
[[nodiscard]] result<std::vector<audit_entry>> audit_of_object(database& db, std::string_view object);

}  // namespace confidant::store
