#include "server/daemon/commands.hpp"

#include "server/daemon/keys.hpp"
#include "server/rules/time_format.hpp"
#include "server/service/system_clock.hpp"
#include "server/store/audit.hpp"
#include "server/store/store.hpp"

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <fmt/format.h>

#include <cstdio>
#include <fstream>
#include <memory>

namespace confidant::daemon {
namespace {

std::string hex(std::span<const unsigned char> b) {
  std::string out;
  out.reserve(b.size() * 2);
  for (const auto c : b) out += fmt::format("{:02x}", c);
  return out;
}

std::unique_ptr<store::store> open_store(const config& c) {
  auto key = load_key(c);
  if (!key) {
    fmt::print(stderr, "confidantd: {}\n", key_error(c, key.error()));
    return nullptr;
  }
  service::system_clock clock{c.clock_start};
  auto opened = store::store::open(c.database_path(), std::move(*key), clock.now().time_since_epoch().count());
  if (!opened) {
    fmt::print(stderr, "confidantd: {}: {}\n", c.database_path().string(), opened.error().message());
    return nullptr;
  }
  return std::move(*opened);
}

// "2026-11-23" (midnight UTC) or "2026-11-23T10:00:00.000Z".
std::optional<rules::time_point> parse_bound(const std::string& text) {
  if (text.size() == 10) return rules::parse_utc(text + "T00:00:00.000Z");
  return rules::parse_utc(text);
}

std::string entry_line(const store::audit_entry& e) {
  boost::json::object o;
  o["seq"] = e.seq;
  o["at"] = rules::format_utc(rules::time_point{std::chrono::milliseconds{e.at_ms}});
  o["actor"] = e.actor;
  o["action"] = e.action;
  o["object"] = e.object;
  boost::system::error_code ec;
  auto detail = boost::json::parse(e.detail, ec);
  if (ec) {
    o["detail_text"] = e.detail;  // not JSON: exported as stored, so the hash still checks
  } else {
    o["detail"] = std::move(detail);
  }
  o["prev_hash"] = hex(e.prev_hash);
  o["hash"] = hex(e.hash);
  return boost::json::serialize(o);
}

}  // namespace

int audit_verify_command(const config& c) {
  auto db = open_store(c);
  if (!db) return exit_failure;
  store::audit_verdict verdict;
  auto read = db->read([&](store::database& d) -> store::result<void> {
    auto v = store::verify_audit(d);
    if (!v) return v.error();
    verdict = std::move(*v);
    return {};
  });
  db->close();
  if (!read) {
    fmt::print(stderr, "confidantd: cannot read the audit log: {}\n", read.error().message());
    return exit_failure;
  }
  if (verdict.broken_at) {
    fmt::print(stderr, "confidantd: the audit log is broken at entry {}: {}.\n", *verdict.broken_at, verdict.problem);
    fmt::print(stderr, "  {} {} before it verify; the last good hash is {}\n", verdict.entries,
               verdict.entries == 1 ? "entry" : "entries", hex(verdict.head));
    return exit_integrity;
  }
  fmt::print("audit log: {} entries, the hash chain is intact\n  head: {}\n", verdict.entries, hex(verdict.head));
  fmt::print("Keep the head hash somewhere else: a later verify against it also shows that no entry was cut off the end.\n");
  return exit_ok;
}

int audit_export_command(const config& c, const std::string& since, const std::string& until,
                         const std::filesystem::path& output) {
  const auto from = since.empty() ? std::optional{rules::time_point{}} : parse_bound(since);
  const auto to = until.empty() ? std::optional{rules::time_point::max()} : parse_bound(until);
  if (!from || !to) {
    fmt::print(stderr, "confidantd: --since and --until take a date (2026-11-23) or a UTC time (2026-11-23T10:00:00.000Z)\n");
    return exit_usage;
  }
  if (*to <= *from) {
    fmt::print(stderr, "confidantd: --until must be after --since\n");
    return exit_usage;
  }
  std::ofstream file;
  if (!output.empty()) {
    file.open(output, std::ios::out | std::ios::trunc);
    if (!file) {
      fmt::print(stderr, "confidantd: {}: cannot write it\n", output.string());
      return exit_failure;
    }
  }
  auto db = open_store(c);
  if (!db) return exit_failure;
  std::size_t count = 0;
  auto read = db->read([&](store::database& d) -> store::result<void> {
    return store::for_each_audit(d, from->time_since_epoch().count(), to->time_since_epoch().count(),
                                 [&](const store::audit_entry& e) {
                                   const auto line = entry_line(e);
                                   if (file.is_open()) {
                                     file << line << '\n';
                                   } else {
                                     fmt::print("{}\n", line);
                                   }
                                   ++count;
                                 });
  });
  db->close();
  if (!read) {
    fmt::print(stderr, "confidantd: cannot read the audit log: {}\n", read.error().message());
    return exit_failure;
  }
  if (file.is_open()) {
    file.close();
    if (!file) {
      fmt::print(stderr, "confidantd: {}: the write failed\n", output.string());
      return exit_failure;
    }
    fmt::print(stderr, "exported {} audit entries to {}\n", count, output.string());
  }
  return exit_ok;
}

}  // namespace confidant::daemon
