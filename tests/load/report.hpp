#pragma once

// The run's figures as JSON (for scripts/bench) and as a table for people.

#include "tests/load/runner.hpp"

#include <boost/json/object.hpp>

#include <optional>
#include <string>
#include <vector>

namespace confidant::load {

[[nodiscard]] boost::json::object to_json(const run_result& r);
// Every run, and the ratio of Confidant's accepted msgs/s to the relay's relayed msgs/s when both ran.
[[nodiscard]] boost::json::object report_json(const std::vector<run_result>& runs);
[[nodiscard]] std::string report_table(const std::vector<run_result>& runs);
[[nodiscard]] std::optional<double> confidant_to_relay(const std::vector<run_result>& runs);

}  // namespace confidant::load
