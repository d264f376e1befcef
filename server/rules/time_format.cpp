#include "server/rules/time_format.hpp"

#include <date/date.h>

#include <sstream>

namespace confidant::rules {

std::string format_utc(time_point t) { return date::format("%FT%TZ", t); }

std::optional<time_point> parse_utc(std::string_view text) {
  if (text.size() != 24 || text.back() != 'Z') return std::nullopt;
  std::istringstream in{std::string{text}};
  time_point t;
  in >> date::parse("%FT%TZ", t);
  if (in.fail()) return std::nullopt;
  return t;
}

}  // namespace confidant::rules
