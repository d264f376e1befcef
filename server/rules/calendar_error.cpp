#include "server/rules/calendar_error.hpp"

#include <stdexcept>

namespace confidant::rules {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "confidant.calendar"; }
  std::string message(int ev) const override {
    switch (static_cast<calendar_errc>(ev)) {
      case calendar_errc::syntax: return "syntax error";
      case calendar_errc::missing_field: return "missing field";
      case calendar_errc::wrong_type: return "wrong type";
      case calendar_errc::unknown_key: return "unknown key";
      case calendar_errc::bad_date: return "bad date";
      case calendar_errc::duplicate: return "duplicate date";
      case calendar_errc::unknown_division: return "unknown division";
      case calendar_errc::end_before_start: return "end before start";
      case calendar_errc::outside_year: return "outside the academic year";
      case calendar_errc::out_of_order: return "out of order or overlapping";
      case calendar_errc::half_term_outside_term: return "half term outside its term";
      case calendar_errc::no_terms: return "no terms";
      case calendar_errc::years_overlap: return "academic years overlap";
      case calendar_errc::bad_hours: return "bad daily hours";
      case calendar_errc::outside_policy: return "personal window wider than policy";
      case calendar_errc::no_opening: return "no opening within the search bound";
      case calendar_errc::bad_range: return "bad range";
      case calendar_errc::bad_duration: return "bad duration";
    }
    return "unknown calendar error";
  }
};

}  // namespace

const boost::system::error_category& calendar_category() noexcept {
  static const category_impl instance;
  return instance;
}

std::string calendar_error::to_string() const {
  if (line == 0) return message;
  return std::to_string(line) + ":" + std::to_string(column) + ": " + message;
}

void throw_exception_from_error(const calendar_error& e, const boost::source_location&) {
  throw std::runtime_error(e.to_string());
}

}  // namespace confidant::rules
