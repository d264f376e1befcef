// send and ack (protocol.md 7.13, 7.15).
#include "server/rules/calendar_queries.hpp"
#include "server/rules/relationships.hpp"
#include "server/service/delivery.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/store/accounts.hpp"
#include "server/store/mailbox.hpp"

#include <set>
#include <spdlog/spdlog.h>

namespace confidant::service {
namespace {

constexpr std::size_t max_envelopes = 32;
constexpr std::size_t max_body_bytes = 49152;
constexpr std::size_t max_acks = 256;

struct envelope_in {
  device_ref to;
  std::vector<unsigned char> body;
  std::array<unsigned char, 32> commitment{};
};

std::optional<std::vector<envelope_in>> read_envelopes(wire::field_reader& in) {
  const auto* arr = in.array("envelopes", {.min_items = 1, .max_items = max_envelopes});
  if (!arr) return std::nullopt;
  std::vector<envelope_in> out;
  std::set<device_ref> seen;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto name = "envelopes[" + std::to_string(i) + "]";
    const auto* obj = (*arr)[i].if_object();
    if (!obj) {
      in.reject(wire::errc::invalid_field, "field `" + name + "` must be an object");
      return std::nullopt;
    }
    envelope_in e;
    const bool ok = in.nested(*obj, name + ".", [&](wire::field_reader& sub) {
      const auto user = sub.integer("user", {.min = 1, .max = max_user_id});
      const auto device = sub.integer("device", {.min = 1, .max = max_device_id});
      auto body = sub.binary("body", {.min_bytes = 1, .max_bytes = max_body_bytes});
      const auto c = read_fixed<32>(sub, "commitment");
      if (!sub.ok()) return;
      e = {{*user, *device}, std::move(*body), *c};
    });
    if (!ok) return std::nullopt;
    if (!seen.insert(e.to).second) {
      in.reject(wire::errc::invalid_field, "field `envelopes` names the same device twice");
      return std::nullopt;
    }
    out.push_back(std::move(e));
  }
  return out;
}

boost::json::array device_list(const std::set<device_ref>& devices) {
  boost::json::array out;
  for (const auto& d : devices) {
    boost::json::object o;
    o["user"] = d.user;
    o["device"] = d.device;
    out.push_back(std::move(o));
  }
  return out;
}

std::string accepted_answer(const std::string& rid, const store::accepted_message& m) {
  boost::json::object out;
  out["id"] = m.id;
  out["accepted_at"] = time_text(m.accepted_at_ms);
  out["deliver_at"] = time_text(m.deliver_at_ms);
  out["held"] = m.deliver_at_ms > m.accepted_at_ms;
  if (m.deliver_at_ms > m.accepted_at_ms) out["reason"] = "outside_contact_window";
  return wire::make_ok(rid, std::move(out));
}

// Contact windows (DESIGN.md 2) bound the peer-support conversation between a headteacher and
// an associate. Programme notices (a coordinator's messages) and messages to the LA are not held.
bool windowed(rules::role a, rules::role b) {
  using rules::role;
  return (a == role::headteacher && b == role::associate) || (a == role::associate && b == role::headteacher);
}

// When the recipient's window next opens: nullopt when it is open now, INT64_MAX when no window
// opens within the calendar's search horizon (the LA has not loaded the next year's terms).
std::optional<std::int64_t> window_opens(const rules::calendar& cal, rules::time_point now) {
  if (rules::is_open(cal, now)) return std::nullopt;
  const auto next = rules::next_opening(cal, now);
  return next ? next->time_since_epoch().count() : INT64_MAX;
}

}  // namespace

void on_send(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto mid = read_fixed<16>(in, "message_id");
  const auto to = in.integer("to", {.min = 1, .max = max_user_id});
  auto envelopes = read_envelopes(in);
  if (to && *to == c->device->user) in.reject(wire::errc::invalid_field, "field `to` may not name yourself");
  if (in.ok() && envelopes) {
    for (const auto& e : *envelopes) {
      if (e.to.user != *to && e.to.user != c->device->user) {
        in.reject(wire::errc::invalid_field, "every envelope must be for `to` or for another of your own devices");
        break;
      }
    }
  }
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());

  const auto me = *c->device;
  const auto now = b.clock.now();
  const auto now_ms = now.time_since_epoch().count();
  std::vector<store::new_envelope> rows;
  rows.reserve(envelopes->size());
  for (auto& e : *envelopes) {
    rows.push_back({e.to.user, e.to.device, now_ms, false, std::move(e.body), {e.commitment.begin(), e.commitment.end()}, {}});
  }

  struct outcome {
    std::optional<wire::failure> refusal;
    store::accepted_message accepted;
    bool fresh = false;
  };
  auto result = std::make_shared<outcome>();
  auto shared_rows = std::make_shared<std::vector<store::new_envelope>>(std::move(rows));
  const auto retention = std::chrono::duration_cast<std::chrono::milliseconds>(b.limits.envelope_retention).count();
  const bool reject_outside = b.policy.outside == rules::policy::outside_window::reject;
  // The send rate is charged in the writer job, after the resend check: a resend is answered
  // before the rate is checked (protocol 7.13). The limiter is thread-safe.
  b.db.write().submit(
      [&b, me, role = c->role, to = *to, mid = *mid, now, now_ms, retention, reject_outside, shared_rows, result,
       rid = req.rid](store::database& db) -> store::result<void> {
        auto sent = store::find_sent(db, me.user, me.device, mid);
        if (!sent) return sent.error();
        if (*sent) {
          result->accepted = **sent;  // a resend: the first answer again, nothing stored
          return {};
        }
        if (const auto t = b.sends.take(std::to_string(me.user) + ":" + std::to_string(me.device), now); !t) {
          result->refusal = rate_limited(rid, t.retry_after);
          return {};
        }
        auto recipient = store::find_account(db, to);
        if (!recipient) return recipient.error();
        if (!*recipient || !(*recipient)->active) {
          result->refusal = wire::failure{wire::errc::unknown_user, "no active user with that id", rid};
          return {};
        }
        auto paired = store::are_paired(db, me.user, to);
        if (!paired) return paired.error();
        if (rules::may_contact(role, (*recipient)->role, *paired, rules::message_kind::message) !=
            rules::contact_verdict::allowed) {
          result->refusal = wire::failure{wire::errc::not_paired, "you may not write to that user", rid};
          return {};
        }
        std::set<device_ref> expected;
        for (const auto user : {to, me.user}) {
          auto devices = store::active_devices(db, user);
          if (!devices) return devices.error();
          for (const auto& d : *devices)
            if (!(d.account_id == me.user && d.device_id == me.device)) expected.insert({d.account_id, d.device_id});
        }
        std::set<device_ref> given;
        for (const auto& r : *shared_rows) given.insert({r.account_id, r.device_id});
        if (given != expected) {
          std::set<device_ref> missing;
          std::set<device_ref> stale;
          std::ranges::set_difference(expected, given, std::inserter(missing, missing.end()));
          std::ranges::set_difference(given, expected, std::inserter(stale, stale.end()));
          wire::failure f{wire::errc::device_mismatch, "the envelopes do not match the current devices", rid};
          f.extra["missing"] = device_list(missing);
          f.extra["stale"] = device_list(stale);
          result->refusal = std::move(f);
          return {};
        }
        auto deliver_at = now_ms;
        std::optional<std::int64_t> opens;
        if (windowed(role, (*recipient)->role)) {
          auto cal = contact_calendar(db, *b.calendars, to);  // the recipient's, narrowed or not
          if (!cal) return cal.error();
          opens = window_opens(*cal, now);
        }
        if (opens) {
          if (*opens == INT64_MAX) {
            result->refusal = wire::failure{wire::errc::contact_window_closed,
                                            "no contact window opens in the loaded calendar; the LA must load the next term dates", rid};
            return {};
          }
          if (reject_outside) {
            wire::failure f{wire::errc::contact_window_closed, "the recipient's contact window is closed", rid};
            f.extra["next_opening"] = time_text(*opens);
            result->refusal = std::move(f);
            return {};
          }
          deliver_at = *opens;
          for (auto& r : *shared_rows) {
            if (r.account_id != to) continue;  // copies for the sender's own devices are not held
            r.deliver_at_ms = deliver_at;
            r.held = true;
          }
        }
        store::new_message m{"e2e", me.user, me.device, mid, to, now_ms, deliver_at, now_ms + retention};
        auto id = store::insert_message(db, m, {});
        if (!id) return id.error();
        result->accepted = {*id, now_ms, deliver_at};
        result->fresh = true;
        // The envelopes follow at the batch's end, under its one stamp signature (the server's
        // receive time in whole seconds).
        b.stamps.add(b.db.write(), *id, m.expires_at_ms, shared_rows, me.user, to, static_cast<std::uint64_t>(now_ms / 1000));
        return {};
      },
      [&b, c, me, to = *to, shared_rows, result, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "send", ec);
        if (result->refusal) return b.fail(*c, *result->refusal);
        c->send(accepted_answer(rid, result->accepted));
        if (!result->fresh) return;
        if (result->accepted.deliver_at_ms > result->accepted.accepted_at_ms && b.on_held)
          b.on_held(rules::time_point{std::chrono::milliseconds{result->accepted.deliver_at_ms}});
        for (auto& r : *shared_rows) {
          if (r.held) continue;  // released by release_held() when the window opens
          store::pending_envelope e{result->accepted.id, "e2e", me.user, me.device, to, result->accepted.accepted_at_ms,
                                    std::move(r.body), std::move(r.commitment), std::move(r.stamp)};
          notify(b, {r.account_id, r.device_id}, e.id, std::make_shared<const std::string>(delivery_event(e)));
        }
      });
}

void on_ack(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto* arr = in.array("ids", {.min_items = 1, .max_items = max_acks});
  std::vector<std::int64_t> ids;
  if (arr) {
    for (const auto& v : *arr) {
      const auto* n = v.if_int64();
      const auto* u = v.if_uint64();
      const std::int64_t id = n ? *n : (u && *u <= static_cast<std::uint64_t>(INT64_MAX) ? static_cast<std::int64_t>(*u) : 0);
      if (id < 1) {
        in.reject(wire::errc::invalid_field, "field `ids` must be an array of 1 to 256 positive integers");
        break;
      }
      ids.push_back(id);
    }
  }
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  auto removed = std::make_shared<std::int64_t>(0);
  const auto me = *c->device;
  // The window opens at once (the client has the messages); the delete commits after. Until it
  // has, a rescan skips these ids too.
  for (const auto id : ids) {
    c->in_flight.erase(id);
    c->acking.insert(id);
  }
  pump(b, c);
  b.db.write().submit(
      [me, ids, removed](store::database& db) -> store::result<void> {
        auto n = store::delete_envelopes(db, me.user, me.device, ids);
        if (!n) return n.error();
        *removed = *n;
        return {};
      },
      [&b, c, ids, removed, rid = req.rid](boost::system::error_code ec) {
        c->strand([&b, c, ids, removed, rid, ec] {
          // Failed or not, these ids are no longer being deleted: a rescan may send them again.
          for (const auto id : ids) c->acking.erase(id);
          if (ec) return answer_store_failure(b, *c, rid, "ack", ec);
          boost::json::object out;
          out["acknowledged"] = *removed;
          c->send(wire::make_ok(rid, std::move(out)));
        });
      });
}

}  // namespace confidant::service
