// confidant note write|list (protocol.md 7.38): an associate's private note of a meeting, sealed to
// the associate's own devices. The headteacher learns only that a note of a meeting exists.
#include "client/cli/commands.hpp"
#include "client/cli/meeting_support.hpp"
#include "client/cli/programme_support.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/sealing.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

namespace confidant::cli {
namespace {
namespace json = boost::json;
using client::sealed_body::purpose;

struct note_options {
  std::int64_t meeting = 0;
  std::string text;
  bool text_given = false;
};

int write_command(const common_options& opts, note_options o) {
  std::string text = text_or_stdin(std::move(o.text), o.text_given);
  if (text.empty()) return usage_error("the note needs a text (--text, or on standard input)", opts);
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto sealed = client::sealing::seal_for(*s->m, purpose::note, s->m->account().user, text);
  wipe(text);
  if (!sealed) return report(sealed.error(), opts);
  auto n = s->calls->note_write(o.meeting, sealed->body);
  if (!n) return s->refused(n.error(), opts);
  s->done({{"meeting", n->meeting},
           {"written_at", client::codec::format_time_ms(n->written_at_ms)},
           {"updated_at", client::codec::format_time_ms(n->updated_at_ms)}},
          opts);
  if (!opts.json)
    fmt::print("Note of meeting #{} saved, readable only on your devices; the headteacher is told that a note exists, "
               "never what it says.\n",
               n->meeting);
  return exit_ok;
}

int list_command(const common_options& opts, const note_options& o) {
  int code = 0;
  auto s = programme_session::open(opts, code);
  if (!s) return code;
  auto list = s->calls->notes(o.meeting > 0 ? std::optional{o.meeting} : std::nullopt);
  if (!list) return s->refused(list.error(), opts);
  json::array out;
  for (const auto& n : *list) {
    json::object j{{"meeting", n.meeting}, {"written_at", client::codec::format_time_ms(n.written_at_ms)}};
    if (n.by) {  // a headteacher's notice: that a note exists, and whose
      j["by"] = n.by;
      if (!opts.json)
        fmt::print("Meeting #{}: {} wrote a note on {} (only they can read it)\n", n.meeting, s->name(n.by),
                   local_time(n.written_at_ms));
    } else {
      auto text = client::sealing::readable(*s->m, purpose::note, n.body);
      j["updated_at"] = client::codec::format_time_ms(n.updated_at_ms);
      j["text"] = text;
      if (!opts.json) fmt::print("Meeting #{} (updated {}):\n  {}\n", n.meeting, local_time(n.updated_at_ms), text);
      wipe(text);
    }
    out.push_back(std::move(j));
  }
  if (!opts.json && list->empty()) fmt::print("No notes.\n");
  s->done({{"notes", std::move(out)}}, opts);
  return exit_ok;
}

}  // namespace

void add_note(CLI::App& app, const common_options& opts, action& chosen) {
  auto* sub = app.add_subcommand("note", "Private notes of meetings (associates); headteachers see that one exists");
  sub->require_subcommand(1);

  auto w = std::make_shared<note_options>();
  auto* write = sub->add_subcommand("write", "Write (or replace) your note of a meeting that took place");
  write->add_option("meeting", w->meeting, "the meeting number (see confidant meetings list)")
      ->required()
      ->check(CLI::PositiveNumber);
  write->add_option("--text", w->text, "the note (default: standard input), sealed to your own devices");
  write->callback([&opts, &chosen, w, write] {
    w->text_given = write->count("--text") > 0;
    chosen = [&opts, w] { return write_command(opts, *w); };
  });

  auto l = std::make_shared<note_options>();
  auto* list = sub->add_subcommand("list", "Your notes (associates), or which meetings have one (headteachers)");
  list->add_option("--meeting", l->meeting, "only this meeting")->check(CLI::PositiveNumber);
  list->callback([&opts, &chosen, l] { chosen = [&opts, l] { return list_command(opts, *l); }; });
}

}  // namespace confidant::cli
