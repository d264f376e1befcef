// invite_create, account_disable, contacts (protocol.md 7.14; pair_create is in pairing.cpp).
#include "server/rules/relationships.hpp"
#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/invites.hpp"
#include "server/store/accounts.hpp"

#include <algorithm>

namespace confidant::service {

void on_invite_create(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto role_text = in.text("role", {.min_length = 1, .max_length = 32});
  const auto name = in.text("display_name", {.min_length = 1, .max_length = 120});
  const auto days = in.integer("days", {.min = 1, .max = max_invite_lifetime.count(), .required = false});
  const auto deputy = in.boolean("deputy", false).value_or(false);
  std::optional<rules::role> role;
  if (role_text) {
    role = rules::parse_role(*role_text);
    if (!role) in.reject(wire::errc::invalid_field, "field `role` must be headteacher, associate, coordinator or spoc");
  }
  if (deputy && role && *role != rules::role::spoc)
    in.reject(wire::errc::invalid_field, "field `deputy` is only for role spoc");
  if (name && !valid_display_name(*name))
    in.reject(wire::errc::invalid_field, "field `display_name` must be 1 to 120 bytes of text without control characters");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::coordinator)) return;
  issue_invite(b.db.write(), *role, *name, c->device->user, b.clock.now(),
               std::chrono::days{days.value_or(default_invite_lifetime.count())},
               [&b, c, role = *role, name = *name, rid = req.rid](boost::system::result<issued_invite> issued) {
                 if (!issued) return answer_store_failure(b, *c, rid, "invite_create", issued.error());
                 boost::json::object out;
                 out["code"] = issued->code;
                 out["role"] = rules::name(role);
                 out["display_name"] = name;
                 out["expires_at"] = rules::format_utc(issued->expires_at);
                 c->send(wire::make_ok(rid, std::move(out)));
               },
               std::nullopt, deputy);
}

void on_account_disable(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto user = in.integer("user", {.min = 1, .max = max_user_id});
  if (user && *user == c->device->user) in.reject(wire::errc::invalid_field, "field `user` may not name your own account");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::coordinator)) return;
  auto disabled = std::make_shared<bool>(false);
  b.db.write().submit(
      [user = *user, disabled, me = c->device->user, now = b.now_ms()](store::database& db) -> store::result<void> {
        auto r = store::disable_account(db, user);
        if (!r) return r.error();
        *disabled = *r;
        if (!*r) return {};
        return record(db, now, user_actor(me), "account_disabled", object_name("user", user));
      },
      [&b, c, user = *user, disabled, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "account_disable", ec);
        if (!*disabled) return b.fail(*c, {wire::errc::unknown_user, "no active user with that id", rid});
        c->send(wire::make_ok(rid));
        for (const auto& other : b.online.of_user(user)) other->close(4002, "account disabled");
      });
}

void on_contacts(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  boost::json::array list;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto all = store::active_accounts(db);
    if (!all) return all.error();
    auto paired = store::paired_with(db, c->device->user);
    if (!paired) return paired.error();
    for (const auto& a : *all) {
      if (a.id == c->device->user) continue;
      const bool is_paired = std::ranges::find(*paired, a.id) != paired->end();
      if (!rules::may_list_contact(c->role, a.role, is_paired)) continue;
      auto devices = store::active_devices(db, a.id);
      if (!devices) return devices.error();
      boost::json::array ids;
      for (const auto& d : *devices) ids.push_back(d.device_id);
      boost::json::object o;
      o["user"] = a.id;
      o["display_name"] = a.display_name;
      o["role"] = rules::name(a.role);
      o["devices"] = std::move(ids);
      list.push_back(std::move(o));
    }
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "contacts", read.error());
  boost::json::object out;
  out["contacts"] = std::move(list);
  c->send(wire::make_ok(req.rid, std::move(out)));
}

}  // namespace confidant::service
