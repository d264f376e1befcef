// The flag desk: login upkeep, events, handling requests and reading flags.
#include "client/lib/flag_body.hpp"
#include "client/lib/flag_desk_impl.hpp"

#include <algorithm>

namespace confidant::client {

outcome<flag_desk*> flag_desk::attach(messenger& m) {
  if (auto* d = m.extension<flag_desk>()) return d;
  auto x = m.attach(std::make_unique<flag_desk>(m));
  if (!x) return x.error();
  return static_cast<flag_desk*>(*x);
}

bool flag_desk::spoc() const { return m_.account().role == "spoc"; }

outcome<void> flag_desk::on_login() {
  if (spoc()) {
    auto key = ensure_key();
    if (!key) {
      if (key.error().code != errc::error_answer) return key.error();
      // A refusal must not keep the device from its messages: said, and tried again next login.
      m_.add_notice({notice::kind::info, 0, 0, "this SPOC device's flag key could not be published: " + key.error().detail,
                     std::nullopt});
    }
    return {};
  }
  auto resent = resend_pending();
  if (!resent) return resent.error();
  return {};
}

outcome<bool> flag_desk::on_event(const wire::response& e) { return desk::handle_event(m_, e); }

// --- handling ------------------------------------------------------------------------------------

namespace {

// Records the server's answer in the stored copy (when this device has one).
outcome<flags::flag_object> keep(messenger& m, outcome<flags::flag_object> answer) {
  if (!answer) return answer;
  auto stored = m.store().flags().received(answer->id);
  if (stored && *stored) {
    auto rec = desk::from_object(*answer, (*stored)->received_at_ms);
    if (auto r = m.store().flags().update_metadata(rec); !r) return desk::stored(r.error(), "recording the flag");
  }
  return answer;
}

}  // namespace

outcome<flags::flag_object> flag_desk::ack(std::int64_t flag) {
  auto c = desk::calls(m_);
  if (!c) return c.error();
  return keep(m_, c->ack(flag));
}

outcome<flags::flag_object> flag_desk::resolve(std::int64_t flag, const std::string& outcome_name) {
  auto c = desk::calls(m_);
  if (!c) return c.error();
  return keep(m_, c->resolve(flag, outcome_name));
}

outcome<flags::flag_object> flag_desk::hold(std::int64_t flag, bool on) {
  auto c = desk::calls(m_);
  if (!c) return c.error();
  return keep(m_, c->hold(flag, on));
}

outcome<flag_note_record> flag_desk::note(std::int64_t flag, const std::string& text) {
  auto c = desk::calls(m_);
  if (!c) return c.error();
  flag_body::note body{flag, {}, text};
  m_.rng().fill(body.note_id);
  auto encoded = flag_body::encode(body);
  if (!encoded) return encoded.error();
  std::optional<failure> last;
  for (int attempt = 0; attempt < 5; ++attempt) {
    auto copies = desk::seal_to_spocs(m_, *c, *encoded);
    if (!copies) return copies.error();
    auto added = c->note(flag, body.note_id, *copies);
    if (added) {
      flag_note_record rec{flag, added->note, m_.account().user, m_.account().device, added->added_at_ms, true, {}, text};
      if (auto r = m_.store().flags().add_note(rec); !r) return desk::stored(r.error(), "storing the note");
      crypto::wipe(*encoded);
      return rec;
    }
    last = added.error();
    if (added.error().server_code != "spoc_keys_changed") break;  // same note_id on the resend
  }
  crypto::wipe(*encoded);
  return *last;
}

// --- reading -------------------------------------------------------------------------------------

outcome<std::vector<flag_entry>> flag_desk::list(std::optional<std::string> state) {
  auto c = desk::calls(m_);
  if (!c) return c.error();
  auto server = c->list(state);
  if (!server) return server.error();
  std::vector<flag_entry> out;
  auto& store = m_.store().flags();
  if (!spoc()) {
    auto mine = store.raised();
    if (!mine) return desk::stored(mine.error(), "reading raised flags");
    for (const auto& r : *mine)
      if (!r.server_id && (!state || *state == r.state)) {
        flags::flag_object f{0, r.category, r.urgency, r.state, r.created_at_ms, 0, {}, {}, {}, {}, {}, {}, 0, false};
        out.push_back({f, r, std::nullopt});
      }
  }
  for (const auto& f : *server) {
    flag_entry e{f, std::nullopt, std::nullopt};
    if (spoc()) {
      auto rec = store.received(f.id);
      if (!rec) return desk::stored(rec.error(), "reading received flags");
      if (*rec) {
        auto updated = desk::from_object(f, (**rec).received_at_ms);
        if (auto r = store.update_metadata(updated); !r) return desk::stored(r.error(), "recording the flag");
        e.received = std::move(**rec);
        e.received->quotes.clear();
      }
    } else {
      if (auto r = store.set_raised_state(f.id, f.state, f.resolved_at_ms ? f.resolved_at_ms : f.acknowledged_at_ms); !r)
        return desk::stored(r.error(), "recording the flag");
      auto mine = store.raised_by_server_id(f.id);
      if (!mine) return desk::stored(mine.error(), "reading raised flags");
      e.mine = std::move(*mine);
    }
    out.push_back(std::move(e));
  }
  return out;
}

outcome<flag_details> flag_desk::show(std::int64_t flag) {
  auto c = desk::calls(m_);
  if (!c) return c.error();
  auto& store = m_.store().flags();
  flag_details d;
  if (!spoc()) {
    auto listed = list(std::nullopt);
    if (!listed) return listed.error();
    const auto it = std::find_if(listed->begin(), listed->end(), [&](const auto& e) { return e.flag.id == flag; });
    if (it == listed->end() || !it->mine) {
      auto f = make_failure(errc::error_answer, "flag " + std::to_string(flag) + " is not one this device raised: not_found");
      f.server_code = "not_found";
      return f;
    }
    d.flag = it->flag;
    d.mine = it->mine;
    return d;
  }
  auto shown = c->show(flag);
  if (!shown) return shown.error();
  d.flag = shown->flag;
  d.history = shown->history;
  auto rec = desk::from_object(shown->flag, m_.now_ms());
  rec.key_id = shown->key_id;
  rec.sealed = shown->sealed;
  auto done = m_.store().atomically([&]() -> store_result<void> {
    auto old = store.received(flag);
    if (!old) return old.error();
    if (*old) {
      rec.received_at_ms = (**old).received_at_ms;
      if (auto r = store.update_metadata(rec); !r) return r;
      if ((**old).opened) return {};
    } else {
      auto added = store.add_received(rec);
      if (!added) return added.error();
    }
    // Not opened yet (no copy then, or no key): try again with what the server holds now.
    desk::open_copy(m_, rec);
    return store.set_opened(rec);
  });
  if (!done) return desk::stored(done.error(), "storing the flag");
  auto known = store.notes(flag);
  if (!known) return desk::stored(known.error(), "reading notes");
  for (const auto& n : shown->notes) {
    const bool have = std::any_of(known->begin(), known->end(), [&](const auto& k) { return k.note == n.note; });
    if (have) continue;
    if (auto r = store.add_note(desk::open_note(m_, n)); !r) return desk::stored(r.error(), "storing a note");
  }
  auto received = store.received(flag);
  if (!received) return desk::stored(received.error(), "reading the flag");
  d.received = std::move(*received);
  auto notes = store.notes(flag);
  if (!notes) return desk::stored(notes.error(), "reading notes");
  d.notes = std::move(*notes);
  return d;
}

}  // namespace confidant::client
