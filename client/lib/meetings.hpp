#pragma once

// Meetings on the client's side (docs/protocol.md 7.16-7.22): typed requests and answers over a
// logged-in connection. Answers are read strictly (presence, type, range) and unknown members
// are ignored; an error answer becomes a failure with the server's code (errc::error_answer),
// its message in `detail`, and the refusal's members (next_opening, used, cap, ...) in
// `refusal_members` of the call that returns them.

#include "client/lib/connection.hpp"
#include "client/lib/failure.hpp"
#include "client/lib/sealed_body.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client::meetings {

using bytes = std::vector<std::uint8_t>;

struct meeting {
  std::int64_t id = 0;
  std::int64_t pairing = 0;  // 0 for supervision
  std::array<std::int64_t, 2> participants{};  // the associate first
  std::int64_t proposer = 0;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string mode;   // in_person | online | phone
  std::string kind;   // initial | support | supervision
  std::string state;  // proposed | accepted | declined | cancelled
  std::string cancel_reason;
  std::int64_t sequence = 0;
  std::int64_t created_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  std::int64_t changed_by = 0;
  bytes details;  // this user's details ciphertext, empty when none

  // The other participant, seen from `me`.
  [[nodiscard]] std::int64_t other(std::int64_t me) const { return participants[0] == me ? participants[1] : participants[0]; }
};

struct cycle {
  std::int64_t pairing = 0;
  std::string starts_on, ends_on;  // YYYY-MM-DD
  std::int64_t meetings_used = 0;
  std::int64_t cap = 0;
  bool review_due = false;
  std::int64_t with = 0;  // in `meetings` answers
};

struct term {
  std::int64_t pairing = 0;
  std::string year, name, starts_on, ends_on;
  std::int64_t meetings_used = 0;
  std::int64_t cap = 0;
  std::int64_t with = 0;
};

struct answer {  // propose, accept, decline, cancel, reschedule
  meeting m;
  std::optional<cycle> cyc;
  std::optional<term> trm;
};

struct listing {
  std::vector<meeting> meetings;
  std::vector<cycle> cycles;
  std::vector<term> terms;
};

struct window {
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
};

// One participant's details, a sealed body.
using details_for = sealed_body::addressed;

struct proposal {
  std::int64_t with = 0;
  std::int64_t start_ms = 0;
  std::int64_t end_ms = 0;
  std::string mode = "in_person";
  std::string kind = "support";
  std::vector<details_for> details;
};

// --- codecs ------------------------------------------------------------------------------------
[[nodiscard]] outcome<meeting> read_meeting(const boost::json::object& o);
[[nodiscard]] outcome<answer> read_answer(const boost::json::object& o);
[[nodiscard]] outcome<listing> read_listing(const boost::json::object& o);
[[nodiscard]] outcome<std::vector<window>> read_windows(const boost::json::object& o);
struct event {
  std::string change;  // proposed | accepted | declined | cancelled | rescheduled
  std::int64_t by = 0;
  meeting m;
};
// A `meeting` event (7.16).
[[nodiscard]] outcome<event> read_event(const boost::json::object& o);
[[nodiscard]] boost::json::object proposal_fields(const proposal& p);
// `[{"user", "body"}, …]`: details here, and the sealed bodies of the programme (7.29).
[[nodiscard]] boost::json::array bodies_json(const std::vector<details_for>& bodies);

// --- requests (on a logged-in connection) ----------------------------------------------------------
// The members of the last error answer other than type, rid, code and message (next_opening,
// user, used, cap, ends_on, term, ...), for a caller that shows them.
struct calls {
  connection& conn;
  boost::json::object refusal_members{};

  [[nodiscard]] outcome<answer> propose(const proposal& p);
  [[nodiscard]] outcome<answer> accept(std::int64_t id);
  [[nodiscard]] outcome<answer> decline(std::int64_t id);
  [[nodiscard]] outcome<answer> cancel(std::int64_t id, std::string_view reason);
  [[nodiscard]] outcome<answer> reschedule(std::int64_t id, std::int64_t start_ms, std::int64_t end_ms,
                                           std::optional<std::string> mode, const std::vector<details_for>& details);
  [[nodiscard]] outcome<listing> list(std::int64_t from_ms, std::int64_t to_ms);
  // The open windows of `user` (nullopt: the caller) in [from, to).
  [[nodiscard]] outcome<std::vector<window>> windows(std::optional<std::int64_t> user, std::int64_t from_ms,
                                                     std::int64_t to_ms);
  // The caller's own narrower window (7.22a): ISO weekdays, "HH:MM" local times (empty: as
  // policy). The answer is the window in force, {"days", "start", "end"}.
  [[nodiscard]] outcome<boost::json::object> set_window(const std::vector<int>& days, const std::string& start,
                                                        const std::string& end);
  [[nodiscard]] outcome<boost::json::object> clear_window();

 private:
  [[nodiscard]] outcome<boost::json::object> ask(std::string_view type, boost::json::object fields, std::string_view what);
};

inline constexpr std::array<std::string_view, 5> cancel_reasons{"illness", "school_emergency", "diary_clash",
                                                                "no_longer_needed", "other"};

}  // namespace confidant::client::meetings
