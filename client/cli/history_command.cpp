// confidant history WITH [--limit N]: the conversation with a contact, from the local store.
#include "client/cli/commands.hpp"
#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

#include <set>

namespace confidant::cli {

namespace {

struct history_options {
  std::string with;
  std::size_t limit = 50;
};

int history_command(const common_options& opts, const history_options& o) {
  int code = 0;
  auto m = open_messenger(opts, false, code);
  if (!m) return code;
  auto peer = m->resolve_contact(o.with);
  if (!peer) return report(peer.error(), opts);
  auto entries = m->history(peer->user, o.limit);
  if (!entries) return report(entries.error(), opts);
  std::set<std::array<unsigned char, 16>> waiting;
  if (auto outbox = m->store().outbox())
    for (const auto& e : *outbox) waiting.insert(e.message_id);

  auto state_of = [&](const client::history_entry& e) -> std::string {
    if (e.outgoing && e.state == "pending") return waiting.contains(e.message_id) ? "pending" : "not sent";
    return e.state;
  };
  if (opts.json) {
    boost::json::array list;
    for (const auto& e : *entries) {
      boost::json::object j{{"local_id", e.local_id},
                            {"outgoing", e.outgoing},
                            {"device", e.from_device},
                            {"state", state_of(e)},
                            {"message_id", client::base64url_encode(e.message_id)},
                            {"sent_at", client::codec::format_time_ms(e.sent_at_ms)}};
      if (e.server_id) j["server_id"] = *e.server_id;
      if (e.accepted_at_ms) j["accepted_at"] = client::codec::format_time_ms(*e.accepted_at_ms);
      j[e.state == "rejected" ? "rejected" : "text"] = e.text;
      list.push_back(std::move(j));
    }
    print_json({{"ok", true}, {"with", peer->user}, {"display_name", peer->display_name}, {"messages", list}});
    return exit_ok;
  }
  fmt::print("Conversation with {} (user {}):\n", peer->display_name, peer->user);
  if (entries->empty()) fmt::print("  (no messages)\n");
  for (const auto& e : *entries) {
    const auto when = show_time(e.accepted_at_ms ? *e.accepted_at_ms : e.sent_at_ms);
    if (e.state == "rejected") {
      fmt::print("[{}] {}: rejected: tampered or undecryptable ({})\n", when, e.outgoing ? "you" : peer->display_name,
                 e.text);
      continue;
    }
    const auto state = state_of(e);
    const std::string mark = !e.outgoing || state == "accepted" ? "" : " [" + state + "]";
    fmt::print("[{}] {}: {}{}\n", when, e.outgoing ? "you" : peer->display_name, e.text, mark);
  }
  return exit_ok;
}

}  // namespace

void add_history(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<history_options>();
  auto* sub = app.add_subcommand("history", "Show the conversation with a contact (from this device's store)");
  sub->add_option("with", o->with, "user id or display name")->required();
  sub->add_option("--limit", o->limit, "how many of the latest messages")->capture_default_str();
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return history_command(opts, *o); }; });
}

}  // namespace confidant::cli
