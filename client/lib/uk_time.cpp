#include "client/lib/uk_time.hpp"

#include <ctime>

namespace confidant::client::uk_time {
namespace {

constexpr std::int64_t day_s = 86'400;

std::tm utc(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

// 01:00 UTC on the last Sunday of `month` (1-12, a month of 31 days) of `year`, in seconds.
std::int64_t last_sunday_1am(int year, int month) {
  std::tm tm{};
  tm.tm_year = year - 1900;
  tm.tm_mon = month - 1;
  tm.tm_mday = 31;
  tm.tm_hour = 1;
  const std::time_t t = timegm(&tm);
  return static_cast<std::int64_t>(t) - utc(t).tm_wday * day_s;
}

std::time_t seconds(std::int64_t ms) { return static_cast<std::time_t>(ms >= 0 ? ms / 1000 : (ms - 999) / 1000); }

}  // namespace

bool summer_time(std::int64_t ms) {
  const auto t = seconds(ms);
  const int year = utc(t).tm_year + 1900;
  return t >= last_sunday_1am(year, 3) && t < last_sunday_1am(year, 10);
}

std::string format(std::int64_t ms) {
  const bool bst = summer_time(ms);
  const auto tm = utc(seconds(ms) + (bst ? 3600 : 0));
  char buf[48];
  const auto n = std::strftime(buf, sizeof buf, "%a %d %b %Y %H:%M", &tm);
  return std::string(buf, n) + (bst ? " BST" : " GMT");
}

}  // namespace confidant::client::uk_time
