// confidant send TO TEXT: an end-to-end encrypted message to a contact (user id or unique name).
#include "client/cli/commands.hpp"
#include "client/cli/meeting_support.hpp"
#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/messenger.hpp"

#include <fmt/format.h>

#include <iostream>
#include <iterator>

namespace confidant::cli {

namespace {

struct send_options {
  std::string to;
  std::string text;
};

int send_command(const common_options& opts, const send_options& o) {
  std::string text = o.text;
  if (text == "-") text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  if (text.empty()) return usage_error("the message is empty", opts);
  int code = 0;
  auto m = open_messenger(opts, true, code);
  if (!m) return code;
  auto to = m->resolve_contact(o.to);
  if (!to) return report(to.error(), opts);
  auto sent = m->send(to->user, text);
  // Whatever arrived meanwhile is stored and acknowledged (shown by `inbox`).
  auto received = m->receive(std::chrono::milliseconds{0});
  auto notices = take_notices(*m, opts);
  m->disconnect();
  if (!sent) return report(sent.error(), opts);
  if (opts.json) {
    print_json({{"ok", true},
                {"to", to->user},
                {"message_id", client::base64url_encode(sent->id)},
                {"id", sent->server_id},
                {"accepted_at", client::codec::format_time_ms(sent->accepted_at_ms)},
                {"deliver_at", client::codec::format_time_ms(sent->deliver_at_ms)},
                {"held", sent->deliver_at_ms > sent->accepted_at_ms},
                {"envelopes", sent->envelopes},
                {"received", received ? received->size() : 0},
                {"notices", notices}});
  } else {
    fmt::print("Sent to {} (user {}): server id {}, accepted {} UTC.\n", to->display_name, to->user, sent->server_id,
               show_time(sent->accepted_at_ms));
    if (sent->deliver_at_ms > sent->accepted_at_ms)
      fmt::print("Held: it is outside {}'s contact window; it will be delivered {}.\n", to->display_name,
                 local_time(sent->deliver_at_ms));
    if (received && !received->empty()) fmt::print("{} new message(s): see `confidant inbox`.\n", received->size());
  }
  return exit_ok;
}

}  // namespace

void add_send(CLI::App& app, const common_options& opts, action& chosen) {
  auto o = std::make_shared<send_options>();
  auto* sub = app.add_subcommand("send", "Send an end-to-end encrypted message");
  sub->add_option("to", o->to, "user id, or a display name from `confidant contacts`")->required();
  sub->add_option("text", o->text, "the message (\"-\" reads it from standard input)")->required();
  sub->callback([&opts, &chosen, o] { chosen = [&opts, o] { return send_command(opts, *o); }; });
}

}  // namespace confidant::cli
