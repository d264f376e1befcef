#include "server/daemon/commands.hpp"

#include "server/daemon/keys.hpp"
#include "server/service/audit.hpp"
#include "server/service/calendars.hpp"
#include "server/service/system_clock.hpp"
#include "server/store/calendar_files.hpp"
#include "server/store/store.hpp"

#include <fmt/format.h>

#include <fstream>
#include <sstream>

namespace confidant::daemon {
namespace {

constexpr std::size_t max_calendar_file = 1 << 20;

std::optional<std::string> read_text(const std::filesystem::path& p) {
  std::ifstream in{p, std::ios::binary};
  if (!in) return std::nullopt;
  std::ostringstream s;
  s << in.rdbuf();
  auto text = std::move(s).str();
  if (text.size() > max_calendar_file) return std::nullopt;
  return text;
}

}  // namespace

int calendar_load_command(const config& c, const std::vector<std::filesystem::path>& files) {
  // Every file is checked before anything is stored: all or nothing.
  std::vector<store::calendar_file> checked;
  for (const auto& path : files) {
    auto text = read_text(path);
    if (!text) {
      fmt::print(stderr, "confidantd: {}: cannot read it (or larger than 1 MiB)\n", path.string());
      return exit_usage;
    }
    auto f = service::classify_calendar_file(*text);
    if (!f) {
      fmt::print(stderr, "confidantd: {}: {}\n", path.string(), f.error());
      return exit_usage;
    }
    checked.push_back(std::move(*f));
  }
  auto key = load_key(c);
  if (!key) {
    fmt::print(stderr, "confidantd: {}\n", key_error(c, key.error()));
    return exit_failure;
  }
  service::system_clock clock{c.clock_start};
  const auto now = clock.now().time_since_epoch().count();
  auto opened = store::store::open(c.database_path(), std::move(*key), now);
  if (!opened) {
    fmt::print(stderr, "confidantd: {}: {}\n", c.database_path().string(), opened.error().message());
    return exit_failure;
  }
  // The stored set plus these files must still make a calendar (e.g. years must not overlap).
  std::vector<store::calendar_file> all;
  auto read = (*opened)->read([&](store::database& db) -> store::result<void> {
    auto stored = store::calendar_files(db);
    if (!stored) return stored.error();
    all = std::move(*stored);
    return {};
  });
  if (!read) {
    fmt::print(stderr, "confidantd: cannot read the stored calendars: {}\n", read.error().message());
    return exit_failure;
  }
  for (const auto& f : checked) {
    std::erase_if(all, [&](const auto& s) { return s.kind == f.kind && s.name == f.name; });
    all.push_back(f);
  }
  const bool complete = std::ranges::any_of(all, [](const auto& f) { return f.kind == "bank_holidays"; }) &&
                        std::ranges::any_of(all, [](const auto& f) { return f.kind == "term_dates"; });
  if (complete) {
    if (auto built = service::build_calendars(all, c.policy); !built) {
      fmt::print(stderr, "confidantd: the calendars would not fit together: {}\n", built.error());
      return exit_usage;
    }
  }
  const auto ec = (*opened)->write().run([&checked, now](store::database& db) -> store::result<void> {
    for (auto f : checked) {
      f.loaded_at_ms = now;
      if (auto r = store::put_calendar_file(db, f); !r) return r.error();
      if (auto r = service::record(db, now, "operator", "calendar_loaded", "calendar:" + f.name, {{"kind", f.kind}}); !r)
        return r.error();
    }
    return {};
  });
  (*opened)->close();
  if (ec) {
    fmt::print(stderr, "confidantd: could not store the calendars: {}\n", ec.message());
    return exit_failure;
  }
  for (const auto& f : checked)
    fmt::print("loaded {} {}\n", f.kind == "bank_holidays" ? "bank holidays" : "term dates", f.name);
  if (!complete) fmt::print("The server keeps using the demo calendar until bank holidays and term dates are both loaded.\n");
  fmt::print("A running server uses the new calendars after a restart.\n");
  return exit_ok;
}

}  // namespace confidant::daemon
