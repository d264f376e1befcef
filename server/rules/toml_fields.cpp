#include "server/rules/toml_fields.hpp"

#include <algorithm>

namespace confidant::rules::toml_fields {

calendar_error error_at(const toml::source_region& where, calendar_errc code, std::string message) {
  return {code, where.begin.line, where.begin.column, std::move(message)};
}

calendar_error error_at(const toml::node& n, calendar_errc code, std::string message) {
  return error_at(n.source(), code, std::move(message));
}

parse_result<void> only_keys(const toml::table& t, std::initializer_list<std::string_view> allowed,
                             std::string_view what) {
  for (const auto& [key, value] : t) {
    if (std::find(allowed.begin(), allowed.end(), key.str()) == allowed.end()) {
      return error_at(key.source().begin.line != 0 ? key.source() : value.source(), calendar_errc::unknown_key,
                      std::string{what} + ": unknown key \"" + std::string{key.str()} + "\"");
    }
  }
  return {};
}

parse_result<std::string> string_field(const toml::table& t, std::string_view key, std::string_view what) {
  const toml::node* n = t.get(key);
  if (!n) return error_at(t, calendar_errc::missing_field, std::string{what} + ": missing \"" + std::string{key} + "\"");
  const auto* s = n->as_string();
  if (!s) return error_at(*n, calendar_errc::wrong_type, std::string{what} + "." + std::string{key} + ": must be a string");
  return s->get();
}

parse_result<civil_date> date_field(const toml::table& t, std::string_view key, std::string_view what) {
  const std::string name = std::string{what} + "." + std::string{key};
  const toml::node* n = t.get(key);
  if (!n) return error_at(t, calendar_errc::missing_field, std::string{what} + ": missing \"" + std::string{key} + "\"");
  if (const auto* d = n->as_date()) {
    const toml::date v = d->get();
    const date::year_month_day ymd{date::year{v.year}, date::month{v.month}, date::day{v.day}};
    if (!ymd.ok()) return error_at(*n, calendar_errc::bad_date, name + ": not a real date");
    return civil_date{ymd};
  }
  if (const auto* s = n->as_string()) {
    if (auto parsed = parse_civil_date(s->get())) return *parsed;
    return error_at(*n, calendar_errc::bad_date, name + ": \"" + s->get() + "\" is not a real YYYY-MM-DD date");
  }
  return error_at(*n, calendar_errc::wrong_type, name + ": must be a date (YYYY-MM-DD)");
}

parse_result<date_range> range_fields(const toml::table& t, std::string_view what) {
  auto first = date_field(t, "starts", what);
  if (!first) return first.error();
  auto last = date_field(t, "ends", what);
  if (!last) return last.error();
  if (*last < *first) {
    return error_at(node_of(t, "ends"), calendar_errc::end_before_start,
                    std::string{what} + ": ends " + format_civil_date(*last) + " before it starts " +
                        format_civil_date(*first));
  }
  return date_range{*first, *last};
}

parse_result<const toml::array*> table_array(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  if (!n) return static_cast<const toml::array*>(nullptr);
  const auto* arr = n->as_array();
  if (!arr || !arr->is_array_of_tables()) {
    return error_at(*n, calendar_errc::wrong_type, "\"" + std::string{key} + "\" must be written [[" + std::string{key} + "]]");
  }
  return arr;
}

const toml::node& node_of(const toml::table& t, std::string_view key) {
  const toml::node* n = t.get(key);
  return n ? *n : t;
}

}  // namespace confidant::rules::toml_fields
