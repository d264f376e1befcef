#pragma once

// Internal to the rules library: typed, position-carrying reads of TOML fields for the
// calendar parsers. Each error is "LINE:COL: what is wrong" at the offending value, or at the
// table that lacks a required key.

#include "server/rules/academic_year.hpp"
#include "server/rules/calendar_error.hpp"

#include <toml++/toml.h>

#include <initializer_list>
#include <string>
#include <string_view>

namespace confidant::rules::toml_fields {

[[nodiscard]] calendar_error error_at(const toml::source_region& where, calendar_errc code, std::string message);
[[nodiscard]] calendar_error error_at(const toml::node& n, calendar_errc code, std::string message);

// Refuses any key of t not in allowed (unknown_key), naming the table as `what`.
[[nodiscard]] parse_result<void> only_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                                           std::string_view what);

// A required string.
[[nodiscard]] parse_result<std::string> string_field(const toml::table& t, std::string_view key,
                                                     std::string_view what);

// A required date: a TOML local date (2026-09-01) or a string "2026-09-01".
[[nodiscard]] parse_result<civil_date> date_field(const toml::table& t, std::string_view key,
                                                  std::string_view what);

// Required `starts` and `ends` with ends >= starts (end_before_start at `ends`).
[[nodiscard]] parse_result<date_range> range_fields(const toml::table& t, std::string_view what);

// The array of tables under key, or nullptr if absent; wrong_type if key holds something else.
[[nodiscard]] parse_result<const toml::array*> table_array(const toml::table& t, std::string_view key);

// The node of key in t (for positions); t itself if absent.
[[nodiscard]] const toml::node& node_of(const toml::table& t, std::string_view key);

}  // namespace confidant::rules::toml_fields
