#include "client/cli/flag_print.hpp"

#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/uk_time.hpp"

#include <boost/json/array.hpp>
#include <fmt/format.h>

namespace confidant::cli {
namespace json = boost::json;

namespace {

std::string wire_time(std::int64_t ms) { return client::codec::format_time_ms(ms); }

json::object raised_json(const client::raised_flag& r) {
  json::object o{{"flag_id", client::base64url_encode(r.flag_id)}, {"text", r.text}, {"quotes", r.quotes},
                 {"local_state", r.state}};
  if (r.out_of_hours) o["out_of_hours"] = true;
  if (!r.problem.empty()) o["problem"] = r.problem;
  return o;
}

json::object received_json(const client::received_flag& r) {
  json::object o{{"opened", r.opened}, {"problem", r.problem}, {"alert", r.alert}};
  if (r.opened) {
    o["text"] = r.text;
    o["raised_at_client"] = wire_time(r.raised_at_client_ms);
    o["sealed_category"] = r.body_category;
    o["sealed_urgency"] = r.body_urgency;
    o["sealed_raiser"] = json::object{{"user", r.body_raiser_user}, {"device", r.body_raiser_device}};
  }
  json::array quotes;
  for (const auto& q : r.quotes) {
    json::object j{{"verified", q.verified}, {"sender", q.sender}, {"recipient", q.recipient}, {"text", q.text}};
    if (q.stamped_at_ms > 0) j["stamped_at"] = wire_time(q.stamped_at_ms);
    if (!q.verified) j["problem"] = q.problem;
    quotes.push_back(std::move(j));
  }
  o["quotes"] = std::move(quotes);
  return o;
}

std::string sender_of(const client::received_quote& q) { return q.sender.empty() ? "?" : "user " + q.sender; }

}  // namespace

std::string london(std::int64_t ms) { return client::uk_time::format(ms); }

json::object flag_json(const client::flags::flag_object& f) {
  json::object o{{"flag", f.id},
                 {"category", f.category},
                 {"urgency", f.urgency},
                 {"state", f.state},
                 {"raised_at", wire_time(f.raised_at_ms)}};
  if (f.deadline_at_ms > 0) {
    o["deadline_at"] = wire_time(f.deadline_at_ms);
    o["deadline_local"] = london(f.deadline_at_ms);
  }
  if (f.acknowledged_at_ms) o["acknowledged_at"] = wire_time(*f.acknowledged_at_ms);
  if (f.resolved_at_ms) o["resolved_at"] = wire_time(*f.resolved_at_ms);
  if (f.raised_by) o["raised_by"] = json::object{{"user", f.raised_by->user}, {"device", f.raised_by->device}};
  if (f.acknowledged_by) o["acknowledged_by"] = *f.acknowledged_by;
  if (f.resolved_by) o["resolved_by"] = *f.resolved_by;
  if (!f.outcome.empty()) o["outcome"] = f.outcome;
  if (f.raised_by) {
    o["escalations"] = f.escalations;
    o["legal_hold"] = f.legal_hold;
  }
  return o;
}

json::object details_json(const client::flag_details& d) {
  auto o = flag_json(d.flag);
  if (d.mine) o["mine"] = raised_json(*d.mine);
  if (d.received) o["received"] = received_json(*d.received);
  json::array notes;
  for (const auto& n : d.notes) {
    json::object j{{"note", n.note},         {"author", json::object{{"user", n.author_user}, {"device", n.author_device}}},
                   {"added_at", wire_time(n.added_at_ms)}, {"verified", n.verified}, {"text", n.text}};
    if (!n.problem.empty()) j["problem"] = n.problem;
    notes.push_back(std::move(j));
  }
  o["notes"] = std::move(notes);
  json::array history;
  for (const auto& h : d.history)
    history.push_back({{"at", wire_time(h.at_ms)}, {"action", h.action}, {"actor", h.actor}});
  o["history"] = std::move(history);
  return o;
}

std::string flag_line(const client::flag_entry& e) {
  const auto& f = e.flag;
  std::string line = f.id > 0 ? "#" + std::to_string(f.id) : std::string{"(not sent)"};
  line += "  " + f.category + ", " + f.urgency + "  " + f.state;
  if (f.id > 0 && f.state == "received") line += "  due " + london(f.deadline_at_ms);
  if (f.raised_by) line += "  raised by user " + std::to_string(f.raised_by->user);
  if (f.escalations > 0) line += "  OVERDUE (escalated " + std::to_string(f.escalations) + "x)";
  if (f.legal_hold) line += "  [legal hold]";
  if (!f.outcome.empty()) line += "  outcome: " + f.outcome;
  if (e.received && !e.received->problem.empty()) line += "  [!] " + e.received->problem;
  if (e.mine && !e.mine->problem.empty()) line += "  (" + e.mine->problem + ")";
  if (e.mine && e.mine->state == "pending") line += "  (will be sent again at the next connection)";
  return line;
}

void print_details(const client::flag_details& d) {
  const auto& f = d.flag;
  fmt::print("Flag #{}: {}, {} urgency: {}\n", f.id, f.category, f.urgency, f.state);
  fmt::print("  raised:       {}{}\n", london(f.raised_at_ms),
             f.raised_by ? fmt::format(" by user {}, device {}", f.raised_by->user, f.raised_by->device) : "");
  if (f.deadline_at_ms > 0) fmt::print("  deadline:     {}\n", london(f.deadline_at_ms));
  if (f.acknowledged_at_ms)
    fmt::print("  acknowledged: {}{}\n", london(*f.acknowledged_at_ms),
               f.acknowledged_by ? " by user " + std::to_string(*f.acknowledged_by) : "");
  if (f.resolved_at_ms)
    fmt::print("  resolved:     {}{}{}\n", london(*f.resolved_at_ms),
               f.resolved_by ? " by user " + std::to_string(*f.resolved_by) : "",
               f.outcome.empty() ? "" : ": " + f.outcome);
  if (f.escalations > 0) fmt::print("  OVERDUE: escalated {} time(s)\n", f.escalations);
  if (f.legal_hold) fmt::print("  under legal hold\n");
  if (d.mine) {
    fmt::print("Your text:\n  {}\n", d.mine->text);
    if (d.mine->quotes > 0) fmt::print("  with {} quoted message(s)\n", d.mine->quotes);
  }
  if (d.received) {
    const auto& r = *d.received;
    if (!r.problem.empty()) fmt::print("  [!] {}\n", r.problem);
    if (!r.opened) {
      fmt::print("The flag's content cannot be read on this device.\n");
    } else {
      fmt::print("Text (written {} by the raiser's clock):\n  {}\n", london(r.raised_at_client_ms), r.text);
      if (!r.quotes.empty()) fmt::print("Quoted messages:\n");
      for (const auto& q : r.quotes) {
        if (q.verified) {
          fmt::print("  {}. verified: sent by {} at {}\n", q.position + 1, sender_of(q), london(q.stamped_at_ms));
        } else {
          fmt::print("  {}. FAILED VERIFICATION — do not rely on this quote ({})\n", q.position + 1, q.problem);
        }
        fmt::print("     {}\"{}\"\n", q.verified ? "" : "claimed: ", q.text);
      }
    }
  }
  if (!d.notes.empty()) fmt::print("Notes:\n");
  for (const auto& n : d.notes)
    fmt::print("  [{}] user {}, device {}: {}{}\n", london(n.added_at_ms), n.author_user, n.author_device, n.text,
               n.verified ? "" : " (UNVERIFIED: " + n.problem + ")");
  if (!d.history.empty()) fmt::print("History:\n");
  for (const auto& h : d.history)
    fmt::print("  [{}] {}{}\n", london(h.at_ms), h.action, h.actor.empty() ? "" : " (" + h.actor + ")");
}

void print_emergency_route(const std::string& route) {
  const std::string bar(72, '!');
  fmt::print("{}\nOUT OF HOURS: the safeguarding team may not see this flag until the next working day.\n{}\n{}\n",
             bar, route, bar);
}

}  // namespace confidant::cli
