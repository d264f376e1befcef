#pragma once

// One device's safeguarding flags (docs/protocol.md 7.23-7.28, docs/client.md "Safeguarding
// flags"), attached to its messenger as an extension so that every connection handles the flag
// events and every login does the upkeep:
//   - a SPOC device keeps a current sealing key published (generated, stored, then published with
//     spoc_key_publish at its first login, renewed before it expires, rotated on request) and
//     keeps every older key to open flags sealed to it;
//   - a SPOC device opens each `flag` event with its kept keys (the flagger's signature is
//     checked inside), compares the sealed category, urgency and raiser with the server's
//     metadata, verifies every quote with the server's key, stores it all and only then confirms
//     with flag_received; `flag_note`, `flag_alert` are stored and noticed;
//   - a raiser seals the flag body once per SPOC device (each certificate verified against the
//     device's identity, identities pinned on first use), raises it with a random flag_id,
//     reseals and resends with the same flag_id on spoc_keys_changed, and resends a flag left
//     pending by a lost connection at the next login; `flag_state` updates its record.
// Notices (kind::flag) carry category and urgency only.

#include "client/lib/flags.hpp"
#include "client/lib/messenger.hpp"
#include "client/store/flag_store.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace confidant::client {

struct raise_request {
  std::string category;
  std::string urgency;
  std::string text;
  std::vector<std::int64_t> quotes;  // local ids of received messages (history)
};

struct raise_result {
  raised_flag record;  // state "received" etc. once accepted
  bool out_of_hours = false;
  std::string emergency_route;
};

// A flag as `flag list` shows it: the server's object and what this device keeps of it.
struct flag_entry {
  flags::flag_object flag;
  std::optional<raised_flag> mine;         // a flag this device raised
  std::optional<received_flag> received;   // a SPOC device's copy (without quotes)
};

struct flag_details {
  flags::flag_object flag;
  std::optional<raised_flag> mine;
  std::optional<received_flag> received;  // with quotes and their verdicts
  std::vector<flag_note_record> notes;
  std::vector<flags::history_item> history;
};

class flag_desk final : public messenger_extension {
 public:
  // Attaches a desk to `m` (once: a second call returns the first) and, when `m` is connected,
  // does the login upkeep at once.
  [[nodiscard]] static outcome<flag_desk*> attach(messenger& m);
  explicit flag_desk(messenger& m) : m_(m) {}

  [[nodiscard]] outcome<void> on_login() override;
  [[nodiscard]] outcome<bool> on_event(const wire::response& e) override;

  // --- SPOC: sealing keys ------------------------------------------------------------------------
  // Publishes a key when none is current (or the current one expires within 30 days, or one was
  // stored but never published). Returns the current key id.
  [[nodiscard]] outcome<std::uint32_t> ensure_key();
  // A new key with a higher id, published; older keys are kept (retired). Returns the new id.
  [[nodiscard]] outcome<std::uint32_t> rotate();

  // --- raising -----------------------------------------------------------------------------------
  [[nodiscard]] outcome<raise_result> raise(const raise_request& r);
  // Resends every flag left pending (done at each login). Returns how many were accepted.
  [[nodiscard]] outcome<std::size_t> resend_pending();

  // --- handling (SPOC) -----------------------------------------------------------------------------
  [[nodiscard]] outcome<flags::flag_object> ack(std::int64_t flag);
  [[nodiscard]] outcome<flag_note_record> note(std::int64_t flag, const std::string& text);
  [[nodiscard]] outcome<flags::flag_object> resolve(std::int64_t flag, const std::string& outcome_name);
  [[nodiscard]] outcome<flags::flag_object> hold(std::int64_t flag, bool on);

  // --- reading -------------------------------------------------------------------------------------
  // The server's list (newest first) with this device's records; flags raised here and not yet
  // accepted come first (state "pending" or "failed", id 0).
  [[nodiscard]] outcome<std::vector<flag_entry>> list(std::optional<std::string> state);
  // A SPOC device asks the server (flag_show) and opens what it had not opened yet; a raiser reads
  // its own record (refreshed from `flags`).
  [[nodiscard]] outcome<flag_details> show(std::int64_t flag);

 private:
  [[nodiscard]] bool spoc() const;
  messenger& m_;
};

}  // namespace confidant::client
