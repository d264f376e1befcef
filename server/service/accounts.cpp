// register, challenge and login (protocol.md 7.4-7.6).
#include "crypto/ed25519.hpp"
#include "schema/wire/invite_code.hpp"
#include "server/service/delivery.hpp"
#include "server/service/flag_events.hpp"
#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/service/invites.hpp"
#include "server/service/key_fields.hpp"
#include "server/store/accounts.hpp"
#include "server/store/invites.hpp"
#include "server/store/mailbox.hpp"
#include "server/store/prekeys.hpp"

#include <sodium.h>

namespace confidant::service {
namespace {

constexpr auto challenge_lifetime = std::chrono::seconds{60};
constexpr std::string_view login_label = "Confidant_Login_v1";
const std::string login_failed_message = "login failed";

std::string pair_key(std::int64_t user, std::int64_t device) {
  return std::to_string(user) + ":" + std::to_string(device);
}

// Counts one failure against the address (and the device pair, for logins).
void charge_failure(backend& b, const connection& c, const std::optional<std::string>& pair) {
  const auto now = b.clock.now();
  (void)b.login_by_address.take(c.address(), now);
  if (pair) (void)b.login_by_device.take(*pair, now);
}

// The larger wait of the buckets that refuse, if any does.
std::optional<std::chrono::milliseconds> throttled(backend& b, const connection& c,
                                                   const std::optional<std::string>& pair) {
  const auto now = b.clock.now();
  auto wait = std::chrono::milliseconds{0};
  if (const auto a = b.login_by_address.check(c.address(), now); !a) wait = std::max(wait, a.retry_after);
  if (pair) {
    if (const auto d = b.login_by_device.check(*pair, now); !d) wait = std::max(wait, d.retry_after);
  }
  if (wait.count() == 0) return std::nullopt;
  return wait;
}

struct register_outcome {
  std::optional<wire::failure> refusal;
  std::int64_t user = 0;
  std::int64_t device = 0;
  rules::role role = rules::role::headteacher;
  std::string display_name;
};

}  // namespace

void on_register(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto code_text = in.text("invite", {.min_length = 1, .max_length = 64});
  const auto identity = read_identity(in, "identity");
  const auto spk = read_signed_prekey(in, "signed_prekey", true);
  if (spk && identity) (void)check_signed_prekey(in, "signed_prekey", *spk, identity->signing);
  const auto otks = read_one_time_prekeys(in, "one_time_prekeys", true);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());

  if (const auto wait = throttled(b, *c, std::nullopt)) return b.fail(*c, rate_limited(req.rid, *wait));
  const auto code = wire::parse_invite_code(*code_text);
  if (!code) {
    charge_failure(b, *c, std::nullopt);
    return b.fail(*c, {wire::errc::invite_unknown, "no invite or device link has that code", req.rid});
  }

  auto outcome = std::make_shared<register_outcome>();
  const auto hash = hash_invite(*code);
  const auto now = b.now_ms();
  b.db.write().submit(
      [outcome, hash, now, identity = *identity, spk = *spk, otks = *otks, rid = req.rid](store::database& db) -> store::result<void> {
        auto found = store::find_invite(db, hash, now);
        if (!found) return found.error();
        const auto& [state, invite] = *found;
        switch (state) {
          case store::invite_state::unknown:
            outcome->refusal = wire::failure{wire::errc::invite_unknown, "no invite or device link has that code", rid};
            return {};
          case store::invite_state::used:
            outcome->refusal = wire::failure{wire::errc::invite_used, "that code has been used already", rid};
            return {};
          case store::invite_state::expired:
            outcome->refusal = wire::failure{wire::errc::invite_expired, "that code has expired", rid};
            return {};
          case store::invite_state::usable:
            break;
        }
        auto in_use = store::signing_key_in_use(db, identity.signing.view());
        if (!in_use) return in_use.error();
        if (*in_use) {
          outcome->refusal = wire::failure{wire::errc::identity_in_use, "a device with this identity key is registered already", rid};
          return {};
        }
        std::int64_t user = 0;
        if (invite->link_account) {
          auto account = store::find_account(db, *invite->link_account);
          if (!account) return account.error();
          if (!*account || !(*account)->active) {
            outcome->refusal = wire::failure{wire::errc::invite_unknown, "no invite or device link has that code", rid};
            return {};
          }
          user = (*account)->id;
        } else {
          auto created = store::insert_account(db, invite->role, invite->display_name, now, invite->deputy);
          if (!created) return created.error();
          user = *created;
        }
        const auto id_bytes = identity.to_bytes();
        auto device = store::insert_device(db, user, std::span<const unsigned char, 128>{id_bytes.data(), 128}, now);
        if (!device) return device.error();
        if (auto r = store::put_signed_prekey(db, user, *device, spk); !r) return r.error();
        if (auto r = store::add_one_time_prekeys(db, user, *device, otks); !r) return r.error();
        if (auto r = store::mark_invite_used(db, invite->id, user, now); !r) return r.error();
        if (auto r = record(db, now, user_actor(user), invite->link_account ? "device_linked" : "account_registered",
                            object_name("user", user), {{"device", *device}, {"role", rules::name(invite->role)}});
            !r)
          return r.error();
        outcome->user = user;
        outcome->device = *device;
        outcome->role = invite->role;
        outcome->display_name = invite->display_name;
        return {};
      },
      [&b, c, outcome, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "register", ec);
        if (outcome->refusal) {
          if (outcome->refusal->code != wire::errc::identity_in_use) charge_failure(b, *c, std::nullopt);
          return b.fail(*c, *outcome->refusal);
        }
        boost::json::object out;
        out["user"] = outcome->user;
        out["device"] = outcome->device;
        out["role"] = rules::name(outcome->role);
        out["display_name"] = outcome->display_name;
        c->send(wire::make_ok(rid, std::move(out)));
      });
}

void on_challenge(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  connection::challenge_state ch;
  randombytes_buf(ch.nonce.data(), ch.nonce.size());
  ch.expires = b.clock.now() + challenge_lifetime;
  c->challenge = ch;
  boost::json::object out;
  out["nonce"] = b64(ch.nonce);
  out["expires_at"] = rules::format_utc(ch.expires);
  c->send(wire::make_ok(req.rid, std::move(out)));
}

void on_login(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto user = in.integer("user", {.min = 1, .max = max_user_id});
  const auto device = in.integer("device", {.min = 1, .max = max_device_id});
  const auto signature = read_fixed<64>(in, "signature");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());

  const auto pair = pair_key(*user, *device);
  if (const auto wait = throttled(b, *c, pair)) return b.fail(*c, rate_limited(req.rid, *wait));
  if (!c->challenge || c->challenge->expires <= b.clock.now()) {
    c->challenge.reset();
    return b.fail(*c, {wire::errc::challenge_required, "ask for a challenge first; each one serves one login within 60 s", req.rid});
  }
  const auto nonce = c->challenge->nonce;
  c->challenge.reset();

  // Look the device up and verify. An unknown device is verified against a fixed key so that
  // every failure takes the same path and time.
  std::optional<store::device_row> row;
  std::optional<store::account_row> account;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto d = store::find_active_device(db, *user, *device);
    if (!d) return d.error();
    row = *d;
    auto a = store::find_account(db, *user);
    if (!a) return a.error();
    account = *a;
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "login", read.error());

  crypto::ed25519_public_key signer = b.server_key.public_key;  // never signs login messages
  if (row) std::copy_n(row->identity.begin(), 32, signer.bytes.begin());
  crypto::ed25519_signature sig;
  std::copy(signature->begin(), signature->end(), sig.bytes.begin());
  const bool valid = static_cast<bool>(crypto::ed25519::verify(
      signer, sig, {crypto::as_bytes(login_label), b.server_key.public_key.view(), nonce}));
  if (!valid || !row || !account || !account->active) {
    charge_failure(b, *c, pair);
    return b.fail(*c, {wire::errc::login_failed, login_failed_message, req.rid});
  }

  const device_ref me{*user, *device};
  c->device = me;
  c->role = account->role;
  if (auto old = b.online.bind(me, c)) old->close(4003, "logged in elsewhere");

  std::int64_t pending = 0;
  std::int64_t prekeys = 0;
  (void)b.db.read([&](store::database& db) -> store::result<void> {
    auto p = store::count_pending(db, me.user, me.device);
    if (!p) return p.error();
    pending = *p;
    auto k = store::count_one_time_prekeys(db, me.user, me.device);
    if (!k) return k.error();
    prekeys = *k;
    return {};
  });
  boost::json::object out;
  out["user"] = me.user;
  out["device"] = me.device;
  out["role"] = rules::name(account->role);
  out["display_name"] = account->display_name;
  out["pending"] = pending;
  out["one_time_prekeys"] = prekeys;
  c->send(wire::make_ok(req.rid, std::move(out)));
  if (prekeys < b.limits.prekeys_low) c->send(prekeys_low_event(prekeys));
  pump(b, c);
  if (account->role == rules::role::spoc) push_waiting_flags(b, c);
}

}  // namespace confidant::service
