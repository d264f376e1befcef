// Receiving flags (docs/protocol.md 7.28): open with the kept keys, check against the server's
// metadata, verify the quotes, store, then confirm; notes, alerts and state changes.
#include "client/lib/flag_body.hpp"
#include "client/lib/flag_desk_impl.hpp"
#include "client/lib/quote_check.hpp"

namespace confidant::client::desk {
namespace {

std::string why_unopened(const boost::system::error_code& ec) {
  if (ec.category() != crypto::category()) return ec.message();
  switch (static_cast<crypto::errc>(ec.value())) {
    case crypto::errc::unknown_prekey: return "it is sealed to a key this device does not hold";
    case crypto::errc::decrypt_failed: return "it does not decrypt with this device's key";
    case crypto::errc::binding_mismatch: return "it was sealed for another SPOC key (re-sealed by someone)";
    case crypto::errc::bad_signature: return "the raiser's signature does not verify: it was altered";
    default: return "it is malformed (" + ec.message() + ")";
  }
}

struct opened_body {
  crypto::identity_public signer;
  flag_body::body body;
};

outcome<opened_body> open_sealed(messenger& m, std::span<const std::uint8_t> sealed, std::string& problem) {
  auto keys = kept_keys(m);
  if (!keys) return keys.error();
  std::vector<const crypto::flag::spoc_device_key*> ptrs;
  for (const auto& k : *keys) ptrs.push_back(k.get());
  auto parsed = crypto::flag::sealed_flag::from_bytes(sealed);
  if (!parsed) {
    problem = why_unopened(parsed.error());
    return opened_body{};
  }
  auto opened = crypto::flag::open(ptrs, *parsed);
  if (!opened) {
    problem = why_unopened(opened.error());
    return opened_body{};
  }
  auto body = flag_body::decode(opened->body);
  crypto::wipe(opened->body);
  if (!body) {
    problem = "the sealed document is not a Confidant flag body";
    return opened_body{};
  }
  return opened_body{opened->flagger, std::move(*body)};
}

std::string mismatch(const received_flag& f, const flag_body::flag& b) {
  std::string out;
  auto add = [&](const std::string& s) { out += (out.empty() ? "" : "; ") + s; };
  if (b.category != f.category || b.urgency != f.urgency)
    add("MISMATCH: the raiser sealed category " + b.category + ", urgency " + b.urgency + ", but the server says " +
        f.category + ", " + f.urgency);
  if (b.raiser_user != f.raised_by_user || b.raiser_device != f.raised_by_device)
    add("MISMATCH: the raiser signed as user " + std::to_string(b.raiser_user) + ", device " +
        std::to_string(b.raiser_device) + ", but the server says user " + std::to_string(f.raised_by_user) +
        ", device " + std::to_string(f.raised_by_device));
  return out;
}

}  // namespace

received_flag from_object(const flags::flag_object& f, std::int64_t now_ms) {
  received_flag r;
  r.server_id = f.id;
  r.category = f.category;
  r.urgency = f.urgency;
  r.state = f.state;
  r.raised_at_ms = f.raised_at_ms;
  r.deadline_at_ms = f.deadline_at_ms;
  r.acknowledged_at_ms = f.acknowledged_at_ms;
  r.resolved_at_ms = f.resolved_at_ms;
  if (f.raised_by) {
    r.raised_by_user = f.raised_by->user;
    r.raised_by_device = f.raised_by->device;
  }
  r.acknowledged_by = f.acknowledged_by;
  r.resolved_by = f.resolved_by;
  r.outcome = f.outcome;
  r.escalations = f.escalations;
  r.legal_hold = f.legal_hold;
  r.received_at_ms = now_ms;
  return r;
}

void open_copy(messenger& m, received_flag& f) {
  f.opened = false;
  f.quotes.clear();
  if (f.sealed.empty()) {
    f.problem = "there is no copy for this device (the flag was raised before this device published its key)";
    return;
  }
  std::string problem;
  auto o = open_sealed(m, f.sealed, problem);
  if (!o || !problem.empty()) {
    f.problem = o ? problem : o.error().detail;
    return;
  }
  const auto* b = std::get_if<flag_body::flag>(&o->body);
  if (!b) {
    f.problem = "the sealed document is not a flag (a newer format, or another kind)";
    return;
  }
  f.opened = true;
  f.flagger_identity = o->signer.to_bytes();
  f.body_flag_id.assign(b->flag_id.begin(), b->flag_id.end());
  f.body_category = b->category;
  f.body_urgency = b->urgency;
  f.body_raiser_user = b->raiser_user;
  f.body_raiser_device = b->raiser_device;
  f.raised_at_client_ms = b->raised_at_client_ms;
  f.text = b->text;
  f.problem = mismatch(f, *b);
  // The raiser's identity, pinned on first use per device: a later flag signed by another key
  // from the same device is shown as such.
  const crypto::device_address addr{std::to_string(f.raised_by_user), static_cast<std::uint32_t>(f.raised_by_device)};
  if (auto trusted = m.store().identities().check_trusted(addr, o->signer); !trusted) {
    f.problem += std::string{f.problem.empty() ? "" : "; "} +
                 "WARNING: signed by a different identity key than earlier flags from this device";
  } else {
    (void)m.store().identities().save_identity(addr, o->signer);
  }
  std::int64_t position = 0;
  for (const auto& q : b->quotes) {
    const auto v = quote_check::check(m.account().server_key, f.raised_by_user, q);
    f.quotes.push_back({position++, q, v.verified, v.problem, v.sender, v.recipient, v.stamped_at_ms, v.text});
  }
}

flag_note_record open_note(messenger& m, const flags::note_copy& n) {
  flag_note_record r{n.flag, n.note, n.author.user, n.author.device, n.added_at_ms, false, {}, {}};
  std::string problem;
  auto o = open_sealed(m, n.sealed, problem);
  if (!o || !problem.empty()) {
    r.problem = o ? problem : o.error().detail;
    return r;
  }
  const auto* body = std::get_if<flag_body::note>(&o->body);
  if (!body) {
    r.problem = "the sealed document is not a note";
    return r;
  }
  r.text = body->text;
  if (body->flag != n.flag) {
    r.problem = "MISMATCH: the note was written for flag " + std::to_string(body->flag);
    return r;
  }
  auto author = spoc_identity(m, n.author.user, n.author.device);
  if (!author || !(*author == o->signer)) {
    r.problem = "the note is not signed by the identity its author device published";
    return r;
  }
  r.verified = true;
  return r;
}

namespace {

void notify(messenger& m, flag_summary s, std::string text) {
  m.add_notice({notice::kind::flag, 0, 0, std::move(text), std::move(s)});
}

outcome<bool> on_flag(messenger& m, const boost::json::object& fields) {
  auto e = flags::read_flag_event(fields);
  if (!e) {
    m.add_notice({notice::kind::info, 0, 0, "the server sent a malformed flag event: " + e.error().detail, std::nullopt});
    return true;
  }
  auto rec = from_object(e->flag, m.now_ms());
  rec.key_id = e->key_id;
  rec.sealed = e->sealed;
  rec.alert = e->alert;
  bool fresh = false;
  auto done = m.store().atomically([&]() -> store_result<void> {
    auto added = m.store().flags().add_received(rec);
    if (!added) return added.error();
    fresh = *added;
    if (!fresh) return m.store().flags().update_metadata(rec);
    open_copy(m, rec);
    return m.store().flags().set_opened(rec);
  });
  if (!done) return stored(done.error(), "storing a received flag");
  // Stored: only now may the server stop sending it (7.26).
  if (auto c = calls(m)) {
    // A refusal is the server's to fix; the flag comes again at the next login.
    if (auto r = c->received({e->flag.id}); !r && r.error().code != errc::error_answer) return r.error();
  }
  if (fresh) {
    const auto& f = e->flag;
    flag_summary s{"flag", f.id, f.category, f.urgency, f.state, e->alert, f.escalations, f.deadline_at_ms};
    notify(m, s,
           (e->alert ? "SAFEGUARDING FLAG #" : "Safeguarding flag #") + std::to_string(f.id) + ": " + f.category + ", " +
               f.urgency + " urgency" + (e->alert ? "" : " (stored: as a deputy you are alerted if its deadline is missed)"));
  }
  return true;
}

outcome<bool> on_alert(messenger& m, const boost::json::object& fields) {
  auto e = flags::read_alert_event(fields);
  if (!e) return true;
  if (auto r = m.store().flags().set_escalations(e->flag, e->escalations); !r)
    return stored(r.error(), "recording an escalation");
  flag_summary s{"alert", e->flag, e->category, e->urgency, "received", true, e->escalations, e->deadline_at_ms};
  notify(m, s,
         "OVERDUE safeguarding flag #" + std::to_string(e->flag) + ": " + e->category + ", " + e->urgency +
             " urgency, not acknowledged by its deadline (escalation " + std::to_string(e->escalations) + ")");
  return true;
}

outcome<bool> on_note(messenger& m, const boost::json::object& fields) {
  auto n = flags::read_note_event(fields);
  if (!n) return true;
  auto rec = open_note(m, *n);
  auto added = m.store().flags().add_note(rec);
  if (!added) return stored(added.error(), "storing a note");
  if (*added)
    notify(m, {"note", n->flag, {}, {}, {}, false, 0, 0},
           "a note was added to safeguarding flag #" + std::to_string(n->flag) + " by user " +
               std::to_string(n->author.user));
  return true;
}

outcome<bool> on_state(messenger& m, const boost::json::object& fields) {
  auto s = flags::read_state_event(fields);
  if (!s) return true;
  auto changed = m.store().flags().set_raised_state(s->flag, s->state, s->at_ms);
  if (!changed) return stored(changed.error(), "recording a flag's state");
  notify(m, {"state", s->flag, {}, {}, s->state, false, 0, 0},
         "your safeguarding flag #" + std::to_string(s->flag) + " is now " + s->state);
  return true;
}

}  // namespace

outcome<bool> handle_event(messenger& m, const wire::response& e) {
  if (e.type == "flag") return on_flag(m, e.fields);
  if (e.type == "flag_alert") return on_alert(m, e.fields);
  if (e.type == "flag_note") return on_note(m, e.fields);
  if (e.type == "flag_state") return on_state(m, e.fields);
  return false;
}

}  // namespace confidant::client::desk
