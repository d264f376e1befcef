// confidant contacts: everyone this account may message (7.14 contacts).
#include "client/cli/commands.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

namespace confidant::cli {

namespace {

int contacts_command(const common_options& opts) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  auto list = m->refresh_contacts();
  if (!list) return report(list.error(), opts);
  auto notices = take_notices(*m, opts);
  if (opts.json) {
    boost::json::array out;
    for (const auto& c : *list) {
      boost::json::array devices;
      for (auto d : c.devices) devices.emplace_back(d);
      out.push_back(boost::json::object{
          {"user", c.user}, {"display_name", c.display_name}, {"role", c.role}, {"devices", devices}});
    }
    print_json({{"ok", true}, {"contacts", out}, {"notices", notices}});
    return exit_ok;
  }
  if (list->empty()) {
    fmt::print("No contacts yet (a coordinator pairs you with someone).\n");
    return exit_ok;
  }
  fmt::print("{:>6}  {:<30}  {:<12}  {}\n", "user", "name", "role", "devices");
  for (const auto& c : *list) {
    std::string devices;
    for (auto d : c.devices) devices += (devices.empty() ? "" : ",") + std::to_string(d);
    fmt::print("{:>6}  {:<30}  {:<12}  {}\n", c.user, c.display_name, c.role, devices);
  }
  return exit_ok;
}

}  // namespace

void add_contacts(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("contacts", "List the people you may message");
  sub->callback([&opts, &chosen] { chosen = [&opts] { return contacts_command(opts); }; });
}

}  // namespace confidant::cli
