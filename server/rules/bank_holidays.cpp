#include "server/rules/bank_holidays.hpp"

#include <boost/json/parse_options.hpp>
#include <boost/json/stream_parser.hpp>
#include <boost/json/value.hpp>

#include <algorithm>

namespace confidant::rules {

query_result<bank_holidays> bank_holidays::from(std::vector<bank_holiday> days) {
  std::sort(days.begin(), days.end(), [](const auto& a, const auto& b) { return a.day < b.day; });
  const auto dup = std::adjacent_find(days.begin(), days.end(),
                                      [](const auto& a, const auto& b) { return a.day == b.day; });
  if (dup != days.end()) return make_error_code(calendar_errc::duplicate);
  bank_holidays out;
  out.days_ = std::move(days);
  return out;
}

const bank_holiday* bank_holidays::find(civil_date d) const {
  const auto it = std::lower_bound(days_.begin(), days_.end(), d,
                                   [](const bank_holiday& h, civil_date x) { return h.day < x; });
  return it != days_.end() && it->day == d ? &*it : nullptr;
}

bool bank_holidays::contains(civil_date d) const { return find(d) != nullptr; }

bool bank_holidays::covers_year(int year) const {
  return std::any_of(days_.begin(), days_.end(), [&](const bank_holiday& h) {
    return date::year_month_day{h.day}.year() == date::year{year};
  });
}

namespace {

calendar_error fail(calendar_errc code, std::string message) { return {code, 0, 0, std::move(message)}; }

// 1-based line and column of a byte offset.
calendar_error at_offset(std::string_view text, std::size_t offset, std::string message) {
  offset = std::min(offset, text.size());
  std::uint32_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {calendar_errc::syntax, line, column, std::move(message)};
}

parse_result<boost::json::value> parse_json(std::string_view text) {
  boost::json::stream_parser p;
  boost::system::error_code ec;
  const std::size_t used = p.write(text.data(), text.size(), ec);
  if (!ec) p.finish(ec);
  if (ec) return at_offset(text, used, "JSON: " + ec.message());
  return p.release();
}

parse_result<bank_holiday> read_event(const boost::json::value& v, const std::string& where) {
  const auto* obj = v.if_object();
  if (!obj) return fail(calendar_errc::wrong_type, where + ": an event must be an object");
  const auto* title = obj->if_contains("title");
  const auto* day = obj->if_contains("date");
  if (!title) return fail(calendar_errc::missing_field, where + ": missing \"title\"");
  if (!day) return fail(calendar_errc::missing_field, where + ": missing \"date\"");
  if (!title->is_string()) return fail(calendar_errc::wrong_type, where + ".title: must be a string");
  if (!day->is_string()) return fail(calendar_errc::wrong_type, where + ".date: must be a string");
  const auto parsed = parse_civil_date(day->get_string());
  if (!parsed) {
    return fail(calendar_errc::bad_date,
                where + ".date: \"" + std::string{day->get_string()} + "\" is not a real YYYY-MM-DD date");
  }
  bank_holiday out{*parsed, std::string{title->get_string()}, {}};
  if (const auto* notes = obj->if_contains("notes")) {
    if (!notes->is_string()) return fail(calendar_errc::wrong_type, where + ".notes: must be a string");
    out.notes = std::string{notes->get_string()};
  }
  if (const auto* bunting = obj->if_contains("bunting"); bunting && !bunting->is_bool()) {
    return fail(calendar_errc::wrong_type, where + ".bunting: must be true or false");
  }
  return out;
}

}  // namespace

parse_result<bank_holidays> parse_bank_holidays(std::string_view json, std::string_view division) {
  if (json.size() > max_bank_holidays_size) {
    return fail(calendar_errc::syntax, "bank holidays file is larger than 1 MiB");
  }
  auto doc = parse_json(json);
  if (!doc) return doc.error();
  const auto* root = doc->if_object();
  if (!root) return fail(calendar_errc::wrong_type, "the document must be an object of divisions");
  const std::string name{division};
  const auto* div = root->if_contains(division);
  if (!div) return fail(calendar_errc::unknown_division, "no division \"" + name + "\"");
  if (!div->is_object()) return fail(calendar_errc::wrong_type, name + ": must be an object");
  const auto* events = div->get_object().if_contains("events");
  if (!events) return fail(calendar_errc::missing_field, name + ": missing \"events\"");
  if (!events->is_array()) return fail(calendar_errc::wrong_type, name + ".events: must be an array");

  std::vector<bank_holiday> days;
  days.reserve(events->get_array().size());
  for (std::size_t i = 0; i < events->get_array().size(); ++i) {
    const std::string where = name + ".events[" + std::to_string(i) + "]";
    auto ev = read_event(events->get_array()[i], where);
    if (!ev) return ev.error();
    for (const auto& seen : days) {
      if (seen.day == ev->day) {
        return fail(calendar_errc::duplicate, where + ".date: " + format_civil_date(ev->day) +
                                                  " is already listed (\"" + seen.title + "\")");
      }
    }
    days.push_back(std::move(*ev));
  }
  auto out = bank_holidays::from(std::move(days));
  if (!out) return fail(calendar_errc::duplicate, name + ": a date is listed twice");
  return std::move(*out);
}

}  // namespace confidant::rules
