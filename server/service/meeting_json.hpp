#pragma once

// The JSON shapes of meetings on the wire (protocol.md 7.16): the meeting object, the `meeting`
// event, cycle and term allowances.

#include "server/rules/meetings.hpp"
#include "server/store/meetings.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace confidant::service {

// Why a meeting was cancelled: a category the server may see (never free text).
inline constexpr std::array<std::string_view, 5> cancel_reasons{"illness", "school_emergency", "diary_clash",
                                                                "no_longer_needed", "other"};

// A meeting as one participant sees it: `details` is that participant's ciphertext (omitted when
// there is none).
[[nodiscard]] boost::json::object meeting_json(const store::meeting_row& row, std::span<const unsigned char> details);
// {"type":"meeting","change":...,"by":user,"meeting":{...}}
[[nodiscard]] std::string meeting_event(const store::meeting_row& row, std::span<const unsigned char> details,
                                        std::string_view change, std::int64_t by);
[[nodiscard]] boost::json::object cycle_json(std::int64_t pairing, const rules::cycle_status& c);
[[nodiscard]] boost::json::object term_json(const rules::term_ref& t);
[[nodiscard]] boost::json::object term_status_json(std::int64_t pairing, const rules::term_status& t);

}  // namespace confidant::service
