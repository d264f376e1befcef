// devices, device_link, device_remove, prekeys_upload, bundle (protocol.md 7.7-7.11).
#include "server/rules/relationships.hpp"
#include "server/service/delivery.hpp"
#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/invites.hpp"
#include "server/service/key_fields.hpp"
#include "server/store/accounts.hpp"
#include "server/store/prekeys.hpp"

namespace confidant::service {
namespace {

constexpr auto device_link_lifetime = std::chrono::minutes{10};

boost::json::object signed_prekey_json(const store::signed_prekey_row& spk) {
  boost::json::object o;
  o["id"] = spk.id;
  o["created_at"] = spk.created_at_s;
  o["key"] = b64(spk.key);
  o["signature"] = b64(spk.signature);
  return o;
}

}  // namespace

void on_devices(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  std::vector<store::device_row> rows;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto d = store::active_devices(db, c->device->user);
    if (!d) return d.error();
    rows = std::move(*d);
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "devices", read.error());
  boost::json::array list;
  for (const auto& d : rows) {
    boost::json::object o;
    o["device"] = d.device_id;
    o["identity"] = b64(d.identity);
    o["created_at"] = time_text(d.created_at_ms);
    o["current"] = d.device_id == c->device->device;
    list.push_back(std::move(o));
  }
  boost::json::object out;
  out["devices"] = std::move(list);
  c->send(wire::make_ok(req.rid, std::move(out)));
}

void on_device_link(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  std::string name;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto a = store::find_account(db, c->device->user);
    if (!a) return a.error();
    if (*a) name = (*a)->display_name;
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "device_link", read.error());
  issue_invite(
      b.db.write(), c->role, name, c->device->user, b.clock.now(), device_link_lifetime,
      [&b, c, rid = req.rid](boost::system::result<issued_invite> issued) {
        if (!issued) return answer_store_failure(b, *c, rid, "device_link", issued.error());
        boost::json::object out;
        out["code"] = issued->code;
        out["expires_at"] = rules::format_utc(issued->expires_at);
        c->send(wire::make_ok(rid, std::move(out)));
      },
      c->device->user);
}

void on_device_remove(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto device = in.integer("device", {.min = 1, .max = max_device_id});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  const device_ref target{c->device->user, *device};
  auto refusal = std::make_shared<std::optional<wire::failure>>();
  b.db.write().submit(
      [target, refusal, rid = req.rid, now = b.now_ms()](store::database& db) -> store::result<void> {
        auto all = store::active_devices(db, target.user);
        if (!all) return all.error();
        const bool known = std::ranges::any_of(*all, [&](const auto& d) { return d.device_id == target.device; });
        if (!known) {
          *refusal = wire::failure{wire::errc::not_found, "no active device with that number on this account", rid};
          return {};
        }
        if (all->size() == 1) {
          *refusal = wire::failure{wire::errc::last_device, "the account's only device cannot be removed", rid};
          return {};
        }
        auto removed = store::remove_device(db, target.user, target.device, now);
        if (!removed) return removed.error();
        return record(db, now, user_actor(target.user), "device_removed", object_name("user", target.user),
                      {{"device", target.device}});
      },
      [&b, c, target, refusal, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "device_remove", ec);
        if (*refusal) return b.fail(*c, **refusal);
        c->send(wire::make_ok(rid));
        if (auto gone = b.online.find(target)) gone->close(4001, "device removed");
      });
}

void on_prekeys_upload(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  auto spk = read_signed_prekey(in, "signed_prekey", false);
  auto otks = read_one_time_prekeys(in, "one_time_prekeys", false);
  if (in.ok() && !spk && !otks) in.reject(wire::errc::missing_field, "field `one_time_prekeys` or `signed_prekey` is required");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (spk) {
    std::optional<store::device_row> row;
    auto read = b.db.read([&](store::database& db) -> store::result<void> {
      auto d = store::find_active_device(db, c->device->user, c->device->device);
      if (!d) return d.error();
      row = *d;
      return {};
    });
    if (!read || !row) return answer_store_failure(b, *c, req.rid, "prekeys_upload", read ? store::errc::not_found : read.error());
    crypto::ed25519_public_key signer;
    std::copy_n(row->identity.begin(), 32, signer.bytes.begin());
    if (!check_signed_prekey(in, "signed_prekey", *spk, signer)) {
      return b.fail(*c, {wire::errc::invalid_field, "field `signed_prekey.signature` does not verify with the identity key", req.rid});
    }
  }
  struct outcome {
    std::optional<wire::failure> refusal;
    std::int64_t held = 0;
  };
  auto result = std::make_shared<outcome>();
  const auto me = *c->device;
  b.db.write().submit(
      [me, spk, otks = otks.value_or(std::vector<store::one_time_prekey_row>{}), result, rid = req.rid](store::database& db) -> store::result<void> {
        if (spk) {
          if (auto r = store::put_signed_prekey(db, me.user, me.device, *spk); !r) return r.error();
        }
        auto held = store::count_one_time_prekeys(db, me.user, me.device);
        if (!held) return held.error();
        if (*held + static_cast<std::int64_t>(otks.size()) > static_cast<std::int64_t>(store::max_one_time_prekeys)) {
          result->refusal = wire::failure{wire::errc::limit_reached, "the server holds at most 1000 one-time prekeys per device", rid};
          return store::errc::constraint;  // roll back the signed prekey too
        }
        if (auto r = store::add_one_time_prekeys(db, me.user, me.device, otks); !r) {
          if (r.error() == store::errc::constraint)
            result->refusal = wire::failure{wire::errc::invalid_field, "field `one_time_prekeys` repeats an id the server holds", rid};
          return r.error();
        }
        result->held = *held + static_cast<std::int64_t>(otks.size());
        return {};
      },
      [&b, c, result, rid = req.rid](boost::system::error_code ec) {
        if (result->refusal) return b.fail(*c, *result->refusal);
        if (ec) return answer_store_failure(b, *c, rid, "prekeys_upload", ec);
        boost::json::object out;
        out["one_time_prekeys"] = result->held;
        c->send(wire::make_ok(rid, std::move(out)));
      });
}

void on_bundle(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto user = in.integer("user", {.min = 1, .max = max_user_id});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  struct device_bundle {
    store::device_row device;
    store::signed_prekey_row spk;
    std::optional<store::one_time_prekey_row> otk;
    std::int64_t remaining = 0;
  };
  struct outcome {
    std::optional<wire::failure> refusal;
    std::vector<device_bundle> devices;
  };
  auto result = std::make_shared<outcome>();
  const auto me = *c->device;
  const auto my_role = c->role;
  b.db.write().submit(
      [me, my_role, target = *user, result, rid = req.rid](store::database& db) -> store::result<void> {
        auto account = store::find_account(db, target);
        if (!account) return account.error();
        if (!*account || !(*account)->active) {
          result->refusal = wire::failure{wire::errc::unknown_user, "no active user with that id", rid};
          return {};
        }
        if (target != me.user) {
          auto paired = store::are_paired(db, me.user, target);
          if (!paired) return paired.error();
          if (rules::may_contact(my_role, (*account)->role, *paired, rules::message_kind::message) !=
              rules::contact_verdict::allowed) {
            result->refusal = wire::failure{wire::errc::not_paired, "you may not write to that user", rid};
            return {};
          }
        }
        auto devices = store::active_devices(db, target);
        if (!devices) return devices.error();
        for (const auto& d : *devices) {
          if (d.account_id == me.user && d.device_id == me.device) continue;  // never one's own keys
          auto spk = store::get_signed_prekey(db, d.account_id, d.device_id);
          if (!spk) return spk.error();
          if (!*spk) continue;  // cannot happen for a registered device; skip rather than fail
          auto otk = store::take_one_time_prekey(db, d.account_id, d.device_id);
          if (!otk) return otk.error();
          auto left = store::count_one_time_prekeys(db, d.account_id, d.device_id);
          if (!left) return left.error();
          result->devices.push_back({d, **spk, *otk, *left});
        }
        return {};
      },
      [&b, c, result, target = *user, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "bundle", ec);
        if (result->refusal) return b.fail(*c, *result->refusal);
        boost::json::array list;
        for (const auto& d : result->devices) {
          boost::json::object o;
          o["device"] = d.device.device_id;
          o["identity"] = b64(d.device.identity);
          o["signed_prekey"] = signed_prekey_json(d.spk);
          if (d.otk) {
            boost::json::object k;
            k["id"] = d.otk->id;
            k["key"] = b64(d.otk->key);
            o["one_time_prekey"] = std::move(k);
          }
          list.push_back(std::move(o));
        }
        boost::json::object out;
        out["user"] = target;
        out["devices"] = std::move(list);
        c->send(wire::make_ok(rid, std::move(out)));
        for (const auto& d : result->devices) {
          if (d.otk && d.remaining < b.limits.prekeys_low) {
            if (auto owner = b.online.find({d.device.account_id, d.device.device_id}))
              owner->send(prekeys_low_event(d.remaining));
          }
        }
      });
}

}  // namespace confidant::service
