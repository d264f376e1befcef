#include "server/rules/term_dates.hpp"

#include "server/rules/toml_fields.hpp"

namespace confidant::rules {
namespace {

using namespace toml_fields;

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

parse_result<std::vector<half_term>> read_half_terms(const toml::table& t, const term& owner) {
  auto arr = table_array(t, "half_term");
  if (!arr) return arr.error();
  std::vector<half_term> out;
  if (!*arr) return out;
  for (const auto& n : **arr) {
    const auto& h = *n.as_table();
    const std::string what = "half term of " + quoted(owner.name);
    if (auto ok = only_keys(h, {"name", "starts", "ends"}, what); !ok) return ok.error();
    half_term ht;
    if (h.contains("name")) {
      auto name = string_field(h, "name", what);
      if (!name) return name.error();
      ht.name = std::move(*name);
    }
    auto range = range_fields(h, what);
    if (!range) return range.error();
    ht.dates = *range;
    if (!owner.dates.contains(ht.dates)) {
      const auto& at = node_of(h, ht.dates.first < owner.dates.first ? "starts" : "ends");
      return error_at(at, calendar_errc::half_term_outside_term,
                      what + ": " + format_civil_date(ht.dates.first) + " to " + format_civil_date(ht.dates.last) +
                          " is not inside the term (" + format_civil_date(owner.dates.first) + " to " +
                          format_civil_date(owner.dates.last) + ")");
    }
    if (!out.empty() && ht.dates.first <= out.back().dates.last) {
      return error_at(node_of(h, "starts"), calendar_errc::out_of_order,
                      what + ": starts " + format_civil_date(ht.dates.first) +
                          ", before the previous half term ends");
    }
    out.push_back(std::move(ht));
  }
  return out;
}

parse_result<std::vector<term>> read_terms(const toml::table& doc, const academic_year& year) {
  auto arr = table_array(doc, "term");
  if (!arr) return arr.error();
  if (!*arr || (*arr)->empty()) {
    return calendar_error{calendar_errc::no_terms, 1, 1, "no [[term]]: an academic year needs at least one term"};
  }
  std::vector<term> out;
  for (const auto& n : **arr) {
    const auto& t = *n.as_table();
    if (auto ok = only_keys(t, {"name", "starts", "ends", "half_term"}, "[[term]]"); !ok) return ok.error();
    term tm;
    auto name = string_field(t, "name", "[[term]]");
    if (!name) return name.error();
    tm.name = std::move(*name);
    const std::string what = "term " + quoted(tm.name);
    auto range = range_fields(t, what);
    if (!range) return range.error();
    tm.dates = *range;
    if (!year.dates.contains(tm.dates)) {
      return error_at(node_of(t, tm.dates.first < year.dates.first ? "starts" : "ends"), calendar_errc::outside_year,
                      what + ": " + format_civil_date(tm.dates.first) + " to " + format_civil_date(tm.dates.last) +
                          " is outside the academic year " + quoted(year.name));
    }
    if (!out.empty() && tm.dates.first <= out.back().dates.last) {
      return error_at(node_of(t, "starts"), calendar_errc::out_of_order,
                      what + ": starts " + format_civil_date(tm.dates.first) + ", before term " +
                          quoted(out.back().name) + " ends (" + format_civil_date(out.back().dates.last) + ")");
    }
    auto halves = read_half_terms(t, tm);
    if (!halves) return halves.error();
    tm.half_terms = std::move(*halves);
    out.push_back(std::move(tm));
  }
  return out;
}

parse_result<std::vector<closure>> read_closures(const toml::table& doc, const academic_year& year) {
  auto arr = table_array(doc, "closure");
  if (!arr) return arr.error();
  std::vector<closure> out;
  if (!*arr) return out;
  for (const auto& n : **arr) {
    const auto& c = *n.as_table();
    if (auto ok = only_keys(c, {"date", "starts", "ends", "reason"}, "[[closure]]"); !ok) return ok.error();
    closure cl;
    auto reason = string_field(c, "reason", "[[closure]]");
    if (!reason) return reason.error();
    cl.reason = std::move(*reason);
    const std::string what = "closure " + quoted(cl.reason);
    const bool one_day = c.contains("date");
    if (one_day && (c.contains("starts") || c.contains("ends"))) {
      return error_at(node_of(c, "date"), calendar_errc::wrong_type,
                      what + ": give either date, or starts and ends, not both");
    }
    if (one_day) {
      auto d = date_field(c, "date", what);
      if (!d) return d.error();
      cl.dates = {*d, *d};
    } else {
      auto range = range_fields(c, what);
      if (!range) return range.error();
      cl.dates = *range;
    }
    if (!year.dates.contains(cl.dates)) {
      return error_at(node_of(c, one_day ? "date" : "starts"), calendar_errc::outside_year,
                      what + ": " + format_civil_date(cl.dates.first) + " is outside the academic year " +
                          quoted(year.name));
    }
    out.push_back(std::move(cl));
  }
  return out;
}

}  // namespace

parse_result<academic_year> parse_term_dates(std::string_view toml_text) {
  if (toml_text.size() > max_term_dates_size) {
    return calendar_error{calendar_errc::syntax, 0, 0, "term dates file is larger than 256 KiB"};
  }
  toml::table doc;
  try {
    doc = toml::parse(toml_text);
  } catch (const toml::parse_error& e) {
    return error_at(e.source(), calendar_errc::syntax, "TOML: " + std::string{e.description()});
  }
  if (auto ok = only_keys(doc, {"academic_year", "term", "closure"}, "top level"); !ok) return ok.error();

  const toml::node* year_node = doc.get("academic_year");
  if (!year_node) return calendar_error{calendar_errc::missing_field, 1, 1, "missing [academic_year]"};
  const auto* y = year_node->as_table();
  if (!y) return error_at(*year_node, calendar_errc::wrong_type, "academic_year must be a table");
  if (auto ok = only_keys(*y, {"name", "starts", "ends"}, "[academic_year]"); !ok) return ok.error();

  academic_year year;
  auto name = string_field(*y, "name", "[academic_year]");
  if (!name) return name.error();
  year.name = std::move(*name);
  auto range = range_fields(*y, "[academic_year]");
  if (!range) return range.error();
  year.dates = *range;

  auto terms = read_terms(doc, year);
  if (!terms) return terms.error();
  year.terms = std::move(*terms);
  auto closures = read_closures(doc, year);
  if (!closures) return closures.error();
  year.closures = std::move(*closures);
  return year;
}

}  // namespace confidant::rules
