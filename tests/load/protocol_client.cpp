#include "tests/load/protocol_client.hpp"

#include "client/lib/base64url.hpp"
#include "client/lib/codec.hpp"
#include "crypto/bytes.hpp"

#include <boost/json/array.hpp>
#include <boost/json/serialize.hpp>

namespace confidant::load {
namespace json = boost::json;

void protocol_client::connect(const link_target& target, std::function<void(bool)> ready) {
  ready_ = std::move(ready);
  link_ = ws_link::create(t_.ioc);
  link_->open(target, {[this] {
                         call("hello", {{"versions", json::array{"confidant.v1"}}}, [this](const wire::response& r) {
                           auto done = std::move(ready_);
                           ready_ = nullptr;
                           bool ok = r.type == "ok";
                           if (ok) {
                             auto key = client::codec::get_binary(r.fields, "server_key", 32);
                             ok = key.has_value();
                             if (ok) std::copy(key->begin(), key->end(), server_key_.begin());
                           }
                           if (done) done(ok);
                         });
                       },
                       [this](std::string_view f) { on_frame(f); },
                       [this](int code, const std::string& what) {
                         waiting_.clear();
                         if (auto done = std::move(ready_)) {
                           ready_ = nullptr;
                           t_.rec.error("client:connect_failed");
                           done(false);
                           return;
                         }
                         on_closed(code, what);
                       }});
}

void protocol_client::on_closed(int code, const std::string&) {
  if (code != 1000) t_.rec.error("close:" + std::to_string(code));
}

void protocol_client::close() {
  if (link_) link_->close();
}

void protocol_client::call(std::string_view type, json::object fields, answer_fn fn) {
  const auto rid = "c" + std::to_string(++next_rid_);
  fields["type"] = type;
  fields["rid"] = rid;
  waiting_.emplace(rid, std::move(fn));
  link_->send(json::serialize(fields));
}

void protocol_client::send_frame(std::string frame) { link_->send(std::move(frame)); }

void protocol_client::login(const crypto::identity_keypair& id, std::int64_t user, std::int64_t device,
                            std::function<void(bool)> done) {
  call("challenge", {}, [this, &id, user, device, done](const wire::response& r) {
    auto nonce = r.type == "ok" ? client::codec::get_binary(r.fields, "nonce", 32)
                                : client::outcome<client::codec::bytes>(client::failure{});
    if (!nonce) return done(false);
    const auto msg = client::codec::login_message(server_key_, std::span<const std::uint8_t, 32>(nonce->data(), 32));
    const auto sig = id.sign({crypto::byte_view{msg}});
    call("login", {{"user", user}, {"device", device}, {"signature", client::base64url_encode(sig.view())}},
         [done](const wire::response& a) { done(a.type == "ok"); });
  });
}

void protocol_client::on_frame(std::string_view frame) {
  auto r = wire::parse_response(frame);
  if (!r) {
    t_.rec.error("client:bad_frame");
    return;
  }
  if (!r->rid) return on_event(*r);
  if (r->type == "error") {
    const auto* code = r->fields.if_contains("code");
    t_.rec.error(code && code->is_string() ? std::string_view{code->as_string()} : std::string_view{"error"});
  }
  auto it = waiting_.find(*r->rid);
  if (it == waiting_.end()) {
    if (!on_own_answer(*r)) t_.rec.error("client:unmatched_answer");
    return;
  }
  auto fn = std::move(it->second);
  waiting_.erase(it);
  fn(*r);
}

}  // namespace confidant::load
