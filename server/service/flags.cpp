// Safeguarding flags: spoc_key_publish, spoc_keys, flag_raise, flag_received, flag_ack,
// flag_note, flag_resolve, flag_hold, flags, flag_show (docs/protocol.md 7.23-7.28).
#include "crypto/flag.hpp"
#include "server/rules/calendar_queries.hpp"
#include "server/rules/flags.hpp"
#include "server/service/audit.hpp"
#include "server/service/flag_events.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/store/accounts.hpp"
#include "server/store/audit.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>
#include <tuple>

namespace confidant::service {
namespace {

constexpr std::size_t max_copies = 64;
constexpr std::size_t max_sealed_bytes = 32768;
constexpr std::size_t max_confirmations = 256;
constexpr auto max_key_lifetime = std::chrono::days{400};

using key_set = std::set<std::tuple<std::int64_t, std::int64_t, std::int64_t>>;  // (user, device, key id)

// The `copies` array: one sealed copy per SPOC device, whose first four bytes name its key id.
std::optional<std::vector<store::flag_copy>> read_copies(wire::field_reader& in) {
  // Empty is allowed: a client that found no SPOC key asks anyway and gets no_spoc with the route.
  const auto* arr = in.array("copies", {.min_items = 0, .max_items = max_copies});
  if (!arr) return std::nullopt;
  std::vector<store::flag_copy> out;
  std::set<device_ref> seen;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto name = "copies[" + std::to_string(i) + "]";
    const auto* obj = (*arr)[i].if_object();
    if (!obj) {
      in.reject(wire::errc::invalid_field, "field `" + name + "` must be an object");
      return std::nullopt;
    }
    store::flag_copy copy;
    const bool ok = in.nested(*obj, name + ".", [&](wire::field_reader& sub) {
      const auto user = sub.integer("user", {.min = 1, .max = max_user_id});
      const auto device = sub.integer("device", {.min = 1, .max = max_device_id});
      const auto key_id = sub.integer("key_id", {.min = 0, .max = 4294967295});
      auto sealed = sub.binary("sealed", {.min_bytes = 5, .max_bytes = max_sealed_bytes});
      if (!sub.ok()) return;
      std::int64_t prefix = 0;
      for (std::size_t b = 0; b < 4; ++b) prefix = (prefix << 8) | (*sealed)[b];
      if (prefix != *key_id) {
        sub.reject(wire::errc::invalid_field, "field `" + name + ".sealed` must begin with its key id");
        return;
      }
      copy = {*user, *device, *key_id, std::move(*sealed)};
    });
    if (!ok) return std::nullopt;
    if (!seen.insert({copy.user, copy.device}).second) {
      in.reject(wire::errc::invalid_field, "field `copies` names the same device twice");
      return std::nullopt;
    }
    out.push_back(std::move(copy));
  }
  return out;
}

// Whether the copies are exactly one per current SPOC key; the failure to answer otherwise.
std::optional<wire::failure> check_copies(const backend& b, std::span<const store::spoc_key_row> keys,
                                          std::span<const store::flag_copy> copies, const std::string& rid) {
  if (keys.empty()) {
    wire::failure f{wire::errc::no_spoc, "no safeguarding lead (SPOC) device has published a sealing key", rid};
    f.extra["emergency_route"] = b.emergency_route;
    return f;
  }
  key_set want;
  for (const auto& k : keys) want.insert({k.user, k.device, k.key_id});
  key_set got;
  for (const auto& c : copies) got.insert({c.user, c.device, c.key_id});
  if (want != got)
    return wire::failure{wire::errc::spoc_keys_changed,
                         "the copies do not match the current SPOC keys: fetch spoc_keys and seal again", rid};
  return std::nullopt;
}

std::string key_list_answer(const std::string& rid, std::span<const store::spoc_key_row> keys) {
  boost::json::array list;
  for (const auto& k : keys) {
    list.push_back(boost::json::object{{"user", k.user},
                                       {"device", k.device},
                                       {"deputy", k.deputy},
                                       {"identity", b64(k.identity)},
                                       {"key_id", k.key_id},
                                       {"certificate", b64(k.certificate)}});
  }
  boost::json::object out;
  out["keys"] = std::move(list);
  return wire::make_ok(rid, std::move(out));
}

wire::failure not_found(const std::string& rid) { return {wire::errc::not_found, "no flag with that id", rid}; }

wire::failure wrong_state(const std::string& rid, std::string_view state) {
  wire::failure f{wire::errc::wrong_state, "the flag is " + std::string{state}, rid};
  f.extra["state"] = state;
  return f;
}

// A change by a SPOC to one flag: `change` decides (setting `refusal` or changing the row and
// auditing) inside the writer job; the answer is the SPOC view, and the raiser's devices hear
// of state changes.
struct change_outcome {
  std::optional<wire::failure> refusal;
  store::flag_row row;
  bool state_changed = false;
};
using change_fn = std::function<store::result<void>(store::database&, change_outcome&)>;

void change_flag(backend& b, const conn_ptr& c, const wire::request& req, std::int64_t id, std::string_view what,
                 change_fn change) {
  auto result = std::make_shared<change_outcome>();
  b.db.write().submit(
      [id, rid = req.rid, change = std::move(change), result](store::database& db) -> store::result<void> {
        auto f = store::find_flag(db, id);
        if (!f) return f.error();
        if (!*f) {
          result->refusal = not_found(rid);
          return {};
        }
        result->row = std::move(**f);
        return change(db, *result);
      },
      [&b, c, result, rid = req.rid, what = std::string{what}](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, what, ec);
        if (result->refusal) return b.fail(*c, *result->refusal);
        c->send(wire::make_ok(rid, flag_json(result->row, true)));
        if (result->state_changed) {
          const auto& f = result->row;
          const auto at = f.resolved_at_ms ? *f.resolved_at_ms : f.acknowledged_at_ms.value_or(b.now_ms());
          auto frame = std::make_shared<const std::string>(flag_state_event(f, at));
          send_to_user(b, result->row.raiser, frame);
        }
      });
}

std::optional<std::int64_t> read_flag_id(wire::field_reader& in) { return in.integer("flag", {.min = 1, .max = max_user_id}); }

}  // namespace

void on_spoc_key_publish(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  auto cert_bytes = in.binary("certificate", {.min_bytes = 1, .max_bytes = 512});
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::spoc)) return;
  const auto me = *c->device;
  const auto now_ms = b.now_ms();
  auto cert = crypto::flag::spoc_key_certificate::from_bytes(*cert_bytes);
  auto refuse = [&](std::string why) { b.fail(*c, {wire::errc::invalid_field, "field `certificate` " + why, req.rid}); };
  if (!cert) return refuse("is not a certificate (docs/crypto.md)");
  const auto now_s = static_cast<std::uint64_t>(now_ms / 1000);
  if (cert->not_after <= cert->not_before || cert->not_after - cert->not_before > std::uint64_t(max_key_lifetime / std::chrono::seconds{1}))
    return refuse("must be valid for at most 400 days");
  // Milliseconds: a certificate whose not_after is this very second has already expired.
  if (static_cast<std::int64_t>(cert->not_after) * 1000 <= now_ms || static_cast<std::int64_t>(cert->not_before) * 1000 > now_ms)
    return refuse("is not valid now");

  struct outcome {
    std::optional<wire::failure> refusal;
  };
  auto result = std::make_shared<outcome>();
  b.db.write().submit(
      [me, now_ms, now_s, cert = *cert, bytes = std::move(*cert_bytes), result, rid = req.rid](store::database& db) -> store::result<void> {
        auto refuse_in = [&](std::string why) {
          result->refusal = wire::failure{wire::errc::invalid_field, "field `certificate` " + why, rid};
          return store::result<void>{};
        };
        auto device = store::find_active_device(db, me.user, me.device);
        if (!device) return device.error();
        if (!*device) return refuse_in("names no active device");
        crypto::ed25519_public_key signer;
        std::copy_n((*device)->identity.begin(), 32, signer.bytes.begin());
        if (cert.spoc_identity != signer) return refuse_in("must name this device's identity signing key");
        if (auto ok = cert.verify(signer, now_s); !ok) return refuse_in("does not verify or is not valid now");
        auto latest = store::latest_spoc_key_id(db, me.user, me.device);
        if (!latest) return latest.error();
        if (*latest && std::int64_t{cert.key_id} <= **latest)
          return refuse_in("must have a key id higher than " + std::to_string(**latest));
        const auto not_after_ms = static_cast<std::int64_t>(cert.not_after) * 1000;
        if (auto r = store::insert_spoc_key(db, me.user, me.device, cert.key_id, bytes, not_after_ms, now_ms); !r)
          return r.error();
        return record(db, now_ms, user_actor(me.user), "spoc_key_published", object_name("user", me.user),
                      {{"device", me.device}, {"key_id", cert.key_id}, {"not_after", time_text(not_after_ms)}});
      },
      [&b, c, result, rid = req.rid, key_id = cert->key_id, not_after = cert->not_after](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "spoc_key_publish", ec);
        if (result->refusal) return b.fail(*c, *result->refusal);
        boost::json::object out;
        out["key_id"] = key_id;
        out["not_after"] = time_text(static_cast<std::int64_t>(not_after) * 1000);
        c->send(wire::make_ok(rid, std::move(out)));
      });
}

void on_spoc_keys(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  std::vector<store::spoc_key_row> keys;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto k = store::current_spoc_keys(db, b.now_ms());
    if (!k) return k.error();
    keys = std::move(*k);
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "spoc_keys", read.error());
  c->send(key_list_answer(req.rid, keys));
}

void on_flag_raise(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto flag_id = read_fixed<16>(in, "flag_id");
  const auto category = in.text("category", {.min_length = 1, .max_length = 32});
  const auto urgency = in.text("urgency", {.min_length = 1, .max_length = 32});
  auto copies = read_copies(in);
  if (category && !rules::is_flag_category(*category))
    in.reject(wire::errc::invalid_field,
              "field `category` must be child_protection, staff_allegation, whistleblowing, leader_wellbeing or other");
  if (urgency && !rules::is_flag_urgency(*urgency))
    in.reject(wire::errc::invalid_field, "field `urgency` must be immediate, urgent or standard");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!rules::may_raise_flag(c->role))
    return b.fail(*c, {wire::errc::forbidden, "SPOCs receive flags; they do not raise them", req.rid});
  const auto me = *c->device;
  const auto now = b.clock.now();

  const auto& la = b.calendars->la_working;
  const auto deadline = rules::flag_deadline(la, now, b.policy.spoc_ack_deadline);
  store::flag_row row;
  row.raiser = me.user;
  row.raiser_device = me.device;
  row.flag_id = *flag_id;
  row.category = *category;
  row.urgency = *urgency;
  row.state = "received";
  row.raised_at_ms = now.time_since_epoch().count();
  row.deadline_at_ms = (deadline ? *deadline : now + b.policy.spoc_ack_deadline).time_since_epoch().count();
  row.next_escalation_at_ms = row.deadline_at_ms;
  row.out_of_hours = !rules::is_open(la, now);

  struct outcome {
    std::optional<wire::failure> refusal;
    store::flag_row row;
    std::vector<store::spoc_key_row> spocs;
    bool fresh = false;
  };
  auto result = std::make_shared<outcome>();
  // One list for the job (to store) and the completion (to push): never moved from by either.
  const auto shared = std::make_shared<const std::vector<store::flag_copy>>(std::move(*copies));
  b.db.write().submit(
      [&b, now, row, copies = shared, result, rid = req.rid](store::database& db) -> store::result<void> {
        auto existing = store::find_flag_by_client_id(db, row.raiser, row.raiser_device, row.flag_id);
        if (!existing) return existing.error();
        if (*existing) {
          result->row = std::move(**existing);  // a resend: the first answer again, nothing stored
          return {};
        }
        // The send rate (7.13), charged after the resend check: a lost answer can always be asked again.
        const auto key = std::to_string(row.raiser) + ":" + std::to_string(row.raiser_device);
        if (const auto t = b.sends.take(key, now); !t) {
          result->refusal = rate_limited(rid, t.retry_after);
          return {};
        }
        auto keys = store::current_spoc_keys(db, row.raised_at_ms);
        if (!keys) return keys.error();
        if ((result->refusal = check_copies(b, *keys, *copies, rid))) return {};
        auto id = store::insert_flag(db, row);
        if (!id) return id.error();
        if (auto r = store::insert_flag_copies(db, *id, 0, *copies); !r) return r.error();
        if (auto r = record(db, row.raised_at_ms, user_actor(row.raiser), "flag_raised", object_name("flag", *id),
                            {{"category", row.category},
                             {"urgency", row.urgency},
                             {"copies", copies->size()},
                             {"out_of_hours", row.out_of_hours},
                             {"deadline_at", time_text(row.deadline_at_ms)}});
            !r)
          return r.error();
        result->row = row;
        result->row.id = *id;
        result->spocs = std::move(*keys);
        result->fresh = true;
        return {};
      },
      [&b, c, result, copies = shared, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "flag_raise", ec);
        if (result->refusal) return b.fail(*c, *result->refusal);
        auto out = flag_json(result->row, false);
        out["out_of_hours"] = result->row.out_of_hours;
        out["emergency_route"] = b.emergency_route;
        c->send(wire::make_ok(rid, std::move(out)));
        if (!result->fresh) return;
        // Never held: to every connected SPOC device now; the others get it at their login.
        for (const auto& k : result->spocs) {
          const auto copy = std::ranges::find_if(*copies, [&](const auto& x) { return x.user == k.user && x.device == k.device; });
          if (copy == copies->end()) continue;
          if (auto live = b.online.find({k.user, k.device}))
            live->send(flag_event(result->row, *copy, alerted_at_once(k.deputy, result->spocs)));
        }
        if (b.on_flag_deadline) b.on_flag_deadline(rules::time_point{std::chrono::milliseconds{result->row.deadline_at_ms}});
      });
}

void on_flag_received(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto* arr = in.array("flags", {.min_items = 1, .max_items = max_confirmations});
  std::vector<std::int64_t> ids;
  if (arr) {
    for (const auto& v : *arr) {
      const auto* n = v.if_int64();
      if (!n || *n < 1) {
        in.reject(wire::errc::invalid_field, "field `flags` must hold positive integers");
        break;
      }
      ids.push_back(*n);
    }
  }
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::spoc)) return;
  const auto me = *c->device;
  auto marked = std::make_shared<std::size_t>(0);
  b.db.write().submit(
      [me, ids = std::move(ids), now = b.now_ms(), marked](store::database& db) -> store::result<void> {
        auto newly = store::mark_flags_received(db, me.user, me.device, ids, now);
        if (!newly) return newly.error();
        *marked = newly->size();
        for (const auto id : *newly)
          if (auto r = record(db, now, user_actor(me.user), "flag_delivered", object_name("flag", id), {{"device", me.device}}); !r)
            return r.error();
        return {};
      },
      [&b, c, marked, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "flag_received", ec);
        boost::json::object out;
        out["received"] = *marked;
        c->send(wire::make_ok(rid, std::move(out)));
      });
}

void on_flag_ack(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = read_flag_id(in);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::spoc)) return;
  const auto me = c->device->user;
  change_flag(b, c, req, *id, "flag_ack",
              [me, now = b.now_ms(), rid = req.rid](store::database& db, change_outcome& o) -> store::result<void> {
                auto& f = o.row;
                const auto next = rules::after(*rules::parse_flag_state(f.state), rules::flag_action::acknowledge);
                if (!next) {
                  o.refusal = wrong_state(rid, f.state);
                  return {};
                }
                f.state = rules::name(*next);
                f.acknowledged_at_ms = now;
                f.acknowledged_by = me;
                f.next_escalation_at_ms.reset();
                o.state_changed = true;
                if (auto r = store::update_flag(db, f); !r) return r.error();
                return record(db, now, user_actor(me), "flag_acknowledged", object_name("flag", f.id),
                              {{"within_deadline", now <= f.deadline_at_ms}});
              });
}

void on_flag_resolve(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = read_flag_id(in);
  const auto outcome = in.text("outcome", {.min_length = 1, .max_length = 64});
  if (outcome && !rules::is_flag_outcome(*outcome))
    in.reject(wire::errc::invalid_field, "field `outcome` must be one of the outcomes of docs/protocol.md 7.27");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::spoc)) return;
  const auto me = c->device->user;
  change_flag(b, c, req, *id, "flag_resolve",
              [me, now = b.now_ms(), outcome = *outcome, rid = req.rid](store::database& db,
                                                                         change_outcome& o) -> store::result<void> {
                auto& f = o.row;
                const auto next = rules::after(*rules::parse_flag_state(f.state), rules::flag_action::resolve);
                if (!next) {
                  o.refusal = wrong_state(rid, f.state);
                  return {};
                }
                f.state = rules::name(*next);
                f.resolved_at_ms = now;
                f.resolved_by = me;
                f.outcome = outcome;
                o.state_changed = true;
                if (auto r = store::update_flag(db, f); !r) return r.error();
                return record(db, now, user_actor(me), "flag_resolved", object_name("flag", f.id), {{"outcome", outcome}});
              });
}

void on_flag_hold(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = read_flag_id(in);
  const auto hold = in.boolean("hold");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::spoc)) return;
  const auto me = c->device->user;
  change_flag(b, c, req, *id, "flag_hold",
              [me, now = b.now_ms(), hold = *hold](store::database& db, change_outcome& o) -> store::result<void> {
                o.row.legal_hold = hold;
                if (auto r = store::update_flag(db, o.row); !r) return r.error();
                return record(db, now, user_actor(me), "flag_hold_set", object_name("flag", o.row.id), {{"hold", hold}});
              });
}

void on_flag_note(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = read_flag_id(in);
  const auto note_id = read_fixed<16>(in, "note_id");
  auto copies = read_copies(in);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::spoc)) return;
  const auto me = *c->device;
  struct outcome {
    std::optional<wire::failure> refusal;
    store::flag_note_row note;
    bool fresh = false;
  };
  auto result = std::make_shared<outcome>();
  const auto shared = std::make_shared<const std::vector<store::flag_copy>>(std::move(*copies));
  b.db.write().submit(
      [&b, me, flag = *id, note_id = *note_id, copies = shared, now = b.now_ms(), result,
       rid = req.rid](store::database& db) -> store::result<void> {
        auto existing = store::find_flag_note_by_client_id(db, me.user, me.device, note_id);
        if (!existing) return existing.error();
        if (*existing) {
          result->note = **existing;
          return {};
        }
        auto f = store::find_flag(db, flag);
        if (!f) return f.error();
        if (!*f) {
          result->refusal = not_found(rid);
          return {};
        }
        if (!rules::after(*rules::parse_flag_state((*f)->state), rules::flag_action::add_note)) {
          result->refusal = wrong_state(rid, (*f)->state);
          return {};
        }
        auto keys = store::current_spoc_keys(db, now);
        if (!keys) return keys.error();
        if ((result->refusal = check_copies(b, *keys, *copies, rid))) return {};
        store::flag_note_row note{0, flag, me.user, me.device, note_id, now};
        auto nid = store::insert_flag_note(db, note);
        if (!nid) return nid.error();
        note.id = *nid;
        if (auto r = store::insert_flag_copies(db, flag, note.id, *copies); !r) return r.error();
        result->note = note;
        result->fresh = true;
        return record(db, now, user_actor(me.user), "flag_note_added", object_name("flag", flag), {{"note", note.id}});
      },
      [&b, c, result, copies = shared, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "flag_note", ec);
        if (result->refusal) return b.fail(*c, *result->refusal);
        const auto& n = result->note;
        boost::json::object out;
        out["note"] = n.id;
        out["added_at"] = time_text(n.added_at_ms);
        c->send(wire::make_ok(rid, std::move(out)));
        if (!result->fresh) return;
        for (const auto& copy : *copies) {
          auto live = b.online.find({copy.user, copy.device});
          if (!live || live.get() == c.get()) continue;
          live->send(boost::json::serialize(boost::json::object{
              {"type", "flag_note"}, {"flag", n.flag}, {"note", n.id}, {"note_id", b64(n.note_id)},
              {"author", boost::json::object{{"user", n.author}, {"device", n.author_device}}},
              {"added_at", time_text(n.added_at_ms)}, {"key_id", copy.key_id}, {"sealed", b64(copy.sealed)}}));
        }
      });
}

void on_flags(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto state = in.text("state", {.min_length = 1, .max_length = 16, .required = false});
  if (state && !rules::parse_flag_state(*state))
    in.reject(wire::errc::invalid_field, "field `state` must be received, acknowledged or resolved");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  const bool spoc = rules::may_handle_flag(c->role);
  std::vector<store::flag_row> rows;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto r = store::list_flags(db, spoc ? std::nullopt : std::optional{c->device->user}, state);
    if (!r) return r.error();
    rows = std::move(*r);
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "flags", read.error());
  boost::json::array list;
  for (const auto& f : rows) list.push_back(flag_json(f, spoc));
  boost::json::object out;
  out["flags"] = std::move(list);
  c->send(wire::make_ok(req.rid, std::move(out)));
}

void on_flag_show(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto id = read_flag_id(in);
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  if (!require_role(b, *c, req, rules::role::spoc)) return;
  const auto me = *c->device;
  std::optional<boost::json::object> out;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto f = store::find_flag(db, *id);
    if (!f) return f.error();
    if (!*f) return {};
    out = flag_json(**f, true);
    auto copy = store::find_flag_copy(db, *id, 0, me.user, me.device);
    if (!copy) return copy.error();
    if (*copy) (*out)["copy"] = boost::json::object{{"key_id", (*copy)->key_id}, {"sealed", b64((*copy)->sealed)}};
    auto notes = store::flag_notes(db, *id);
    if (!notes) return notes.error();
    boost::json::array note_list;
    for (const auto& n : *notes) {
      auto nc = store::find_flag_copy(db, *id, n.id, me.user, me.device);
      if (!nc) return nc.error();
      if (!*nc) continue;
      note_list.push_back(boost::json::object{{"note", n.id},
                                              {"note_id", b64(n.note_id)},
                                              {"author", boost::json::object{{"user", n.author}, {"device", n.author_device}}},
                                              {"added_at", time_text(n.added_at_ms)},
                                              {"key_id", (*nc)->key_id},
                                              {"sealed", b64((*nc)->sealed)}});
    }
    (*out)["notes"] = std::move(note_list);
    auto history = audit_history(db, object_name("flag", *id));
    if (!history) return history.error();
    (*out)["history"] = std::move(*history);
    return {};
  });
  if (!read) return answer_store_failure(b, *c, req.rid, "flag_show", read.error());
  if (!out) return b.fail(*c, not_found(req.rid));
  c->send(wire::make_ok(req.rid, std::move(*out)));
}

}  // namespace confidant::service
