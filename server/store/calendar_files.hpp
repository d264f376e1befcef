#pragma once

// The calendar data files the server runs on (schema 0004), stored as validated text.

#include "server/store/database.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace confidant::store {

struct calendar_file {
  std::string kind;  // "bank_holidays" or "term_dates"
  std::string name;  // "bank-holidays" or the academic year
  std::string content;
  std::int64_t loaded_at_ms = 0;
};

// Inserts or replaces the file of that kind and name.
[[nodiscard]] result<void> put_calendar_file(database& db, const calendar_file& f);
[[nodiscard]] result<std::vector<calendar_file>> calendar_files(database& db);

}  // namespace confidant::store
