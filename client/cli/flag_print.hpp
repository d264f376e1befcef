#pragma once

// How the `flag` commands show flags: JSON objects for --json, and lines for people with times in
// Europe/London (client/lib/uk_time.hpp), whatever this machine's time zone.

#include "client/lib/flag_desk.hpp"

#include <boost/json/object.hpp>

#include <string>

namespace confidant::cli {

[[nodiscard]] boost::json::object flag_json(const client::flags::flag_object& f);
[[nodiscard]] boost::json::object details_json(const client::flag_details& d);
// One line of `flag list`.
[[nodiscard]] std::string flag_line(const client::flag_entry& e);
void print_details(const client::flag_details& d);
// The emergency route, framed so that nobody misses it.
void print_emergency_route(const std::string& route);
// "Mon 23 Nov 2026 12:00 GMT"
[[nodiscard]] std::string london(std::int64_t ms);

}  // namespace confidant::cli
