// confidant safety-number WITH [--verify]: the 60-digit safety number of this device with each
// of a contact's devices; --verify records that the user compared them (and accepts a changed
// identity, releasing the messages held for it).
#include "client/cli/commands.hpp"
#include "client/lib/messenger.hpp"
#include "crypto/safety_number.hpp"

#include <fmt/format.h>

namespace confidant::cli {

namespace {

struct safety_options {
  std::string with;
  bool verify = false;
};

int safety_number_command(const common_options& opts, const safety_options& o) {
  int code = 0;
  auto m = open_messenger(opts, false, code);
  if (!m) return code;
  auto peer = m->resolve_contact(o.with);
  if (!peer) return report(peer.error(), opts);
  auto numbers = m->safety_numbers(peer->user);
  if (numbers && numbers->empty()) {  // nothing known yet: ask the server for their keys
    if (auto c = m->connect(); !c) return report(c.error(), opts);
    if (peer->display_name.starts_with("user ")) {
      if (auto again = m->resolve_contact(o.with)) peer = again;
    }
    numbers = m->safety_numbers(peer->user);
  }
  if (!numbers) return report(numbers.error(), opts);
  if (numbers->empty())
    return report(client::make_failure(client::errc::unknown_contact,
                                       peer->display_name + " has no devices whose keys are known"),
                  opts);

  std::vector<client::history_entry> released;
  if (o.verify) {
    auto v = m->verify(peer->user);
    if (!v) return report(v.error(), opts);
    released = std::move(*v);
  }
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    boost::json::array list;
    for (const auto& n : *numbers)
      list.push_back(boost::json::object{{"device", n.device},
                                         {"safety_number", n.number},
                                         {"verified", o.verify || n.verified},
                                         {"changed", n.changed && !o.verify}});
    print_json({{"ok", true},
                {"with", peer->user},
                {"display_name", peer->display_name},
                {"devices", list},
                {"released", released.size()},
                {"notices", notices}});
    return exit_ok;
  }
  fmt::print("Safety numbers of your device {} with {} (user {}):\n", m->account().device, peer->display_name,
             peer->user);
  for (const auto& n : *numbers) {
    const std::string state = n.changed && !o.verify ? "IDENTITY CHANGED: not accepted, compare before --verify"
                              : (o.verify || n.verified) ? "verified"
                                                         : "not verified";
    fmt::print("  device {}: {}  ({})\n", n.device, crypto::safety::grouped(n.number), state);
  }
  if (o.verify) {
    fmt::print("Marked verified.");
    if (!released.empty()) fmt::print(" {} held message(s) can now be read: see `confidant inbox`.", released.size());
    fmt::print("\n");
  } else {
    fmt::print("Compare these numbers with {} in person or on a call; if they match, run again with --verify.\n",
               peer->display_name);
  }
  return exit_ok;
}

}  // namespace

void add_safety_number(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<safety_options>();
  auto* sub = app.add_subcommand("safety-number", "Show (and after comparing, verify) the safety number with a contact");
  sub->add_option("with", o->with, "user id or display name")->required();
  sub->add_flag("--verify", o->verify, "mark it verified: you compared the numbers and they match");
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return safety_number_command(opts, *o); }; });
}

}  // namespace confidant::cli
