#pragma once

// The run's figures as JSON (for scripts/bench) and as a table for people.

#include "tests/load/runner.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::load {

[[nodiscard]] boost::json::object to_json(const run_result& r);
// Every run, and the ratios of Confidant's accepted msgs/s to the relay's relayed msgs/s and to
// Prosody's accepted msgs/s, when those ran.
[[nodiscard]] boost::json::object report_json(const std::vector<run_result>& runs);
[[nodiscard]] std::string report_table(const std::vector<run_result>& runs);
[[nodiscard]] std::optional<double> confidant_to_relay(const std::vector<run_result>& runs);
[[nodiscard]] std::optional<double> confidant_to_prosody(const std::vector<run_result>& runs);
// What "accepted" is for a target: the report says it beside the figure.
[[nodiscard]] std::string_view accepted_means(std::string_view target);

}  // namespace confidant::load
