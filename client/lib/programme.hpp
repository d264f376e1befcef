#pragma once

// The support programme on the wire (docs/protocol.md 7.29-7.40): typed requests and answers over
// a logged-in connection, like meetings.hpp and flags.hpp. Answers are read strictly where the
// protocol says a member is always there and leniently where a role sees less (an associate sees
// a cycle's `school` only); unknown members are ignored. An error answer becomes a failure with
// the server's code and its other members in `refusal_members` (`unmet` of not_eligible,
// `reason` or `associate` of associate_unavailable, `state` of wrong_state, `cycle` of
// limit_reached). What is sealed inside concerns, feedback and notes is client/lib/sealed_body.hpp.

#include "client/lib/codec.hpp"
#include "client/lib/connection.hpp"
#include "client/lib/failure.hpp"
#include "client/lib/sealed_body.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client::programme {

using bytes = std::vector<std::uint8_t>;
using sealed_body::addressed;

// What an associate publishes (7.29). `school`, `federation` and `conflicts` are never shown to
// headteachers.
struct profile {
  std::string region;
  std::string size_band;  // small | medium | large
  std::vector<std::string> school_types;
  std::string phase;  // nursery | primary | secondary | special | all_through
  std::string summary;
  std::vector<std::string> skills;
  std::int64_t capacity = 1;
  std::string availability;
  std::string school;
  std::string federation;
  std::vector<std::string> conflicts;
};

struct evidence {  // recorded by the coordinator (7.31)
  std::int64_t years_as_headteacher = 0;
  std::string last_inspection;  // outstanding | good | requires_improvement | inadequate
  bool training_completed = false;
  bool coaching_record = false;
  std::int64_t recorded_by = 0;     // in answers
  std::int64_t recorded_at_ms = 0;  // in answers
};

struct associate {  // the associate object (7.29)
  std::int64_t user = 0;
  std::string display_name;
  std::string status;  // pending | approved | suspended
  std::optional<profile> prof;
  std::int64_t load = 0;
  std::optional<evidence> evid;
  std::string suspended_reason;
};

struct offer {  // 7.33
  std::int64_t user = 0;
  std::string display_name;
  profile prof;  // region, size_band, school_types, phase, summary, skills, availability
  std::int64_t free_places = 0;
};

struct offer_filters {  // empty: not filtered
  std::string region, size_band, school_type, phase, skill;
};

struct end_request_info {
  std::int64_t by = 0;
  std::string reason;
  std::int64_t at_ms = 0;
};

struct cycle {  // the cycle object (7.29), as the caller may see it
  std::int64_t id = 0;
  std::string state;
  std::int64_t headteacher = 0;
  std::int64_t associate = 0;  // 0 before pairing
  std::int64_t previous = 0;   // the cycle this one extends, or 0
  std::string school, federation, region, phase, size_band;
  std::vector<std::int64_t> preferences;
  bytes concern;  // the caller's own sealed concern, empty when none
  std::int64_t requested_at_ms = 0;
  std::optional<std::int64_t> paired_at_ms, active_at_ms, review_at_ms, ended_at_ms;
  std::string reason;
  std::string starts_on, ends_on;  // YYYY-MM-DD, once a meeting counts
  std::int64_t meetings_held = 0;
  std::int64_t in_person_used = 0;
  std::int64_t in_person_cap = 0;
  std::optional<end_request_info> end_request;
  std::string feedback;  // requested | submitted | "" (not asked)

  // requested, offered, preferred: a request not yet paired.
  [[nodiscard]] bool is_request() const;
  // paired, active, review_due: the pair may write and meet.
  [[nodiscard]] bool is_open_partnership() const;
  [[nodiscard]] bool is_final() const;
};

using history_item = codec::history_item;

struct shown_cycle {  // cycle_show (7.34)
  cycle c;
  std::vector<history_item> history;  // coordinators only
};

struct ended {  // cycle_end (7.36)
  cycle c;
  std::optional<cycle> rematch;
};

struct request {  // request_create (7.32)
  std::string school, federation, region, phase, size_band;
  std::vector<addressed> concern;  // one per coordinator, and the caller's own copy
};

struct answer_item {  // feedback `answers`
  std::int64_t item = 0;
  bytes body;  // the caller's own copy, empty when none
  std::optional<std::int64_t> released_at_ms;
};

struct released_item {  // feedback `released` (the associate's view)
  std::int64_t item = 0;
  std::string question;
  bytes body;
  std::int64_t released_at_ms = 0;
};

struct feedback {  // 7.37
  std::int64_t cycle = 0;
  std::int64_t asked_by = 0;
  std::int64_t asked_at_ms = 0;
  std::vector<std::string> questions;  // coordinator, headteacher
  std::optional<std::int64_t> submitted_at_ms;
  std::vector<answer_item> answers;     // coordinator, headteacher
  std::vector<released_item> released;  // associate
};

struct answer_in {  // one item of feedback_submit
  std::int64_t item = 0;
  std::vector<addressed> bodies;  // for the coordinator who asked, and the headteacher's own copy
};

struct note {  // 7.38: an associate's own note (with `body`), or a headteacher's notice (`by`)
  std::int64_t meeting = 0;
  std::int64_t written_at_ms = 0;
  std::int64_t updated_at_ms = 0;
  bytes body;
  std::int64_t by = 0;
};

struct stats {  // 7.39
  struct associate_row {
    std::int64_t user = 0;
    std::string display_name, status;
    std::int64_t load = 0, capacity = 0;
  };
  struct cycle_row {
    std::int64_t cycle = 0;
    std::string state;
    std::int64_t headteacher = 0;
    std::int64_t associate = 0;  // 0 when never paired
    std::int64_t requested_at_ms = 0;
    std::optional<std::int64_t> paired_at_ms;
    std::optional<double> hours_to_pairing;
    std::int64_t meetings_held = 0;
    bool reached_review = false;
  };
  std::int64_t generated_at_ms = 0;
  std::map<std::string, std::int64_t> cycles_by_state;
  std::int64_t paired_count = 0;
  double median_hours = 0, max_hours = 0;
  std::int64_t active_cycles = 0;
  std::int64_t meetings_total = 0, meetings_cycles = 0;
  double mean_per_cycle = 0;
  std::int64_t cycles_reached_review = 0;
  std::vector<associate_row> associates;
  std::vector<cycle_row> cycles;
};

// --- events (7.40) --------------------------------------------------------------------------------
struct cycle_event {
  std::string change;
  std::int64_t by = 0;  // 0 when the server made the change
  cycle c;
  std::string prompt;  // "make_contact" to the associate on `paired`
  std::int64_t item = 0;  // on feedback_released
};
struct note_notice {
  std::int64_t meeting = 0;
  std::int64_t written_at_ms = 0;
};

// --- codecs ----------------------------------------------------------------------------------------
[[nodiscard]] outcome<associate> read_associate(const boost::json::object& o);
[[nodiscard]] outcome<cycle> read_cycle(const boost::json::object& o);
// The lists of the answers of `associates`, `cycles`, `offers` and `notes`.
[[nodiscard]] outcome<std::vector<associate>> read_associates(const boost::json::object& answer);
[[nodiscard]] outcome<std::vector<cycle>> read_cycles(const boost::json::object& answer);
[[nodiscard]] outcome<std::vector<offer>> read_offers(const boost::json::object& answer);
[[nodiscard]] outcome<feedback> read_feedback(const boost::json::object& o);
// The answers of cycle_show (`cycle`, `history`) and cycle_end (`cycle`, `rematch`).
[[nodiscard]] outcome<shown_cycle> read_shown_cycle(const boost::json::object& answer);
[[nodiscard]] outcome<ended> read_ended(const boost::json::object& answer);
// A note of `notes`, or the answer of note_write (`meeting`, `written_at`, `updated_at`).
[[nodiscard]] outcome<note> read_note(const boost::json::object& o);
[[nodiscard]] outcome<std::vector<note>> read_notes(const boost::json::object& answer);
[[nodiscard]] outcome<stats> read_stats(const boost::json::object& answer);
[[nodiscard]] outcome<cycle_event> read_cycle_event(const boost::json::object& o);
[[nodiscard]] outcome<note_notice> read_note_notice(const boost::json::object& o);
[[nodiscard]] boost::json::object profile_fields(const profile& p);
[[nodiscard]] boost::json::object request_fields(const request& r);

// --- requests (on a logged-in connection) ----------------------------------------------------------
struct calls {
  connection& conn;
  boost::json::object refusal_members{};

  [[nodiscard]] outcome<associate> profile_set(const profile& p);
  [[nodiscard]] outcome<associate> profile_of(std::optional<std::int64_t> user);
  [[nodiscard]] outcome<std::vector<associate>> associates(std::optional<std::string> status);
  [[nodiscard]] outcome<associate> approve(std::int64_t associate_user, const evidence& e);
  [[nodiscard]] outcome<associate> suspend(std::int64_t associate_user, std::string_view reason);

  [[nodiscard]] outcome<cycle> request_create(const request& r);
  [[nodiscard]] outcome<cycle> request_withdraw(std::int64_t cycle_id);
  [[nodiscard]] outcome<std::vector<offer>> offers(std::int64_t cycle_id, const offer_filters& f);
  [[nodiscard]] outcome<cycle> prefer(std::int64_t cycle_id, const std::vector<std::int64_t>& ranked);

  [[nodiscard]] outcome<std::vector<cycle>> cycles(std::optional<std::string> state);
  [[nodiscard]] outcome<shown_cycle> cycle_show(std::int64_t cycle_id);
  [[nodiscard]] outcome<cycle> pair(std::int64_t cycle_id, std::int64_t associate_user);
  [[nodiscard]] outcome<cycle> request_decline(std::int64_t cycle_id, std::string_view reason);
  [[nodiscard]] outcome<cycle> extend(std::int64_t cycle_id);
  [[nodiscard]] outcome<cycle> close(std::int64_t cycle_id);
  [[nodiscard]] outcome<cycle> end_request(std::int64_t cycle_id, std::string_view reason);
  [[nodiscard]] outcome<ended> end(std::int64_t cycle_id, std::string_view reason, bool rematch);

  [[nodiscard]] outcome<feedback> feedback_request(std::int64_t cycle_id, const std::vector<std::string>& questions);
  [[nodiscard]] outcome<feedback> feedback_submit(std::int64_t cycle_id, const std::vector<answer_in>& answers);
  [[nodiscard]] outcome<feedback> feedback_release(std::int64_t cycle_id, std::int64_t item, const bytes& body);
  [[nodiscard]] outcome<feedback> feedback_of(std::int64_t cycle_id);

  [[nodiscard]] outcome<note> note_write(std::int64_t meeting, const bytes& body);
  [[nodiscard]] outcome<std::vector<note>> notes(std::optional<std::int64_t> meeting);
  [[nodiscard]] outcome<stats> statistics();

 private:
  [[nodiscard]] outcome<boost::json::object> ask(std::string_view type, boost::json::object fields, std::string_view what);
  [[nodiscard]] outcome<cycle> ask_cycle(std::string_view type, boost::json::object fields, std::string_view what);
  [[nodiscard]] outcome<associate> ask_associate(std::string_view type, boost::json::object fields, std::string_view what);
  [[nodiscard]] outcome<feedback> ask_feedback(std::string_view type, boost::json::object fields, std::string_view what);
};

inline constexpr std::array<std::string_view, 9> states{"requested", "offered",  "preferred",
                                                       "paired",    "active",   "review_due",
                                                       "extended",  "closed",   "ended_early"};
inline constexpr std::array<std::string_view, 5> end_reasons{"not_working", "conflict_of_interest", "moved_school",
                                                            "capacity", "other"};
inline constexpr std::array<std::string_view, 4> decline_reasons{"no_associate_available", "outside_scheme",
                                                                "duplicate", "other"};
inline constexpr std::array<std::string_view, 5> suspend_reasons{"eligibility_lapsed", "capacity", "conduct", "leave",
                                                                "other"};

}  // namespace confidant::client::programme
