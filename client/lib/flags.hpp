#pragma once

// Safeguarding flags on the wire (docs/protocol.md 7.23-7.28): typed requests and answers over a
// logged-in connection, like meetings.hpp. Answers are read strictly (presence, type, range)
// and unknown members are ignored; an error answer becomes a failure with the server's code
// (errc::error_answer) and its other members in `refusal_members` (e.g. `state` of wrong_state).
// What is sealed inside is client/lib/flag_body.hpp; the device's work is flag_desk.hpp.

#include "client/lib/codec.hpp"
#include "client/lib/connection.hpp"
#include "client/lib/failure.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client::flags {

using bytes = std::vector<std::uint8_t>;
using id16 = std::array<std::uint8_t, 16>;

// The flag object (7.23). The members after `resolved_at_ms` are the SPOC's view only.
struct flag_object {
  std::int64_t id = 0;
  std::string category;
  std::string urgency;
  std::string state;  // received | acknowledged | resolved
  std::int64_t raised_at_ms = 0;
  std::int64_t deadline_at_ms = 0;
  std::optional<std::int64_t> acknowledged_at_ms;
  std::optional<std::int64_t> resolved_at_ms;
  std::optional<codec::device_ref> raised_by;
  std::optional<std::int64_t> acknowledged_by;
  std::optional<std::int64_t> resolved_by;
  std::string outcome;
  std::int64_t escalations = 0;
  bool legal_hold = false;
};

struct spoc_key {  // one item of `spoc_keys` (7.24)
  std::int64_t user = 0;
  std::int64_t device = 0;
  bool deputy = false;
  bytes identity;     // 128 bytes (7.3)
  std::int64_t key_id = 0;
  bytes certificate;  // 149 bytes
};

struct sealed_copy {  // one item of `copies` (7.25, 7.27)
  std::int64_t user = 0;
  std::int64_t device = 0;
  std::int64_t key_id = 0;
  bytes sealed;
};

struct raise_answer {
  flag_object flag;
  bool out_of_hours = false;
  std::string emergency_route;
};

struct published {
  std::int64_t key_id = 0;
  std::int64_t not_after_ms = 0;
};

struct note_added {
  std::int64_t note = 0;
  std::int64_t added_at_ms = 0;
};

// A note as `flag_show` lists it and as the `flag_note` event carries it.
struct note_copy {
  std::int64_t flag = 0;
  std::int64_t note = 0;
  codec::device_ref author;
  std::int64_t added_at_ms = 0;
  std::int64_t key_id = 0;
  bytes sealed;
};

using history_item = codec::history_item;

struct shown {  // flag_show (7.27)
  flag_object flag;
  std::optional<std::int64_t> key_id;  // this device's copy, absent when it had no key then
  bytes sealed;
  std::vector<note_copy> notes;
  std::vector<history_item> history;
};

// --- events (7.28) --------------------------------------------------------------------------------
struct flag_event {
  flag_object flag;
  std::optional<std::int64_t> key_id;
  bytes sealed;
  bool alert = false;
};
struct alert_event {
  std::int64_t flag = 0;
  std::string category;
  std::string urgency;
  std::int64_t deadline_at_ms = 0;
  std::int64_t escalations = 0;
};
struct state_event {
  std::int64_t flag = 0;
  std::string state;
  std::int64_t at_ms = 0;
};

// --- codecs ------------------------------------------------------------------------------------
[[nodiscard]] outcome<flag_object> read_flag(const boost::json::object& o);
[[nodiscard]] outcome<std::vector<spoc_key>> read_spoc_keys(const boost::json::object& o);
[[nodiscard]] outcome<raise_answer> read_raise(const boost::json::object& o);
[[nodiscard]] outcome<std::vector<flag_object>> read_flags(const boost::json::object& o);
[[nodiscard]] outcome<shown> read_shown(const boost::json::object& o);
[[nodiscard]] outcome<flag_event> read_flag_event(const boost::json::object& o);
[[nodiscard]] outcome<alert_event> read_alert_event(const boost::json::object& o);
[[nodiscard]] outcome<note_copy> read_note_event(const boost::json::object& o);
[[nodiscard]] outcome<state_event> read_state_event(const boost::json::object& o);
[[nodiscard]] boost::json::array copies_json(const std::vector<sealed_copy>& copies);
[[nodiscard]] boost::json::object raise_fields(const id16& flag_id, std::string_view category,
                                               std::string_view urgency, const std::vector<sealed_copy>& copies);

// --- requests (on a logged-in connection) ------------------------------------------------------
struct calls {
  connection& conn;
  boost::json::object refusal_members{};

  [[nodiscard]] outcome<std::vector<spoc_key>> spoc_keys();
  [[nodiscard]] outcome<published> publish(const bytes& certificate);
  [[nodiscard]] outcome<raise_answer> raise(const id16& flag_id, std::string_view category, std::string_view urgency,
                                            const std::vector<sealed_copy>& copies);
  [[nodiscard]] outcome<std::int64_t> received(const std::vector<std::int64_t>& ids);
  [[nodiscard]] outcome<flag_object> ack(std::int64_t flag);
  [[nodiscard]] outcome<note_added> note(std::int64_t flag, const id16& note_id, const std::vector<sealed_copy>& copies);
  [[nodiscard]] outcome<flag_object> resolve(std::int64_t flag, std::string_view outcome);
  [[nodiscard]] outcome<flag_object> hold(std::int64_t flag, bool on);
  [[nodiscard]] outcome<std::vector<flag_object>> list(std::optional<std::string> state);
  [[nodiscard]] outcome<shown> show(std::int64_t flag);

 private:
  [[nodiscard]] outcome<boost::json::object> ask(std::string_view type, boost::json::object fields, std::string_view what);
};

}  // namespace confidant::client::flags
