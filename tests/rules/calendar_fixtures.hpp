#pragma once

// Test helpers: the shipped example calendars (deploy/calendars/), read here in the test and
// handed to the parsers as text, and short ways to write instants and dates.

#include "server/rules/bank_holidays.hpp"
#include "server/rules/calendar.hpp"
#include "server/rules/term_dates.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>

namespace confidant::rules::testing {

inline std::string read_shipped(const std::string& name) {
  std::ifstream in{std::string{CONFIDANT_CALENDARS_DIR} + "/" + name, std::ios::binary};
  EXPECT_TRUE(in) << "cannot read deploy/calendars/" << name;
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

inline civil_date day(int y, unsigned m, unsigned d) {
  return civil_date{date::year{y} / date::month{m} / date::day{d}};
}

// A UTC instant.
inline time_point utc(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return time_point{date::sys_days{date::year{y} / date::month{m} / date::day{d}}} + std::chrono::hours{hh} +
         std::chrono::minutes{mm};
}

// The instant a London wall clock shows hh:mm on y-m-d.
inline time_point london_at(int y, unsigned m, unsigned d, int hh, int mm = 0) {
  return from_civil(london(), day(y, m, d), std::chrono::hours{hh} + std::chrono::minutes{mm});
}

inline bank_holidays shipped_holidays() {
  auto h = parse_bank_holidays(read_shipped("bank-holidays.json"));
  EXPECT_TRUE(h) << (h ? "" : h.error().to_string());
  return h ? *h : bank_holidays{};
}

inline academic_year shipped_year(const std::string& file) {
  auto y = parse_term_dates(read_shipped(file));
  EXPECT_TRUE(y) << file << ": " << (y ? "" : y.error().to_string());
  return y ? *y : academic_year{};
}

// School contact calendar for 2026-27 and 2027-28 with policy hours 08:00-18:00.
inline calendar school_calendar(bank_holidays holidays = shipped_holidays()) {
  auto c = calendar::school_contact({shipped_year("terms-2026-27.toml"), shipped_year("terms-2027-28.toml")},
                                    std::move(holidays), window_hours{});
  EXPECT_TRUE(c);
  return *c;
}

inline calendar la_calendar(bank_holidays holidays = shipped_holidays()) {
  auto c = calendar::la_working(std::move(holidays));
  EXPECT_TRUE(c);
  return *c;
}

}  // namespace confidant::rules::testing
