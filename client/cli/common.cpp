// What every `confidant` command shares: exit codes for failures, the profile folder, the
// passphrase, opening and connecting the messenger, printing.
#include "client/cli/commands.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/flag_desk.hpp"
#include "client/lib/messenger.hpp"
#include "client/lib/programme_events.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>
#include <sodium.h>
#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <iterator>

namespace confidant::cli {
namespace json = boost::json;

int exit_code_for(const client::failure& f) {
  using client::errc;
  if (f.code.category() == client::category()) {
    switch (static_cast<errc>(f.code.value())) {
      case errc::cannot_resolve:
      case errc::refused:
      case errc::timed_out: return exit_unreachable;
      case errc::tls_failed: return exit_tls;
      case errc::error_answer:
      case errc::undeliverable: return exit_error_answer;
      case errc::device_removed:
      case errc::account_disabled:
      case errc::logged_in_elsewhere: return exit_session_ended;
      case errc::server_key_changed:
      case errc::identity_changed: return exit_security;
      case errc::unknown_contact:
      case errc::ambiguous_contact: return exit_unknown_contact;
      case errc::invalid_request: return exit_usage;
      default: return exit_protocol;
    }
  }
  if (f.code.category() == client::store_category()) return exit_profile;
  if (std::string_view{f.code.category().name()}.starts_with("confidant.crypto")) return exit_protocol;
  return exit_profile;  // the local database (SQLCipher) failed
}

int report(const client::failure& f, const common_options& opts, const json::object& members) {
  const int code = exit_code_for(f);
  fmt::print(stderr, "confidant: {}\n", f.detail);
  if (opts.json) {
    json::object o = members;
    o["ok"] = false;
    o["exit"] = code;
    o["error"] = f.detail;
    if (!f.server_code.empty()) o["code"] = f.server_code;
    if (f.close_code != 0) o["close_code"] = f.close_code;
    print_json(o);
  }
  return code;
}

int usage_error(const std::string& message, const common_options& opts) {
  fmt::print(stderr, "confidant: {}\n", message);
  if (opts.json) print_json({{"ok", false}, {"exit", exit_usage}, {"error", message}});
  return exit_usage;
}

void print_json(const json::object& o) {
  const auto text = json::serialize(o);
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  std::fflush(stdout);
}

std::string show_time(std::int64_t ms) {
  auto t = client::codec::format_time_ms(ms);  // 2026-11-23T14:05:09.123Z
  return t.substr(0, 10) + " " + t.substr(11, 8);
}

std::filesystem::path profile_dir(const common_options& opts) {
  if (!opts.profile.empty()) return opts.profile;
  if (const char* env = std::getenv("CONFIDANT_PROFILE"); env && *env) return env;
  const char* home = std::getenv("HOME");
  return std::filesystem::path{home && *home ? home : "."} / ".local" / "share" / "confidant";
}

client::connection::options connection_options(const common_options& opts) {
  return {opts.ca_file, std::chrono::milliseconds{static_cast<long>(opts.timeout_seconds * 1000)}};
}

void wipe(std::string& secret) {
  if (!secret.empty()) sodium_memzero(secret.data(), secret.size());
  secret.clear();
}

std::string text_or_stdin(std::string given, bool was_given) {
  if (!was_given) given.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  while (!given.empty() && (given.back() == '\n' || given.back() == '\r')) given.pop_back();
  return given;
}

namespace {

std::optional<std::string> prompt(const char* question) {
  FILE* tty = std::fopen("/dev/tty", "r+");
  if (!tty) return std::nullopt;
  const int fd = fileno(tty);
  termios old{};
  const bool is_tty = tcgetattr(fd, &old) == 0;
  if (is_tty) {
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    quiet.c_lflag |= ECHONL;
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::fputs(question, tty);
  std::fflush(tty);
  std::string line;
  for (int c = std::fgetc(tty); c != EOF && c != '\n'; c = std::fgetc(tty)) line.push_back(static_cast<char>(c));
  if (is_tty) tcsetattr(fd, TCSAFLUSH, &old);
  std::fclose(tty);
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

}  // namespace

std::optional<std::string> read_passphrase(const common_options& opts, bool confirm) {
  if (!opts.passphrase_file.empty()) {
    std::ifstream in(opts.passphrase_file, std::ios::binary);
    if (!in) {
      fmt::print(stderr, "confidant: cannot read the passphrase file {}\n", opts.passphrase_file);
      return std::nullopt;
    }
    std::string line;
    std::getline(in, line);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  if (const char* env = std::getenv("CONFIDANT_PASSPHRASE"); env && *env) return std::string{env};
  auto first = prompt("Passphrase: ");
  if (!first) {
    fmt::print(stderr,
               "confidant: no passphrase: run on a terminal, or use --passphrase-file FILE or the environment "
               "variable CONFIDANT_PASSPHRASE\n");
    return std::nullopt;
  }
  if (confirm) {
    auto again = prompt("Passphrase again: ");
    if (!again || *again != *first) {
      fmt::print(stderr, "confidant: the passphrases differ\n");
      wipe(*first);
      if (again) wipe(*again);
      return std::nullopt;
    }
    wipe(*again);
  }
  return first;
}

std::unique_ptr<client::messenger> open_messenger(const common_options& opts, bool online, int& code) {
  auto passphrase = read_passphrase(opts, false);
  if (!passphrase) {
    code = exit_profile;
    return nullptr;
  }
  client::messenger_options mo;
  mo.conn = connection_options(opts);
  auto m = client::messenger::open(profile_dir(opts), *passphrase, mo);
  wipe(*passphrase);
  if (!m) {
    auto f = m.error();
    if (f.code == client::store_errc::no_profile)
      f.detail += " (register first: confidant register --invite CODE --server URL)";
    code = report(f, opts);
    return nullptr;
  }
  // Every command handles the flag events that arrive and does the flag upkeep at login (a SPOC
  // device publishes its sealing key; a raiser resends a flag left pending).
  if (auto d = client::flag_desk::attach(**m); !d) {
    code = report(d.error(), opts);
    return nullptr;
  }
  // And tells its user what changed in the support programme (cycle events, note notices).
  if (auto p = (*m)->attach(std::make_unique<client::programme_events>(**m)); !p) {
    code = report(p.error(), opts);
    return nullptr;
  }
  if (online) {
    std::optional<client::server_url> url;
    if (opts.server_given) {
      auto parsed = client::parse_url(opts.server);
      if (!parsed) {
        fmt::print(stderr, "confidant: {}\n", parsed.error());
        code = exit_usage;
        return nullptr;
      }
      url = *parsed;
    }
    if (auto c = (*m)->connect(url); !c) {
      code = report(c.error(), opts);
      return nullptr;
    }
  }
  code = exit_ok;
  return std::move(*m);
}

json::object notice_json(const client::notice& n) {
  static constexpr const char* kinds[] = {"identity_changed", "new_device", "expired", "receipt", "send_failed",
                                          "info", "flag", "programme"};
  json::object o{{"kind", kinds[static_cast<int>(n.what)]}, {"text", n.text}};
  if (n.user) o["user"] = n.user;
  if (n.device) o["device"] = n.device;
  if (n.flag) {
    json::object f{{"event", n.flag->event}, {"flag", n.flag->id}, {"alert", n.flag->alert}};
    if (!n.flag->category.empty()) f["category"] = n.flag->category;
    if (!n.flag->urgency.empty()) f["urgency"] = n.flag->urgency;
    if (!n.flag->state.empty()) f["state"] = n.flag->state;
    if (n.flag->escalations > 0) f["escalations"] = n.flag->escalations;
    o["flag"] = std::move(f);
  }
  if (n.programme) {
    const auto& p = *n.programme;
    json::object e{{"event", p.event}};
    if (p.cycle) e["cycle"] = p.cycle;
    if (!p.change.empty()) e["change"] = p.change;
    if (!p.prompt.empty()) e["prompt"] = p.prompt;
    if (p.item) e["item"] = p.item;
    if (p.meeting) e["meeting"] = p.meeting;
    o["programme"] = std::move(e);
  }
  return o;
}

void print_notice(const client::notice& n) {
  if (n.flag && n.flag->alert) {
    // A flag that needs a SPOC now goes to standard output, where a person watching looks.
    fmt::print("*** {} (confidant flag show {}) ***\n", n.text, n.flag->id);
    std::fflush(stdout);
    return;
  }
  fmt::print(stderr, "{}{}\n", n.what == client::notice::kind::identity_changed ? "WARNING: " : "note: ", n.text);
}

json::array take_notices(client::messenger& m, const common_options& opts) {
  json::array out;
  for (const auto& n : m.take_notices()) {
    if (opts.json) {
      out.push_back(notice_json(n));
    } else {
      print_notice(n);
    }
  }
  return out;
}

}  // namespace confidant::cli
