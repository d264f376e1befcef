#include "server/service/cycle_events.hpp"

#include "server/store/accounts.hpp"

#include <boost/json/serialize.hpp>
#include <algorithm>
#include <array>

namespace confidant::service {
namespace {

using rules::role;
using namespace std::string_view_literals;

constexpr std::array associate_changes{"paired"sv, "active"sv, "review_due"sv, "extended"sv, "closed"sv,
                                       "end_requested"sv, "ended_early"sv, "feedback_released"sv};

std::string event_text(const cycle_notice& n, const boost::json::object& view, bool to_associate) {
  boost::json::object o;
  o["type"] = "cycle";
  o["change"] = n.change;
  if (n.by != 0) o["by"] = n.by;
  o["cycle"] = view;
  if (to_associate && !n.prompt.empty()) o["prompt"] = n.prompt;
  if (n.item != 0) o["item"] = n.item;
  return boost::json::serialize(o);
}

void send_to(const backend& b, std::int64_t user, const std::string& text, const connection* except) {
  auto frame = std::make_shared<const std::string>(text);
  for (const auto& c : b.online.of_user(user))
    if (c.get() != except) c->send(frame);
}

}  // namespace

store::result<cycle_notice> make_notice(store::database& db, const view_context& ctx, const store::cycle_row& c,
                                        std::string change, std::int64_t by) {
  cycle_notice n;
  n.change = std::move(change);
  n.by = by;
  n.headteacher = c.headteacher;
  auto head = cycle_view(db, ctx, c, role::headteacher, c.headteacher, false);
  if (!head) return head.error();
  n.head_view = std::move(*head);
  if (c.associate != 0 && std::ranges::find(associate_changes, n.change) != associate_changes.end()) {
    n.associate = c.associate;
    auto assoc = cycle_view(db, ctx, c, role::associate, c.associate, false);
    if (!assoc) return assoc.error();
    n.associate_view = std::move(*assoc);
  }
  if (n.change != "feedback_released") {
    auto all = store::active_accounts(db);
    if (!all) return all.error();
    for (const auto& a : *all)
      if (a.role == role::coordinator) n.coordinators.push_back(a.id);
    auto coord = cycle_view(db, ctx, c, role::coordinator, 0, false);
    if (!coord) return coord.error();
    n.coordinator_view = std::move(*coord);
  }
  return n;
}

void publish(const backend& b, const cycle_notice& n, const connection* except) {
  send_to(b, n.headteacher, event_text(n, n.head_view, false), except);
  if (n.associate != 0) send_to(b, n.associate, event_text(n, n.associate_view, true), except);
  if (!n.coordinators.empty()) {
    const auto text = event_text(n, n.coordinator_view, false);
    for (const auto u : n.coordinators) send_to(b, u, text, except);
  }
}

}  // namespace confidant::service
