// Sending (docs/protocol.md 7.13): franking commitment, one Sesame envelope per device, the
// device_mismatch loop, the outbox.
#include "client/lib/base64url.hpp"
#include "client/lib/messenger_impl.hpp"
#include "crypto/franking.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <set>
#include <thread>

namespace confidant::client {
namespace json = boost::json;

namespace {

constexpr int max_attempts = 5;
constexpr std::size_t max_body = 49152;
constexpr std::int64_t max_rate_wait_ms = 5000;

// Error answers that no resend can fix: the message leaves the outbox.
bool permanent(const failure& f) {
  if (f.code != errc::error_answer) return false;
  static const std::set<std::string, std::less<>> codes{"unknown_user", "not_paired", "invalid_field", "forbidden",
                                                        "missing_field", "unknown_field", "wrong_role"};
  return codes.contains(f.server_code);
}

}  // namespace

outcome<std::vector<codec::device_bundle>> messenger::impl::fetch_bundles(std::int64_t user) {
  auto answer = call("bundle", {{"user", user}}, "fetching the keys of " + name_of(user));
  if (!answer) return answer.error();
  return codec::read_bundle(answer->fields, user);
}

outcome<codec::send_answer> messenger::impl::deliver(const outbox_entry& e, std::size_t& envelopes) {
  auto encoded = encode_payload(text_payload{e.text});
  if (!encoded) return encoded.error();
  auto r = deliver_payload(e.to, e.message_id, e.sent_at_ms, *encoded, envelopes);
  crypto::wipe(*encoded);
  return r;
}

void messenger::impl::send_receipts() {
  auto due = std::move(receipts_due);
  receipts_due.clear();
  for (auto& [user, ids] : due) {
    if (!opts.send_receipts || user == account().user || has_changed(user)) continue;
    for (std::size_t at = 0; at < ids.size(); at += max_receipt_ids) {
      receipt_payload r{receipt_payload::kind::delivered, {}};
      r.ids.assign(ids.begin() + static_cast<std::ptrdiff_t>(at),
                   ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + max_receipt_ids)));
      auto encoded = encode_payload(r);
      if (!encoded) continue;
      message_id id{};
      rng.fill(id);
      std::size_t envelopes = 0;
      // Receipts ride existing sessions only: an automatic send never starts one (two devices
      // starting sessions with each other at once would replace each other's).
      (void)deliver_payload(user, id, now_ms(), *encoded, envelopes, false);
    }
  }
}

outcome<codec::send_answer> messenger::impl::deliver_payload(std::int64_t to, const message_id& id,
                                                             std::int64_t sent_at_ms,
                                                             std::span<const std::uint8_t> plaintext,
                                                             std::size_t& envelopes, bool may_start_sessions) {
  const auto& acct = account();
  const outbox_entry e{id, to, {}, sent_at_ms};
  crypto::franking::context ctx;
  ctx.sender = std::to_string(acct.user);
  ctx.recipient = std::to_string(e.to);
  ctx.sent_at = static_cast<std::uint64_t>(e.sent_at_ms / 1000);
  std::copy(e.message_id.begin(), e.message_id.end(), ctx.message_id.begin());
  auto franked = crypto::franking::commit(rng, ctx, plaintext);
  if (!franked) return make_failure(franked.error(), "franking the message: " + franked.error().message());
  struct wipe_on_exit {
    crypto::bytes& b;
    ~wipe_on_exit() { crypto::wipe(b); }
  } wiper{franked->payload};

  std::vector<std::int64_t> theirs = device_list(e.to);
  std::vector<std::int64_t> mine = device_list(acct.user);
  std::erase(mine, acct.device);
  std::map<codec::device_ref, crypto::prekey_bundle> bundles;

  if (theirs.empty() && !may_start_sessions) return make_failure(errc::undeliverable, "no session");
  if (theirs.empty()) {  // first message to this user: learn the devices from their bundle
    auto fetched = fetch_bundles(e.to);
    if (!fetched) return fetched.error();
    for (auto& b : *fetched) {
      theirs.push_back(b.device);
      bundles.emplace(codec::device_ref{e.to, b.device}, std::move(b.bundle));
    }
    if (auto r = set_device_list(e.to, theirs); !r) return r.error();
  }

  for (int attempt = 0; attempt < max_attempts; ++attempt) {
    std::vector<codec::device_ref> targets;
    for (auto d : theirs) targets.push_back({e.to, d});
    for (auto d : mine) targets.push_back({acct.user, d});
    if (theirs.empty())
      return make_failure(errc::undeliverable, name_of(e.to) + " has no devices to deliver to");

    // Bundles for every target without a session, one bundle request per user.
    std::set<std::int64_t> users_needing;
    for (const auto& t : targets) {
      auto has = sessions->has_session(address(t.user, t.device));
      if (!has) return store_failure(has.error(), "reading sessions");
      if (!*has && !bundles.contains(t)) users_needing.insert(t.user);
    }
    if (!users_needing.empty() && !may_start_sessions) return make_failure(errc::undeliverable, "no session");
    for (auto user : users_needing) {
      auto fetched = fetch_bundles(user);
      if (!fetched) return fetched.error();
      std::set<std::int64_t> present;
      for (auto& b : *fetched) {
        present.insert(b.device);
        const codec::device_ref ref{user, b.device};
        if (std::find(targets.begin(), targets.end(), ref) != targets.end() && !bundles.contains(ref))
          bundles.emplace(ref, std::move(b.bundle));
      }
      // A device without a session that the bundle no longer lists is gone.
      auto& list = user == e.to ? theirs : mine;
      std::vector<std::int64_t> keep;
      for (auto d : list) {
        auto has = sessions->has_session(address(user, d));
        if (present.contains(d) || (has && *has)) keep.push_back(d);
      }
      list = keep;
      if (user == acct.user) keep.push_back(acct.device);
      if (auto r = set_device_list(user, keep); !r) return r.error();
    }
    if (!users_needing.empty()) {
      targets.clear();
      for (auto d : theirs) targets.push_back({e.to, d});
      for (auto d : mine) targets.push_back({acct.user, d});
    }

    // Trust on first use, and never a changed identity without the user's say.
    std::vector<crypto::sesame::device_target> work;
    for (const auto& t : targets) {
      crypto::sesame::device_target dt{address(t.user, t.device), std::nullopt};
      if (auto it = bundles.find(t); it != bundles.end()) {
        auto has = sessions->has_session(dt.address);
        if (has && !*has) {
          if (auto trusted = store->identities().check_trusted(dt.address, it->second.identity); !trusted) {
            if (trusted.error() != crypto::errc::untrusted_identity)
              return store_failure(trusted.error(), "checking identities");
            if (auto r = record_changed(t.user, t.device, it->second.identity); !r) return r.error();
            return make_failure(errc::identity_changed,
                                "the identity key of " + name_of(t.user) + ", device " + std::to_string(t.device) +
                                    ", has changed: not sending. Compare safety numbers (`confidant safety-number " +
                                    std::to_string(t.user) + "`) and accept it with --verify");
          }
          auto known = store->known_identities(t.user);
          if (known && !known->empty() && t.user != acct.user)
            note(notice::kind::new_device, t.user, t.device,
                 name_of(t.user) + " has a new device " + std::to_string(t.device) +
                     " (not verified: compare safety numbers)");
          dt.bundle = it->second;
        }
      }
      work.push_back(std::move(dt));
    }

    auto out = sessions->encrypt(work, franked->payload);
    if (!out) {
      if (out.error() == crypto::errc::untrusted_identity)
        return make_failure(errc::identity_changed, "a device's identity key has changed: not sending");
      return make_failure(out.error(), "encrypting: " + out.error().message());
    }
    json::array list;
    for (const auto& o : *out) {
      if (o.envelope.size() > max_body)
        return make_failure(errc::undeliverable, "the message is too long once encrypted");
      list.emplace_back(json::object{{"user", std::stoll(o.to.user)},
                                     {"device", static_cast<std::int64_t>(o.to.device)},
                                     {"body", base64url_encode(o.envelope)},
                                     {"commitment", base64url_encode(franked->c.view())}});
    }
    envelopes = list.size();
    auto answer = call_any("send", {{"message_id", base64url_encode(e.message_id)}, {"to", e.to}, {"envelopes", list}});
    if (!answer) return answer.error();
    if (answer->type == "ok") return codec::read_send(answer->fields);

    auto f = codec::from_error_answer(*answer, "sending to " + name_of(e.to));
    if (f.server_code == "rate_limited") {
      const auto wait = std::clamp<std::int64_t>(f.retry_after_ms, 50, max_rate_wait_ms);
      std::this_thread::sleep_for(std::chrono::milliseconds{wait});
      continue;
    }
    if (f.server_code != "device_mismatch") return f;
    auto missing = codec::read_device_refs(answer->fields, "missing");
    if (!missing) return missing.error();
    auto stale = codec::read_device_refs(answer->fields, "stale");
    if (!stale) return stale.error();
    for (const auto& s : *stale) {
      auto& l = s.user == e.to ? theirs : mine;
      std::erase(l, s.device);
      bundles.erase(s);
    }
    for (const auto& m : *missing) {
      if (m.user != e.to && m.user != acct.user) continue;
      auto& l = m.user == e.to ? theirs : mine;
      if (std::find(l.begin(), l.end(), m.device) == l.end()) l.push_back(m.device);
      // A device we hold a session with but the server calls missing was re-added: start over.
    }
    if (auto r = set_device_list(e.to, theirs); !r) return r.error();
    auto own_all = mine;
    own_all.push_back(acct.device);
    if (auto r = set_device_list(acct.user, own_all); !r) return r.error();
  }
  return make_failure(errc::undeliverable, "the server kept refusing the devices of " + name_of(e.to) +
                                               " (device_mismatch); the message stays in the outbox");
}

outcome<sent_message> messenger::send(std::int64_t to, std::string_view text) {
  auto& p = *impl_;
  if (to == p.account().user) return make_failure(errc::unknown_contact, "you cannot send a message to yourself");
  if (p.has_changed(to))
    return make_failure(errc::identity_changed, "the identity key of a device of " + p.name_of(to) +
                                                    " has changed: compare safety numbers (`confidant safety-number " +
                                                    std::to_string(to) + "`) and accept it with --verify first");
  // Check the text before anything is stored.
  if (auto check = encode_payload(text_payload{std::string{text}}); !check) return check.error();
  // Messages already here may start the session this send would otherwise start too.
  if (p.conn && p.conn->is_open()) {
    if (auto r = p.drain(std::chrono::milliseconds{0}); !r) return r.error();
  }

  outbox_entry e;
  p.rng.fill(e.message_id);
  e.to = to;
  e.text = std::string{text};
  e.sent_at_ms = p.now_ms();
  history_entry h;
  h.peer = to;
  h.outgoing = true;
  h.from_device = p.account().device;
  h.message_id = e.message_id;
  h.sent_at_ms = e.sent_at_ms;
  h.text = e.text;
  h.state = "pending";
  auto queued = p.store->atomically([&]() -> store_result<void> {
    if (auto r = p.store->add_outgoing(h); !r) return r.error();
    return p.store->outbox_add(e);
  });
  if (!queued) return store_failure(queued.error(), "storing the message");

  std::size_t envelopes = 0;
  auto answer = p.deliver(e, envelopes);
  if (!answer) {
    auto f = answer.error();
    if (permanent(f)) {
      (void)p.store->outbox_remove(e.message_id);
      f.detail += " (not sent)";
    } else {
      f.detail += " (kept in the outbox: it will be sent again on the next connection)";
    }
    return f;
  }
  auto done = p.store->atomically([&]() -> store_result<void> {
    if (auto r = p.store->mark_accepted(e.message_id, answer->id, answer->accepted_at_ms); !r) return r.error();
    return p.store->outbox_remove(e.message_id);
  });
  if (!done) return store_failure(done.error(), "recording the accepted message");
  return sent_message{e.message_id, to, answer->id, answer->accepted_at_ms, answer->deliver_at_ms, envelopes};
}

outcome<std::size_t> messenger::flush_outbox() {
  auto& p = *impl_;
  auto waiting = p.store->outbox();
  if (!waiting) return store_failure(waiting.error(), "reading the outbox");
  std::size_t accepted = 0;
  for (const auto& e : *waiting) {
    if (p.has_changed(e.to)) continue;  // waits for the user to re-verify
    std::size_t envelopes = 0;
    auto answer = p.deliver(e, envelopes);
    if (!answer) {
      if (permanent(answer.error())) {
        (void)p.store->outbox_remove(e.message_id);
        p.note(notice::kind::send_failed, e.to, 0,
               "a message to " + p.name_of(e.to) + " could not be sent: " + answer.error().detail);
        continue;
      }
      if (answer.error().code == errc::identity_changed) {
        p.note(notice::kind::identity_changed, e.to, 0, answer.error().detail);
        continue;
      }
      if (!p.conn || !p.conn->is_open()) return answer.error();
      // Stays in the outbox for the next connection; the others are tried now.
      p.note(notice::kind::send_failed, e.to, 0,
             "a message to " + p.name_of(e.to) + " is still waiting: " + answer.error().detail);
      continue;
    }
    auto done = p.store->atomically([&]() -> store_result<void> {
      if (auto r = p.store->mark_accepted(e.message_id, answer->id, answer->accepted_at_ms); !r) return r.error();
      return p.store->outbox_remove(e.message_id);
    });
    if (!done) return store_failure(done.error(), "recording the accepted message");
    ++accepted;
  }
  return accepted;
}

}  // namespace confidant::client
