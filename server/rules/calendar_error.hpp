#pragma once

#include <boost/assert/source_location.hpp>
#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <type_traits>

namespace confidant::rules {

// Stable failure kinds of the calendar rules: data files that do not parse or do not make sense,
// windows that break policy, and queries with no answer.
enum class calendar_errc {
  syntax = 1,              // the text is not valid JSON / TOML
  missing_field,           // a required key is absent
  wrong_type,              // a key holds the wrong kind of value
  unknown_key,             // a key the format does not define (a typo would be silently ignored)
  bad_date,                // not a real YYYY-MM-DD date
  duplicate,               // the same bank holiday date twice
  unknown_division,        // bank-holidays.json has no such division
  end_before_start,        // a range whose end is before its start
  outside_year,            // a term or closure outside its academic year
  out_of_order,            // terms or half terms not in date order, or overlapping
  half_term_outside_term,  // a half term not inside its own term
  no_terms,                // an academic year without any term
  years_overlap,           // two academic years given to one calendar overlap
  bad_hours,               // a daily window that is empty or not inside 00:00-24:00
  outside_policy,          // a personal window wider than policy allows
  no_opening,              // no window opens within the search bound
  bad_range,               // a query range that is reversed or too long
  bad_duration,            // a negative working-time amount
};

[[nodiscard]] const boost::system::error_category& calendar_category() noexcept;

[[nodiscard]] inline boost::system::error_code make_error_code(calendar_errc e) noexcept {
  return {static_cast<int>(e), calendar_category()};
}

// A data-file error: what is wrong and, where the format gives one, where (1-based line and
// column; 0 when unknown). Prints as "LINE:COL: message" or just "message".
struct calendar_error {
  calendar_errc code{};
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::string message;

  [[nodiscard]] std::string to_string() const;
  [[nodiscard]] boost::system::error_code error_code() const noexcept { return make_error_code(code); }
};

// So that result<T, calendar_error>::value() on an error throws (at a boundary) rather than
// failing to compile.
[[noreturn]] void throw_exception_from_error(const calendar_error& e, const boost::source_location& loc);

// Fallible parsers return parse_result; queries return query_result (a plain error_code).
template <class T>
using parse_result = boost::system::result<T, calendar_error>;
template <class T>
using query_result = boost::system::result<T>;

}  // namespace confidant::rules

template <>
struct boost::system::is_error_code_enum<confidant::rules::calendar_errc> : std::true_type {};
