#pragma once

// Associates' profiles and the associate object (docs/protocol.md 7.29–7.31, 7.33): reading the
// profile fields, keeping them as JSON in the store, and what each role sees of them.

#include "schema/wire/fields.hpp"
#include "server/rules/matching.hpp"
#include "server/rules/roles.hpp"
#include "server/store/associates.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::service {

struct profile {
  std::string region, size_band, phase, summary, availability, school, federation;
  std::vector<std::string> school_types, skills, conflicts;
  std::int64_t capacity = 1;
};

inline constexpr std::string_view size_bands = "small, medium, large";
inline constexpr std::string_view phases = "nursery, primary, secondary, special, all_through";
[[nodiscard]] bool valid_size_band(std::string_view s) noexcept;
[[nodiscard]] bool valid_phase(std::string_view s) noexcept;
// UTF-8 text without control characters (the caller checks the length).
[[nodiscard]] bool plain_text(std::string_view s) noexcept;

// A text field of min..max bytes without control characters; empty when absent or refused.
[[nodiscard]] std::string read_plain(wire::field_reader& in, std::string_view key, std::size_t min, std::size_t max,
                                     bool required);

// Reads and checks the profile fields of `profile_set`; nullopt after recording the problem.
[[nodiscard]] std::optional<profile> read_profile(wire::field_reader& in);

[[nodiscard]] boost::json::object to_json(const profile& p);
// The stored form back; nullopt when there is none (or it does not parse, which the store never holds).
[[nodiscard]] std::optional<profile> stored_profile(std::string_view json);

// What the offer rules see of an associate.
[[nodiscard]] rules::associate_profile matching_profile(const store::associate_row& a);

// The associate object as `viewer` (a coordinator, or the associate themself) sees it.
[[nodiscard]] boost::json::object associate_json(const store::associate_row& a, rules::role viewer);
// An offer to a headteacher: the published fields, never school, federation or conflicts.
[[nodiscard]] boost::json::object offer_json(const store::associate_row& a);

}  // namespace confidant::service
