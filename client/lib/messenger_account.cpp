// Contacts, safety numbers, history, devices and the coordinator's requests (7.9-7.14).
#include "client/lib/base64url.hpp"
#include "client/lib/messenger_impl.hpp"
#include "crypto/safety_number.hpp"

#include <algorithm>
#include <cctype>

namespace confidant::client {
namespace json = boost::json;

namespace {

std::string lower(std::string_view s) {
  std::string out{s};
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

bool all_digits(std::string_view s) {
  return !s.empty() && s.size() <= 18 && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

outcome<std::vector<codec::contact_info>> messenger::refresh_contacts() {
  auto& p = *impl_;
  auto answer = p.call("contacts", {}, "listing contacts");
  if (!answer) return answer.error();
  auto list = codec::read_contacts(answer->fields);
  if (!list) return list.error();
  std::vector<contact> saved;
  for (const auto& c : *list) {
    saved.push_back({c.user, c.display_name, c.role});
    if (auto r = p.set_device_list(c.user, c.devices); !r) return r.error();
  }
  if (auto r = p.store->save_contacts(saved); !r) return store_failure(r.error(), "saving contacts");
  return list;
}

outcome<contact> messenger::resolve_contact(std::string_view who) {
  auto& p = *impl_;
  for (int pass = 0; pass < 2; ++pass) {
    auto all = p.store->contacts();
    if (!all) return store_failure(all.error(), "reading contacts");
    if (all_digits(who)) {
      const auto id = std::stoll(std::string{who});
      for (const auto& c : *all)
        if (c.user == id) return c;
      if (pass == 1 || !connected()) return contact{id, "user " + std::string{who}, ""};
    } else {
      std::vector<contact> matches;
      for (const auto& c : *all)
        if (lower(c.display_name) == lower(who)) matches.push_back(c);
      if (matches.size() == 1) return matches.front();
      if (matches.size() > 1) {
        std::string ids;
        for (const auto& c : matches) ids += (ids.empty() ? "" : ", ") + std::to_string(c.user);
        return make_failure(errc::ambiguous_contact, "several contacts are called \"" + std::string{who} +
                                                         "\" (users " + ids + "): use the user id");
      }
      if (pass == 1 || !connected())
        return make_failure(errc::unknown_contact, "no contact called \"" + std::string{who} +
                                                       "\" (see `confidant contacts`)");
    }
    if (auto r = refresh_contacts(); !r) return r.error();
  }
  return make_failure(errc::unknown_contact, "no such contact");
}

outcome<std::vector<safety_entry>> messenger::safety_numbers(std::int64_t peer) {
  auto& p = *impl_;
  auto known = p.store->known_identities(peer);
  if (!known) return store_failure(known.error(), "reading identities");
  if (known->empty() && connected()) {
    // Nothing exchanged yet: learn (and pin) their devices' identities from their bundle.
    auto fetched = p.fetch_bundles(peer);
    if (!fetched) return fetched.error();
    for (const auto& b : *fetched) {
      const auto addr = impl::address(peer, b.device);
      if (auto r = p.store->identities().check_trusted(addr, b.bundle.identity); !r) continue;
      if (auto r = p.store->identities().save_identity(addr, b.bundle.identity); !r)
        return store_failure(r.error(), "saving identities");
    }
    known = p.store->known_identities(peer);
    if (!known) return store_failure(known.error(), "reading identities");
  }
  const auto& own = p.store->identities().own_identity().public_keys();
  const auto self = std::to_string(account().user);
  const auto changes = p.changed_identities();
  std::vector<safety_entry> out;
  for (const auto& [addr, id] : *known) {
    safety_entry e;
    e.device = addr.device;
    auto shown = id;
    if (auto it = changes.find(addr.user + "/" + std::to_string(addr.device)); it != changes.end()) {
      auto raw = base64url_decode(it->second);
      if (raw) {
        if (auto changed = crypto::identity_public::from_bytes(*raw)) {
          shown = *changed;
          e.changed = true;
        }
      }
    }
    e.number = crypto::safety::number(self, own, addr.user, shown);
    auto v = p.store->is_verified(addr);
    e.verified = !e.changed && v && *v;
    out.push_back(std::move(e));
  }
  return out;
}

outcome<std::vector<history_entry>> messenger::history(std::int64_t peer, std::size_t limit) {
  auto h = impl_->store->history(peer, limit);
  if (!h) return store_failure(h.error(), "reading history");
  // Sent messages the recipient's device has confirmed (delivery receipts) show as delivered.
  for (auto& e : *h) {
    if (!e.outgoing || e.state != "accepted") continue;
    if (auto r = impl_->store->get("receipt/" + base64url_encode(e.message_id)); r && *r) e.state = **r;
  }
  return std::move(*h);
}

outcome<std::vector<codec::device_info>> messenger::devices() {
  auto& p = *impl_;
  auto answer = p.call("devices", {}, "listing devices");
  if (!answer) return answer.error();
  auto list = codec::read_devices(answer->fields);
  if (!list) return list.error();
  std::vector<std::int64_t> ids;
  for (const auto& d : *list) ids.push_back(d.device);
  if (auto r = p.set_device_list(account().user, ids); !r) return r.error();
  return list;
}

outcome<messenger::link_code> messenger::device_link() {
  auto answer = impl_->call("device_link", {}, "creating a device link code");
  if (!answer) return answer.error();
  auto code = codec::get_string(answer->fields, "code");
  if (!code) return code.error();
  auto expires = codec::get_time(answer->fields, "expires_at");
  if (!expires) return expires.error();
  return link_code{*code, *expires};
}

outcome<void> messenger::device_remove(std::int64_t device) {
  auto answer = impl_->call("device_remove", {{"device", device}}, "removing device " + std::to_string(device));
  if (!answer) return answer.error();
  auto list = impl_->device_list(account().user);
  std::erase(list, device);
  if (!list.empty()) {
    if (auto r = impl_->set_device_list(account().user, list); !r) return r.error();
  }
  return {};
}

outcome<messenger::invite> messenger::invite_create(std::string_view role, std::string_view display_name,
                                                    std::optional<int> days, bool deputy) {
  json::object fields{{"role", json::string_view{role.data(), role.size()}},
                      {"display_name", json::string_view{display_name.data(), display_name.size()}}};
  if (days) fields["days"] = *days;
  if (deputy) fields["deputy"] = true;
  auto answer = impl_->call("invite_create", std::move(fields), "creating an invite");
  if (!answer) return answer.error();
  invite out;
  auto code = codec::get_string(answer->fields, "code");
  if (!code) return code.error();
  auto r = codec::get_string(answer->fields, "role");
  if (!r) return r.error();
  auto name = codec::get_string(answer->fields, "display_name");
  if (!name) return name.error();
  auto expires = codec::get_time(answer->fields, "expires_at");
  if (!expires) return expires.error();
  return invite{*code, *r, *name, *expires};
}

outcome<messenger::pairing> messenger::pair_create(std::int64_t headteacher, std::int64_t associate) {
  auto answer =
      impl_->call("pair_create", {{"headteacher", headteacher}, {"associate", associate}}, "pairing");
  if (!answer) return answer.error();
  auto id = codec::get_int(answer->fields, "pairing");
  if (!id) return id.error();
  auto created = codec::get_bool(answer->fields, "created");
  if (!created) return created.error();
  auto cycle = codec::get_int(answer->fields, "cycle");
  return pairing{*id, cycle ? *cycle : 0, *created};
}

outcome<void> messenger::account_disable(std::int64_t user) {
  auto answer = impl_->call("account_disable", {{"user", user}}, "disabling the account");
  if (!answer) return answer.error();
  return {};
}

}  // namespace confidant::client
