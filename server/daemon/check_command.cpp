#include "server/daemon/commands.hpp"

#include "server/daemon/keys.hpp"
#include "server/service/system_clock.hpp"
#include "server/store/audit.hpp"
#include "server/store/store.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

namespace confidant::daemon {
namespace {

// Every row a PRAGMA answers, joined: "ok" when all is well.
store::result<std::string> pragma_rows(store::database& db, std::string_view pragma) {
  auto s = db.prepare(pragma);
  if (!s) return s.error();
  std::string out;
  for (;;) {
    auto row = s->step();
    if (!row) return row.error();
    if (!*row) return out.empty() ? std::string{"ok"} : out;
    if (!out.empty()) out += "; ";
    out += s->column_text(0);
  }
}

}  // namespace

int check_command(const config& c) {
  auto key = load_key(c);
  if (!key) {
    fmt::print(stderr, "confidantd: {}\n", key_error(c, key.error()));
    return exit_failure;
  }
  service::system_clock clock{c.clock_start};
  auto opened = store::store::open(c.database_path(), std::move(*key), clock.now().time_since_epoch().count());
  if (!opened) {
    fmt::print(stderr, "confidantd: {}: {}\n", c.database_path().string(), opened.error().message());
    // A page so damaged that the database does not open is itself an integrity finding.
    return opened.error() == store::errc::corrupt ? exit_integrity : exit_failure;
  }
  // Each check on its own: a damaged page can make one fail outright, which is itself a finding.
  std::string integrity, cipher;
  store::audit_verdict audit;
  auto run = [&](std::string_view pragma, std::string& out) {
    auto read = (*opened)->read([&](store::database& db) -> store::result<void> {
      auto rows = pragma_rows(db, pragma);
      if (!rows) return rows.error();
      out = *rows;
      return {};
    });
    if (!read) out = "failed: " + read.error().message();
  };
  // SQLCipher 4's cipher_integrity_check checks every page's HMAC; no rows when all verify.
  run("PRAGMA cipher_integrity_check;", cipher);
  run("PRAGMA integrity_check;", integrity);
  auto read = (*opened)->read([&](store::database& db) -> store::result<void> {
    auto a = store::verify_audit(db);
    if (!a) return a.error();
    audit = *a;
    return {};
  });
  (*opened)->close();
  if (!read) {
    audit.broken_at = 0;
    audit.problem = "cannot be read: " + read.error().message();
  }
  const bool good = integrity == "ok" && cipher == "ok" && !audit.broken_at;
  fmt::print("{}\n  integrity_check:        {}\n  cipher_integrity_check: {}\n", c.database_path().string(), integrity,
             cipher);
  if (audit.broken_at) {
    fmt::print("  audit log:              {}\n", *audit.broken_at == 0 ? audit.problem
                                                                  : fmt::format("broken at entry {}: {}", *audit.broken_at, audit.problem));
  } else {
    fmt::print("  audit log:              {} {}, intact\n", audit.entries, audit.entries == 1 ? "entry" : "entries");
  }
  return good ? exit_ok : exit_integrity;
}

}  // namespace confidant::daemon
