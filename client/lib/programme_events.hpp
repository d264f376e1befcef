#pragma once

// The support programme's events (docs/protocol.md 7.40) for people: a messenger extension that
// turns each `cycle` and `note_notice` event into a notice (kind::programme) saying what changed
// and what to do next (the associate is asked to make contact first after pairing; a headteacher
// learns that a note of a meeting exists). Notices carry states, ids and names, never a concern,
// a feedback answer or a note.

#include "client/lib/messenger.hpp"
#include "client/lib/programme.hpp"

#include <string>

namespace confidant::client {

class programme_events final : public messenger_extension {
 public:
  explicit programme_events(messenger& m) : m_(m) {}

  [[nodiscard]] outcome<void> on_login() override { return {}; }
  [[nodiscard]] outcome<bool> on_event(const wire::response& e) override;

  // The sentence for one cycle event as its receiver `me` sees it (`other` names the other side).
  [[nodiscard]] static std::string describe(const programme::cycle_event& e, std::int64_t me, const std::string& other);

 private:
  [[nodiscard]] std::string name_of(std::int64_t user);

  messenger& m_;
};

}  // namespace confidant::client
