#pragma once

// What the support programme's commands share (protocol.md 7.29-7.40): a logged-in messenger with
// the programme's calls, failures with the refusal's members, cycles and associates as JSON and for
// people, and the caller's current cycle.

#include "client/cli/commands.hpp"
#include "client/lib/messenger.hpp"
#include "client/lib/programme.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace confidant::cli {

// A logged-in messenger and the programme's calls on its connection.
struct programme_session {
  std::unique_ptr<client::messenger> m;
  std::unique_ptr<client::programme::calls> calls;

  // Opens the profile and logs in; nullopt after reporting why (the exit code in `code`).
  [[nodiscard]] static std::optional<programme_session> open(const common_options& opts, int& code);

  // Reports a failure of the calls with the refusal's members (`unmet`, `reason`, `state`, ...).
  [[nodiscard]] int refused(const client::failure& f, const common_options& opts) const;
  // Prints {"ok": true, members..., "notices": [...]} with --json; the notices for people otherwise.
  void done(boost::json::object members, const common_options& opts) const;
  // A user id or display name among the contacts, asking the server for the list when unknown.
  [[nodiscard]] client::outcome<client::contact> resolve(std::string_view who);
  // user id -> display name (the contact list, refreshed once).
  [[nodiscard]] std::string name(std::int64_t user);
  [[nodiscard]] bool is(std::string_view role) const { return m->account().role == role; }

 private:
  std::map<std::int64_t, std::string> names_;
  bool names_fresh_ = false;
};

// The caller's cycle to act on: `given` when positive, else the newest cycle of the caller that
// is a request not yet paired (`requests_only`) or not final. Fails with a sentence when none.
[[nodiscard]] client::outcome<std::int64_t> current_cycle(programme_session& s, std::int64_t given, bool requests_only);

// Adds the required positional argument CYCLE to a command; returns the command.
CLI::App* with_cycle(CLI::App* command, std::int64_t& cycle);

[[nodiscard]] boost::json::object cycle_json(const client::programme::cycle& c);
[[nodiscard]] boost::json::object associate_json(const client::programme::associate& a);
[[nodiscard]] boost::json::object profile_json(const client::programme::profile& p);

// One cycle for people: a headline and the lines a role sees.
void print_cycle(programme_session& s, const client::programme::cycle& c);
void print_associate(const client::programme::associate& a);

}  // namespace confidant::cli
