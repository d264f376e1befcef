#pragma once

// The programme statistics (docs/protocol.md 7.39) as CSV files for a spreadsheet (RFC 4180: a
// header line, CRLF line ends, a field quoted with its quotes doubled when it holds a comma, a
// quote, CR or LF). No content: ids, states, times, counts and the associates' display names.
//
//   cycles:     cycle,state,headteacher,associate,requested_at,paired_at,hours_to_pairing,meetings_held,reached_review
//   associates: user,display_name,status,load,capacity

#include "client/lib/programme.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace confidant::client::stats_csv {

// One field, quoted when it must be.
[[nodiscard]] std::string field(std::string_view value);
// One record: the fields joined by commas, ended by CRLF.
[[nodiscard]] std::string record(const std::vector<std::string>& fields);

[[nodiscard]] std::string cycles(const programme::stats& s);
[[nodiscard]] std::string associates(const programme::stats& s);

}  // namespace confidant::client::stats_csv
