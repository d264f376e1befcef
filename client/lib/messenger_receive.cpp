// Receiving (docs/protocol.md 7.15): decrypt, open the franking commitment, verify the server's
// stamp, store message and session in one transaction, acknowledge in batches. Messages from a
// device whose identity changed are held until the user re-verifies.
#include "client/lib/base64url.hpp"
#include "client/lib/messenger_impl.hpp"
#include "crypto/envelope.hpp"
#include "crypto/franking.hpp"
#include "crypto/stamp.hpp"

#include <boost/json/array.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace confidant::client {
namespace json = boost::json;

namespace {

bool is_crypto_error(const boost::system::error_code& ec) { return ec.category() == crypto::category(); }

std::string why(const boost::system::error_code& ec) {
  switch (static_cast<crypto::errc>(ec.value())) {
    case crypto::errc::decrypt_failed: return "the ciphertext does not authenticate";
    case crypto::errc::duplicate_message: return "a replayed message";
    case crypto::errc::no_session: return "no session with the sending device";
    case crypto::errc::unknown_prekey: return "it names a prekey this device does not hold";
    case crypto::errc::commitment_mismatch: return "the franking commitment does not match the message";
    case crypto::errc::bad_stamp: return "the server's stamp does not verify";
    case crypto::errc::binding_mismatch: return "the stamp or context names other users";
    default: return ec.message();
  }
}

json::array held_list(const local_store& store) {
  auto v = store.get("held");
  if (!v || !*v) return {};
  std::error_code ec;
  auto parsed = json::parse(**v, ec);
  if (ec || !parsed.is_array()) return {};
  return parsed.as_array();
}

}  // namespace

outcome<void> messenger::impl::flush_acks() {
  if (!opts.acknowledge) return {};
  while (!to_ack.empty()) {
    const auto n = std::min<std::size_t>(to_ack.size(), 256);
    json::array ids;
    for (std::size_t i = 0; i < n; ++i) ids.emplace_back(to_ack[i]);
    auto answer = call("ack", {{"ids", std::move(ids)}}, "acknowledging messages");
    if (!answer) return answer.error();
    to_ack.erase(to_ack.begin(), to_ack.begin() + static_cast<std::ptrdiff_t>(n));
  }
  return {};
}

outcome<void> messenger::impl::hold(const json::object& fields) {
  auto list = held_list(*store);
  const auto* id = fields.if_contains("id");
  for (const auto& h : list)
    if (h.is_object() && id && h.as_object().if_contains("id") && *h.as_object().if_contains("id") == *id) return {};
  list.emplace_back(fields);
  if (auto r = store->put("held", json::serialize(list)); !r) return store_failure(r.error(), "holding a message");
  return {};
}

outcome<void> messenger::impl::handle_event(const wire::response& e, std::vector<history_entry>& out) {
  if (e.type == "message") return handle_message(e.fields, out, false);
  if (e.type == "expired") {
    auto x = codec::read_expired_event(e.fields);
    if (!x) return x.error();
    note(notice::kind::expired, x->device.user, x->device.device,
         "message " + std::to_string(x->message) + " was never delivered to " + name_of(x->device.user) + ", device " +
             std::to_string(x->device.device) + ", and has expired on the server");
    to_ack.push_back(x->id);
    return {};
  }
  if (e.type == "prekeys_low") {
    auto n = codec::get_int(e.fields, "one_time_prekeys");
    return replenish(n ? *n : 0);
  }
  for (auto& x : extensions) {
    auto handled = x->on_event(e);
    if (!handled) return handled.error();
    if (*handled) return {};
  }
  return {};  // events of later revisions are ignored (section 1)
}

outcome<void> messenger::impl::handle_message(const json::object& fields, std::vector<history_entry>& out,
                                              bool replay) {
  auto parsed = codec::read_message_event(fields);
  if (!parsed) {
    // Unreadable: acknowledge what can be named so the server does not send it forever.
    if (auto id = codec::get_int(fields, "id"); id && !replay) to_ack.push_back(*id);
    note(notice::kind::info, 0, 0, "the server delivered a malformed message event: " + parsed.error().detail);
    return {};
  }
  const auto& m = *parsed;
  const auto& acct = account();
  auto seen = store->seen_server_id(m.id);
  if (!seen) return store_failure(seen.error(), "reading delivered ids");
  auto seen_receipt = store->get("seen/" + std::to_string(m.id));  // receipts are not history
  if (!seen_receipt) return store_failure(seen_receipt.error(), "reading delivered ids");
  if (*seen || *seen_receipt) {
    if (!replay) to_ack.push_back(m.id);
    return {};
  }
  const auto from = address(m.from.user, m.from.device);
  const bool own_copy = m.from.user == acct.user;
  if (!replay && changed_identities().contains(from.user + "/" + std::to_string(from.device))) {
    if (auto r = hold(fields); !r) return r;
    to_ack.push_back(m.id);
    return {};
  }

  history_entry entry;
  entry.peer = own_copy ? m.to : m.from.user;
  entry.outgoing = own_copy;
  entry.from_device = m.from.device;
  entry.server_id = m.id;
  entry.accepted_at_ms = m.accepted_at_ms;
  entry.sent_at_ms = m.accepted_at_ms;
  rng.fill(entry.message_id);  // replaced by the sender's id once decrypted

  std::optional<crypto::identity_public> changed;
  std::optional<receipt_payload> receipt;
  bool stored = false;
  auto reject = [&](const std::string& reason) -> store_result<void> {
    entry.state = "rejected";
    entry.text = reason;
    auto r = store->add_incoming(entry);
    if (!r) return r.error();
    stored = r->has_value();
    if (stored) entry.local_id = **r;
    return {};
  };

  auto done = store->atomically([&]() -> store_result<void> {
    if ((own_copy && m.from.device == acct.device) || (!own_copy && m.to != acct.user))
      return reject("it is addressed inconsistently");
    auto plain = sessions->decrypt(from, m.body);
    if (!plain) {
      if (plain.error() == crypto::errc::untrusted_identity) {
        auto env = crypto::sesame::envelope::from_bytes(m.body);
        if (env && env->prekey) changed = env->prekey->initiator;
        return {};  // nothing stored: the message is held below
      }
      if (!is_crypto_error(plain.error())) return plain.error();  // a storage failure: retry later
      return reject(why(plain.error()));
    }
    crypto::franking::commitment claimed;
    std::copy(m.commitment.begin(), m.commitment.end(), claimed.bytes.begin());
    auto opened = crypto::franking::open(*plain, claimed);
    crypto::wipe(*plain);
    if (!opened) return reject(why(opened.error()));
    const auto& ctx = opened->ctx;
    if (ctx.sender != std::to_string(m.from.user) || ctx.recipient != std::to_string(m.to))
      return reject(why(crypto::errc::binding_mismatch));
    auto stamp = crypto::franking::stamp::from_bytes(m.stamp);
    if (!stamp) return reject(why(crypto::errc::bad_stamp));
    auto server_key = crypto::ed25519_public_key::from(acct.server_key);
    if (!server_key || !crypto::franking::verify_stamp(*server_key, *stamp)) return reject(why(crypto::errc::bad_stamp));
    if (!(stamp->fields.c == claimed) || stamp->fields.sender != ctx.sender || stamp->fields.recipient != ctx.recipient)
      return reject(why(crypto::errc::binding_mismatch));

    std::copy(ctx.message_id.begin(), ctx.message_id.end(), entry.message_id.begin());
    entry.sent_at_ms = static_cast<std::int64_t>(ctx.sent_at) * 1000;
    entry.stamp = m.stamp;
    entry.franking_key.assign(opened->k.view().begin(), opened->k.view().end());
    if (auto encoded = ctx.encode()) entry.context.assign(encoded->begin(), encoded->end());
    auto body = decode_payload(opened->message);
    entry.payload = opened->message;  // kept (encrypted at rest) so the message can be quoted in a flag
    crypto::wipe(opened->message);
    if (!body) return reject("the decrypted payload is not a Confidant message");
    if (auto* r = std::get_if<receipt_payload>(&*body)) {
      // Not history: recorded per message id (shown by history()), with this server id as seen.
      receipt = *r;
      const std::string state = r->what == receipt_payload::kind::read ? "read" : "delivered";
      for (const auto& id : r->ids) {
        const auto key = "receipt/" + base64url_encode(id);
        auto old = store->get(key);
        if (!old) return old.error();
        if (*old && **old == "read") continue;
        if (auto w = store->put(key, state); !w) return w.error();
      }
      return store->put("seen/" + std::to_string(m.id), "receipt");
    }
    if (auto* u = std::get_if<unsupported_payload>(&*body)) {
      entry.text = "(a message of a kind this client cannot show: \"" + u->kind + "\", version " +
                   std::to_string(u->version) + ")";
    } else {
      entry.text = std::get<text_payload>(*body).text;
    }
    entry.state = "delivered";
    auto r = store->add_incoming(entry);
    if (!r) return r.error();
    stored = r->has_value();
    if (stored) entry.local_id = **r;
    return {};
  });
  if (!done) return store_failure(done.error(), "storing a received message");

  if (changed) {
    if (auto r = record_changed(m.from.user, m.from.device, *changed); !r) return r;
    if (auto r = hold(fields); !r) return r;
    note(notice::kind::identity_changed, m.from.user, m.from.device,
         "the identity key of " + name_of(m.from.user) + ", device " + std::to_string(m.from.device) +
             ", has changed. Its messages are held unread until you compare safety numbers (`confidant "
             "safety-number " +
             std::to_string(m.from.user) + "`) and accept it with --verify");
  } else if (receipt) {
    // Recorded above; history() shows it on the messages it names.
  } else if (stored) {
    out.push_back(entry);
    if (!own_copy && entry.state == "delivered") receipts_due[m.from.user].push_back(entry.message_id);
    // A device that writes exists (a list missing others is corrected by device_mismatch).
    auto list = device_list(m.from.user);
    if (std::find(list.begin(), list.end(), m.from.device) == list.end()) {
      list.push_back(m.from.device);
      if (auto r = set_device_list(m.from.user, list); !r) return r;
    }
  }
  if (!replay) to_ack.push_back(m.id);
  return {};
}

outcome<void> messenger::impl::drain(std::chrono::milliseconds first) {
  if (!conn) return make_failure(errc::closed, "not connected to the server");
  auto wait = first;
  for (;;) {
    auto ev = conn->next_event(wait);
    if (!ev) return ev.error();  // what was stored stays stored; unacknowledged ids come again
    if (!*ev) break;
    if (auto r = handle_event(**ev, early); !r) return r.error();
    if (to_ack.size() >= opts.ack_batch) {
      if (auto r = flush_acks(); !r) return r.error();
    }
    wait = opts.quiet;
  }
  if (auto r = flush_acks(); !r) return r;
  send_receipts();
  return {};
}

outcome<std::vector<history_entry>> messenger::receive(std::chrono::milliseconds first) {
  auto& p = *impl_;
  auto r = p.drain(p.early.empty() ? first : std::chrono::milliseconds{0});
  if (!r) return r.error();
  std::vector<history_entry> out;
  out.swap(p.early);
  return out;
}

outcome<std::vector<history_entry>> messenger::verify(std::int64_t peer) {
  auto& p = *impl_;
  auto known = p.store->known_identities(peer);
  if (!known) return store_failure(known.error(), "reading identities");
  auto changes = p.changed_identities();
  const auto prefix = std::to_string(peer) + "/";
  for (const auto& [addr, id] : *known) {
    const auto key = addr.user + "/" + std::to_string(addr.device);
    if (auto it = changes.find(key); it != changes.end()) continue;  // handled below
    if (auto r = p.store->mark_verified(addr, id); !r) return store_failure(r.error(), "marking verified");
  }
  json::object remaining;
  for (const auto& [key, value] : changes) {
    if (!key.starts_with(prefix)) {
      remaining[key] = value;
      continue;
    }
    auto raw = base64url_decode(value);
    auto id = raw ? crypto::identity_public::from_bytes(*raw) : crypto::result<crypto::identity_public>(crypto::errc::malformed);
    if (!id) continue;
    const auto device = static_cast<std::uint32_t>(std::stoul(key.substr(prefix.size())));
    const crypto::device_address addr{std::to_string(peer), device};
    auto accepted = p.store->atomically([&]() -> store_result<void> {
      if (auto r = p.store->mark_verified(addr, *id); !r) return r.error();
      // The old session belongs to the old key.
      if (auto r = p.sessions->reset(addr); !r) return r.error();
      return {};
    });
    if (!accepted) return store_failure(accepted.error(), "accepting the new identity");
  }
  if (auto r = p.store->put("identity_changes", json::serialize(remaining)); !r)
    return store_failure(r.error(), "saving identity changes");

  // Messages held for this peer can be read now. The rest stay held (and a replay that meets yet
  // another change holds its message again).
  std::vector<history_entry> out;
  json::array keep;
  std::vector<json::object> replay;
  for (const auto& h : held_list(*p.store)) {
    if (!h.is_object()) continue;
    const auto* from = h.as_object().if_contains("from");
    const auto* user = from && from->is_object() ? from->as_object().if_contains("user") : nullptr;
    if (user && user->is_int64() && user->as_int64() == peer) {
      replay.push_back(h.as_object());
    } else {
      keep.push_back(h);
    }
  }
  if (auto r = p.store->put("held", json::serialize(keep)); !r) return store_failure(r.error(), "saving held messages");
  for (const auto& h : replay) {
    if (auto r = p.handle_message(h, out, true); !r) return r.error();
  }
  return out;
}

}  // namespace confidant::client
