// confidant inbox [--follow] [--all]: receive, store and acknowledge what is waiting, and show
// the messages not shown before; --follow keeps receiving (reconnecting with backoff) until
// Ctrl-C, and shows safeguarding flag alerts as they come (category and urgency only).
#include "client/cli/commands.hpp"
#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

#include <atomic>
#include <csignal>
#include <map>

namespace confidant::cli {

namespace {

struct inbox_options {
  bool follow = false;
  bool all = false;
};

std::atomic<bool> interrupted{false};
extern "C" void on_signal(int) { interrupted = true; }

class printer {
 public:
  explicit printer(client::messenger& m) : m_(m) {}

  std::string name(std::int64_t user) {
    if (names_.empty()) load();
    if (!names_.contains(user) && !refreshed_ && m_.connected()) {
      refreshed_ = true;  // someone new: ask the server for the contact list once
      (void)m_.refresh_contacts();
      load();
    }
    auto it = names_.find(user);
    return it == names_.end() ? "user " + std::to_string(user) : it->second + " (user " + std::to_string(user) + ")";
  }

  boost::json::object to_json(const client::history_entry& e) {
    boost::json::object o{{"local_id", e.local_id},
                          {"peer", e.peer},
                          {"outgoing", e.outgoing},
                          {"device", e.from_device},
                          {"state", e.state},
                          {"message_id", client::base64url_encode(e.message_id)},
                          {"sent_at", client::codec::format_time_ms(e.sent_at_ms)}};
    if (e.server_id) o["server_id"] = *e.server_id;
    if (e.accepted_at_ms) o["accepted_at"] = client::codec::format_time_ms(*e.accepted_at_ms);
    if (e.state == "rejected") {
      o["rejected"] = e.text;
    } else {
      o["text"] = e.text;
    }
    return o;
  }

  void show(const client::history_entry& e) {
    const auto when = show_time(e.accepted_at_ms ? *e.accepted_at_ms : e.sent_at_ms);
    const auto who = e.outgoing ? "you (device " + std::to_string(e.from_device) + ") to " + name(e.peer) : name(e.peer);
    if (e.state == "rejected") {
      fmt::print("[{}] {}: rejected: tampered or undecryptable ({})\n", when, who, e.text);
    } else {
      fmt::print("[{}] {}: {}\n", when, who, e.text);
    }
    std::fflush(stdout);
  }

 private:
  void load() {
    if (auto all = m_.store().contacts())
      for (const auto& c : *all) names_[c.user] = c.display_name;
  }

  client::messenger& m_;
  std::map<std::int64_t, std::string> names_;
  bool refreshed_ = false;
};

int inbox_command(const common_options& opts, const inbox_options& o) {
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  printer out{*m};
  auto& store = m->store();

  auto received = m->receive(std::chrono::milliseconds{300});
  auto notices = take_notices(*m, opts);
  if (!received && !o.follow) return report(received.error(), opts);

  std::int64_t position = 0;
  if (!o.all) {
    if (auto p = store.get("inbox_position"); p && *p) position = std::stoll(**p);
  }
  auto fresh = store.incoming_since(position);
  if (!fresh) return report(client::make_failure(fresh.error(), "reading messages: " + fresh.error().message()), opts);
  std::int64_t last = position;
  for (const auto& e : *fresh) last = std::max(last, e.local_id);
  if (!o.all || last > position) (void)store.put("inbox_position", std::to_string(last));

  if (opts.json && !o.follow) {
    boost::json::array list;
    for (const auto& e : *fresh) list.push_back(out.to_json(e));
    print_json({{"ok", true}, {"messages", list}, {"notices", notices}});
    return exit_ok;
  }
  if (opts.json) {
    for (const auto& e : *fresh) print_json({{"message", out.to_json(e)}});
    for (const auto& n : notices) print_json({{"notice", n}});
  } else {
    for (const auto& e : *fresh) out.show(e);
    if (fresh->empty() && !o.follow) fmt::print("No new messages.\n");
  }
  if (!o.follow) return exit_ok;

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  if (!opts.json) {
    fmt::print(stderr, "Waiting for messages (Ctrl-C to stop)...\n");
  }
  auto done = m->follow(
      [&](const std::vector<client::history_entry>& entries, std::vector<client::notice> batch_notices) {
        for (const auto& e : entries) {
          if (opts.json) {
            print_json({{"message", out.to_json(e)}});
          } else {
            out.show(e);
          }
          if (!e.outgoing) last = std::max(last, e.local_id);
        }
        if (!entries.empty()) (void)store.put("inbox_position", std::to_string(last));
        // Flag alerts come as notices: category and urgency only, never content (protocol 7.28).
        for (const auto& n : batch_notices) {
          if (opts.json) {
            print_json({{"notice", notice_json(n)}});
          } else {
            print_notice(n);
          }
        }
      },
      [] { return interrupted.load(); });
  m->disconnect();
  if (!done) return report(done.error(), opts);
  return exit_ok;
}

}  // namespace

void add_inbox(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<inbox_options>();
  auto* sub = app.add_subcommand("inbox", "Receive and show new messages");
  sub->add_flag("-f,--follow", o->follow, "keep waiting for messages (reconnects by itself; Ctrl-C to stop)");
  sub->add_flag("--all", o->all, "show every received message, not only new ones");
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return inbox_command(opts, *o); }; });
}

}  // namespace confidant::cli
