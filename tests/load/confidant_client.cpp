#include "tests/load/confidant_client.hpp"

#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/payload.hpp"
#include "crypto/franking.hpp"
#include "crypto/stamp.hpp"

#include <boost/json/array.hpp>

#include <algorithm>
#include <charconv>

namespace confidant::load {
namespace {

std::uint64_t unix_seconds() {
  return static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
}

std::int64_t to_int(std::string_view s) {
  std::int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

confidant_client::confidant_client(thread_ctx& t, counters& c, const confidant_params& p, bool headteacher)
    : protocol_client(t),
      c_(c),
      p_(p),
      headteacher_(headteacher),
      ack_timer_(t.ioc),
      pacer_(t.ioc, c, p.policy, [this](std::int64_t intended) { send_message('m', intended); }) {}

void confidant_client::enrol(const link_target& target, const std::string& invite) {
  identities_ = std::make_unique<crypto::memory_identity_store>(crypto::identity_keypair::generate(t_.rng));
  auto spk = crypto::signed_prekey::generate(identities_->own_identity(), 1, unix_seconds(), t_.rng);
  auto otks = std::make_shared<std::vector<crypto::one_time_prekey>>(crypto::one_time_prekey::generate_batch(1, 10, t_.rng));
  (void)prekeys_.store_signed_prekey(spk);
  for (const auto& k : *otks) (void)prekeys_.store_one_time_prekey(k.clone());
  auto spk_public = spk.public_part();
  connect(target, [this, invite, otks, spk_public](bool ok) {
    if (!ok) {
      c_.phase_failed++;
      return;
    }
    call("register", client::codec::register_fields(invite, identities_->own_identity().public_keys(), spk_public, *otks),
         [this](const wire::response& r) {
           auto a = r.type == "ok" ? client::codec::read_register(r.fields)
                                   : client::outcome<client::codec::account_answer>(client::failure{});
           close();
           if (!a) {
             c_.phase_failed++;
             return;
           }
           user_ = a->user;
           device_ = a->device;
           c_.phase_done++;
         });
  });
}

void confidant_client::sign_in(const link_target& target) {
  connect(target, [this](bool ok) {
    if (!ok) {
      c_.phase_failed++;
      return;
    }
    login(identities_->own_identity(), user_, device_, [this](bool in) {
      if (!in) {
        c_.phase_failed++;
        return;
      }
      if (!sm_) {
        sm_ = std::make_unique<crypto::sesame::session_manager>(
            crypto::device_address{std::to_string(user_), static_cast<std::uint32_t>(device_)}, *identities_, prekeys_,
            sessions_, t_.rng);
      }
      c_.phase_done++;
    });
  });
}

void confidant_client::warm_up() {
  if (!headteacher_) return;  // the associate answers the first message it receives
  call("bundle", {{"user", peer_user_}}, [this](const wire::response& r) {
    auto b = r.type == "ok" ? client::codec::read_bundle(r.fields, peer_user_)
                            : client::outcome<std::vector<client::codec::device_bundle>>(client::failure{});
    if (!b) {
      c_.phase_failed++;
      return;
    }
    for (auto& d : *b)
      if (d.device == peer_device_) peer_bundle_ = std::move(d.bundle);
    if (!peer_bundle_) {
      c_.phase_failed++;
      return;
    }
    send_message('w', now_ns());
  });
}

void confidant_client::narrow_window(int weekday) {
  call("window_set", {{"days", boost::json::array{weekday}}, {"start", "08:00"}, {"end", "18:00"}},
       [this](const wire::response& r) { (r.type == "ok" ? c_.phase_done : c_.phase_failed)++; });
}

void confidant_client::preload(std::uint64_t n, unsigned window) {
  preload_left_ = n;
  preload_ok_ = true;
  if (n == 0) {
    c_.phase_done++;
    return;
  }
  for (unsigned i = 0; i < window && preload_left_ > 0; ++i) send_preload();
}

void confidant_client::send_preload() {
  --preload_left_;
  ++preload_waiting_;
  send_message('h', now_ns());
}

void confidant_client::on_preload_answer(bool held) {
  if (held) {
    c_.preloaded.fetch_add(1, std::memory_order_relaxed);
  } else {
    preload_ok_ = false;
    t_.rec.error("history:not_held");
  }
  --preload_waiting_;
  if (preload_left_ > 0) return send_preload();
  if (preload_waiting_ == 0) (preload_ok_ ? c_.phase_done : c_.phase_failed)++;
}

void confidant_client::send_message(char kind, std::int64_t intended_ns) {
  auto fail = [&](std::string_view what) {
    t_.rec.error(what);
    if (kind == 'm') {
      c_.failed++;
      pacer_.answered();
    } else if (kind == 'h') {
      preload_left_ = 0;  // a local failure would repeat: stop the history here
      on_preload_answer(false);
    } else {
      c_.phase_failed++;
    }
  };
  // The text: kind, the intended send time (read back by the recipient after decryption), padding.
  std::string text;
  text.reserve(p_.text_bytes + 24);
  text += kind;
  text += ':';
  text += std::to_string(intended_ns);
  text += ':';
  // Padding carries the whole-suite secret sweep's canary prefix (docs/reliability.md).
  static constexpr std::string_view pad = "CANARY-load-text ";
  const std::size_t want = p_.text_bytes;
  while (text.size() < want) text.append(pad.substr(0, std::min(pad.size(), want - text.size())));
  auto payload = client::encode_payload(client::text_payload{std::move(text)});
  if (!payload) return fail("client:payload");

  client::message_id mid{};
  t_.rng.fill(mid);
  crypto::franking::context ctx;
  ctx.sender = std::to_string(user_);
  ctx.recipient = std::to_string(peer_user_);
  ctx.sent_at = unix_seconds();
  std::copy(mid.begin(), mid.end(), ctx.message_id.begin());
  auto franked = crypto::franking::commit(t_.rng, ctx, *payload);
  if (!franked) return fail("client:franking");

  crypto::sesame::device_target target{{ctx.recipient, static_cast<std::uint32_t>(peer_device_)}, std::nullopt};
  if (auto has = sm_->has_session(target.address); has && !*has) target.bundle = peer_bundle_;
  auto out = sm_->encrypt(std::span<const crypto::sesame::device_target>(&target, 1), franked->payload);
  crypto::wipe(franked->payload);
  if (!out || out->size() != 1) return fail("client:encrypt");

  const auto seq = ++next_send_;
  const auto body = client::base64url_encode((*out)[0].envelope);
  std::string f;
  f.reserve(body.size() + 256);
  f += R"({"type":"send","rid":"s)";
  f += std::to_string(seq);
  f += R"(","message_id":")";
  f += client::base64url_encode(mid);
  f += R"(","to":)";
  f += ctx.recipient;
  f += R"(,"envelopes":[{"user":)";
  f += ctx.recipient;
  f += R"(,"device":)";
  f += std::to_string(peer_device_);
  f += R"(,"body":")";
  f += body;
  f += R"(","commitment":")";
  f += client::base64url_encode(franked->c.view());
  f += R"("}]})";
  sends_.emplace(seq, pending_send{intended_ns, kind});
  send_frame(std::move(f));
}

bool confidant_client::on_own_answer(const wire::response& r) {
  const auto& rid = *r.rid;
  if (rid.starts_with('a')) return true;  // an ack's answer (errors were counted already)
  if (!rid.starts_with('s')) return false;
  auto it = sends_.find(static_cast<std::uint64_t>(to_int(std::string_view{rid}.substr(1))));
  if (it == sends_.end()) return false;
  const auto sent = it->second;
  sends_.erase(it);
  const auto* held = r.fields.if_contains("held");
  const bool was_held = r.type == "ok" && held && held->is_bool() && held->as_bool();
  if (sent.kind == 'h') {
    if (const auto* at = r.fields.if_contains("deliver_at"); was_held && at && at->is_string())
      held_until_ = std::string{at->as_string()};
    on_preload_answer(was_held);
    return true;
  }
  if (sent.kind == 'w') {
    if (r.type != "ok") c_.phase_failed++;
    if (was_held) {
      t_.rec.error("held:outside_contact_window");  // never delivered during the run: set --server-clock
      c_.phase_failed++;
    }
    return true;
  }
  if (r.type == "ok") {
    if (was_held) c_.held++;
    c_.accepted.fetch_add(1, std::memory_order_relaxed);
    t_.rec.latency(t_.rec.accept_us, sent.intended_ns, now_ns());
  } else {
    c_.failed.fetch_add(1, std::memory_order_relaxed);
  }
  pacer_.answered();
  return true;
}

void confidant_client::on_event(const wire::response& e) {
  if (e.type == "message") return on_message(e.fields);
  if (e.type == "expired") {
    if (auto id = client::codec::get_int(e.fields, "id")) queue_ack(*id);
  }
  // prekeys_low: ignored (the run is shorter than the supply of prekeys matters for).
}

void confidant_client::on_message(const boost::json::object& fields) {
  c_.events.fetch_add(1, std::memory_order_relaxed);
  auto m = client::codec::read_message_event(fields);
  if (!m) return t_.rec.error("client:bad_event");
  queue_ack(m->id);  // a message that fails the checks below is acknowledged too (protocol 7.15)
  if (!sm_) return t_.rec.error("client:no_session");
  const crypto::device_address from{std::to_string(m->from.user), static_cast<std::uint32_t>(m->from.device)};
  auto plain = sm_->decrypt(from, m->body);
  if (!plain) return t_.rec.error("client:decrypt_failed");
  crypto::franking::commitment claimed;
  std::copy(m->commitment.begin(), m->commitment.end(), claimed.bytes.begin());
  auto opened = crypto::franking::open(*plain, claimed);
  crypto::wipe(*plain);
  if (!opened) return t_.rec.error("client:commitment_mismatch");
  if (opened->ctx.sender != from.user || opened->ctx.recipient != std::to_string(user_))
    return t_.rec.error("client:binding_mismatch");
  if (p_.verify_stamp_every != 0 && ++received_ % p_.verify_stamp_every == 0) {
    auto key = crypto::ed25519_public_key::from(server_key_);
    auto stamp = crypto::franking::stamp::from_bytes(m->stamp);
    if (!key || !stamp || !crypto::franking::verify_stamp(*key, *stamp) || !(stamp->fields.c == claimed))
      return t_.rec.error("client:bad_stamp");
  }
  auto body = client::decode_payload(opened->message);
  crypto::wipe(opened->message);
  const auto* text = body ? std::get_if<client::text_payload>(&*body) : nullptr;
  if (!text || text->text.size() < 3) return t_.rec.error("client:bad_payload");
  const std::string_view t = text->text;
  const auto end = t.find(':', 2);
  const auto sent_ns = to_int(t.substr(2, end == std::string_view::npos ? std::string_view::npos : end - 2));
  if (t[0] == 'm') {
    c_.delivered.fetch_add(1, std::memory_order_relaxed);
    t_.rec.latency(t_.rec.deliver_us, sent_ns, now_ns());
  } else if (t[0] == 'h') {
    c_.released.fetch_add(1, std::memory_order_relaxed);
    c_.release_seen(now_ns());
  } else if (t[0] == 'w' && !ready_) {
    ready_ = true;
    c_.phase_done++;
    if (!headteacher_) send_message('w', now_ns());
  }
}

void confidant_client::queue_ack(std::int64_t id) {
  to_ack_.push_back(id);
  if (to_ack_.size() >= p_.ack_batch) return flush_acks();
  if (ack_armed_) return;
  ack_armed_ = true;
  ack_timer_.expires_after(p_.ack_delay);
  ack_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec) return;
    ack_armed_ = false;
    flush_acks();
  });
}

void confidant_client::flush_acks() {
  if (ack_armed_) {
    ack_armed_ = false;
    ack_timer_.cancel();
  }
  if (to_ack_.empty() || !connected()) return;
  std::string f = R"({"type":"ack","rid":"a)" + std::to_string(++next_ack_) + R"(","ids":[)";
  for (std::size_t i = 0; i < to_ack_.size() && i < 256; ++i) {
    if (i) f += ',';
    f += std::to_string(to_ack_[i]);
  }
  f += "]}";
  to_ack_.erase(to_ack_.begin(), to_ack_.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(to_ack_.size(), 256)));
  c_.acks_sent.fetch_add(1, std::memory_order_relaxed);
  send_frame(std::move(f));
}

}  // namespace confidant::load
