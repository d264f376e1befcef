#include "client/lib/stats_csv.hpp"

#include "client/lib/codec.hpp"

#include <cstdio>

namespace confidant::client::stats_csv {
namespace {

std::string hours(double h) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", h);
  return buf;
}

std::string id_or_empty(std::int64_t id) { return id > 0 ? std::to_string(id) : std::string{}; }

}  // namespace

std::string field(std::string_view value) {
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string{value};
  std::string out = "\"";
  for (const char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + '"';
}

std::string record(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += field(fields[i]);
  }
  return out + "\r\n";
}

std::string cycles(const programme::stats& s) {
  std::string out = record({"cycle", "state", "headteacher", "associate", "requested_at", "paired_at",
                            "hours_to_pairing", "meetings_held", "reached_review"});
  for (const auto& c : s.cycles) {
    out += record({std::to_string(c.cycle), c.state, std::to_string(c.headteacher), id_or_empty(c.associate),
                   codec::format_time_ms(c.requested_at_ms),
                   c.paired_at_ms ? codec::format_time_ms(*c.paired_at_ms) : std::string{},
                   c.hours_to_pairing ? hours(*c.hours_to_pairing) : std::string{}, std::to_string(c.meetings_held),
                   c.reached_review ? "true" : "false"});
  }
  return out;
}

std::string associates(const programme::stats& s) {
  std::string out = record({"user", "display_name", "status", "load", "capacity"});
  for (const auto& a : s.associates)
    out += record({std::to_string(a.user), a.display_name, a.status, std::to_string(a.load), std::to_string(a.capacity)});
  return out;
}

}  // namespace confidant::client::stats_csv
