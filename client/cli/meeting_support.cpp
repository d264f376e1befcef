#include "client/cli/meeting_support.hpp"

#include "client/lib/codec.hpp"
#include "client/lib/meeting_details.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>

namespace confidant::cli {
namespace {

std::optional<crypto::identity_public> own_identity(client::messenger& m, std::int64_t device) {
  auto devices = m.devices();
  if (!devices) return std::nullopt;
  for (const auto& d : *devices) {
    if (d.device != device) continue;
    auto id = crypto::identity_public::from_bytes(d.identity);
    if (id) return *id;
  }
  return std::nullopt;
}

std::vector<client::meeting_details::recipient> pinned(client::messenger& m, std::int64_t user) {
  std::vector<client::meeting_details::recipient> out;
  auto known = m.store().known_identities(user);
  if (!known) return out;
  for (const auto& [who, key] : *known) out.push_back({static_cast<std::int64_t>(who.device), key});
  return out;
}

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
  crypto::system_random rng;
  const auto& me = m.account();
  const auto& keys = m.store().identities().own_identity();
  std::vector<client::meeting_details::recipient> mine;
  auto devices = m.devices();
  if (!devices) return devices.error();
  for (const auto& d : *devices) {
    auto id = crypto::identity_public::from_bytes(d.identity);
    if (id) mine.push_back({d.device, *id});
  }
  auto theirs = pinned(m, other);
  if (theirs.empty()) {
    // Learn (and pin on first use) their devices' identities, as for a first message.
    if (auto s = m.safety_numbers(other); !s) return s.error();
    theirs = pinned(m, other);
  }
  if (theirs.empty()) {
    return client::make_failure(client::errc::unknown_contact,
                                "no device of user " + std::to_string(other) + " is known: the details cannot be encrypted for them");
  }
  std::vector<client::meetings::details_for> out;
  for (const auto& [owner, devs] : {std::pair{me.user, mine}, std::pair{other, theirs}}) {
    auto body = client::meeting_details::seal(keys, me.user, me.device, owner, devs, text, rng);
    if (!body) return body.error();
    out.push_back({owner, std::move(*body)});
  }
  return out;
}

std::optional<std::string> open_details(client::messenger& m, const client::meetings::meeting& mt) {
  if (mt.details.empty()) return std::nullopt;
  const auto& me = m.account();
  const client::meeting_details::identity_lookup lookup =
      [&](std::int64_t user, std::int64_t device) -> std::optional<crypto::identity_public> {
    if (user == me.user) {
      if (device == me.device) return m.store().identities().own_identity().public_keys();
      return own_identity(m, device);
    }
    auto known = pinned(m, user);
    if (known.empty() && m.connected()) {
      // First sight of the author: learn and pin their devices' identities, as for a message.
      (void)m.safety_numbers(user);
      known = pinned(m, user);
    }
    for (const auto& r : known)
      if (r.device == device) return r.identity;
    return std::nullopt;
  };
  auto opened = client::meeting_details::open(m.store().identities().own_identity(), me.user, me.device, mt.details, lookup);
  if (!opened) return "[details not readable on this device: " + opened.error().detail + "]";
  return (opened->verified ? "" : "(unverified) ") + opened->text;
}

}  // namespace confidant::cli
