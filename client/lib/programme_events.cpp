#include "client/lib/programme_events.hpp"

namespace confidant::client {

std::string programme_events::name_of(std::int64_t user) {
  if (user <= 0) return "nobody yet";
  if (auto c = m_.resolve_contact(std::to_string(user)); c && !c->display_name.empty()) return c->display_name;
  return "user " + std::to_string(user);
}

std::string programme_events::describe(const programme::cycle_event& e, std::int64_t me, const std::string& other) {
  const auto& c = e.c;
  const auto id = "cycle " + std::to_string(c.id);
  const bool associate = c.associate == me;
  const bool headteacher = c.headteacher == me;
  if (e.change == "paired") {
    if (associate || e.prompt == "make_contact")
      return "You are paired with " + other + " (" + id + "): please make contact first, with a message (confidant send)";
    if (headteacher) return "Your request (" + id + ") is paired with " + other + ", who will make contact first";
    return id + " is paired";
  }
  if (e.change == "feedback_released")
    return "The headteacher released feedback item " + std::to_string(e.item) + " to you (confidant feedback show " +
           std::to_string(c.id) + ")";
  if (e.change == "feedback_requested" && headteacher)
    return "Feedback is requested on " + id + " (confidant feedback show " + std::to_string(c.id) + ", then feedback submit)";
  if (e.change == "review_due") return id + " is due for review: the coordinator extends or closes it";
  if (e.change == "end_requested" && c.end_request)
    return id + ": user " + std::to_string(c.end_request->by) + " asked to end it early (" + c.end_request->reason + ")";
  if (e.change == "closed" || e.change == "ended_early")
    return id + (e.change == "closed" ? " is closed" : " ended early") +
           (headteacher || associate ? ": you can no longer message or meet " + other + " in it" : std::string{});
  return id + ": " + e.change + (c.state != e.change ? " (now " + c.state + ")" : std::string{});
}

outcome<bool> programme_events::on_event(const wire::response& e) {
  if (e.type == "cycle") {
    auto ev = programme::read_cycle_event(e.fields);
    if (!ev) {
      m_.add_notice({notice::kind::info, 0, 0, "the server sent a malformed cycle event: " + ev.error().detail, std::nullopt});
      return true;
    }
    const auto me = m_.account().user;
    const auto other = ev->c.headteacher == me ? ev->c.associate : ev->c.headteacher;
    programme_summary s{"cycle", ev->c.id, ev->change, ev->prompt, ev->item, 0};
    m_.add_notice({notice::kind::programme, ev->by, 0, describe(*ev, me, name_of(other)), std::nullopt, std::move(s)});
    return true;
  }
  if (e.type == "note_notice") {
    auto n = programme::read_note_notice(e.fields);
    if (!n) {
      m_.add_notice({notice::kind::info, 0, 0, "the server sent a malformed note notice: " + n.error().detail, std::nullopt});
      return true;
    }
    programme_summary s{"note_notice", 0, {}, {}, 0, n->meeting};
    m_.add_notice({notice::kind::programme, 0, 0,
                   "A note of meeting #" + std::to_string(n->meeting) + " was written (its text stays with the associate)",
                   std::nullopt, std::move(s)});
    return true;
  }
  return false;
}

}  // namespace confidant::client
