#include "client/cli/meeting_support.hpp"

#include "client/lib/codec.hpp"
#include "client/lib/sealing.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace confidant::cli {
namespace {

std::string strftime_local(std::int64_t ms, const char* format) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[64];
  const auto n = std::strftime(buf, sizeof buf, format, &tm);
  return std::string(buf, n);
}

}  // namespace

std::int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<std::int64_t> parse_when(std::string_view text) {
  if (auto wire = client::codec::parse_time_ms(text)) return wire;
  bool utc = false;
  if (!text.empty() && (text.back() == 'Z' || text.back() == 'z')) {
    utc = true;
    text.remove_suffix(1);
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  char sep = 0;
  char tail = 0;
  const std::string str{text};
  const int n = std::sscanf(str.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d%c", &y, &mo, &d, &sep, &h, &mi, &s, &tail);
  if ((n != 6 && n != 7) || (sep != 'T' && sep != ' ') || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
      s > 59 || h < 0 || mi < 0 || s < 0)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = mo - 1;
  tm.tm_mday = d;
  tm.tm_hour = h;
  tm.tm_min = mi;
  tm.tm_sec = s;
  tm.tm_isdst = -1;
  const std::time_t t = utc ? timegm(&tm) : std::mktime(&tm);
  if (t == static_cast<std::time_t>(-1) || tm.tm_mday != d) return std::nullopt;  // 2026-02-30 normalises: refuse
  return static_cast<std::int64_t>(t) * 1000;
}

std::string local_time(std::int64_t ms) { return strftime_local(ms, "%a %d %b %Y %H:%M %Z"); }
std::string local_clock(std::int64_t ms) { return strftime_local(ms, "%H:%M %Z"); }

std::map<std::int64_t, std::string> contact_names(client::messenger& m) {
  std::map<std::int64_t, std::string> out;
  out[m.account().user] = m.account().display_name;
  if (auto list = m.refresh_contacts())
    for (const auto& c : *list) out[c.user] = c.display_name;
  return out;
}

client::outcome<std::vector<client::meetings::details_for>> seal_details(client::messenger& m, std::int64_t other,
                                                                        std::string_view text) {
  return client::sealing::seal_for_each(m, client::sealed_body::purpose::meeting_details, {m.account().user, other},
                                        text);
}

std::optional<std::string> open_details(client::messenger& m, const client::meetings::meeting& mt) {
  if (mt.details.empty()) return std::nullopt;
  return client::sealing::readable(m, client::sealed_body::purpose::meeting_details, mt.details);
}

}  // namespace confidant::cli
