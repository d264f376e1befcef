#include "tests/load/coordinator.hpp"

#include "client/lib/codec.hpp"

#include <chrono>

namespace confidant::load {

void coordinator::enrol(const link_target& target, const std::string& invite, std::function<void(bool)> done) {
  id_ = crypto::identity_keypair::generate(t_.rng);
  connect(target, [this, invite, done](bool ok) {
    if (!ok) return done(false);
    const auto now = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count());
    auto spk = crypto::signed_prekey::generate(*id_, 1, now, t_.rng);
    auto otk = crypto::one_time_prekey::generate_batch(1, 10, t_.rng);
    call("register", client::codec::register_fields(invite, id_->public_keys(), spk.public_part(), otk),
         [this, done](const wire::response& r) {
           auto a = r.type == "ok" ? client::codec::read_register(r.fields)
                                   : client::outcome<client::codec::account_answer>(client::failure{});
           if (!a) return done(false);
           user_ = a->user;
           device_ = a->device;
           login(*id_, user_, device_, done);
         });
  });
}

void coordinator::invite_all(std::vector<std::string> roles, std::function<void(std::vector<std::string>)> done) {
  roles_ = std::move(roles);
  codes_.assign(roles_.size(), {});
  issued_ = answered_ = 0;
  invites_done_ = std::move(done);
  if (roles_.empty()) return invites_done_(codes_);
  next_invite();
}

void coordinator::next_invite() {
  while (issued_ < roles_.size() && issued_ - answered_ < window_) {
    const auto i = issued_++;
    call("invite_create",
         {{"role", roles_[i]}, {"display_name", "Load " + roles_[i] + " " + std::to_string(i)}, {"days", 1}},
         [this, i](const wire::response& r) {
           ++answered_;
           if (r.type == "ok") {
             if (auto code = client::codec::get_string(r.fields, "code")) codes_[i] = *code;
           }
           if (answered_ == roles_.size()) return invites_done_(codes_);
           next_invite();
         });
  }
}

void coordinator::pair_all(std::vector<std::pair<std::int64_t, std::int64_t>> pairs, std::function<void(std::size_t)> done) {
  pairs_ = std::move(pairs);
  issued_ = answered_ = 0;
  pair_failures_ = 0;
  pairs_done_ = std::move(done);
  if (pairs_.empty()) return pairs_done_(0);
  next_pair();
}

void coordinator::next_pair() {
  while (issued_ < pairs_.size() && issued_ - answered_ < window_) {
    const auto i = issued_++;
    // Only an approved associate is paired (protocol 7.14); the writer takes one connection's
    // requests in order, so the approval lands first.
    call("associate_approve",
         {{"associate", pairs_[i].second}, {"years_as_headteacher", 8}, {"last_inspection", "good"},
          {"training_completed", true}, {"coaching_record", true}},
         [this](const wire::response& r) {
           if (r.type != "ok") ++pair_failures_;
         });
    call("pair_create", {{"headteacher", pairs_[i].first}, {"associate", pairs_[i].second}},
         [this](const wire::response& r) {
           ++answered_;
           if (r.type != "ok") ++pair_failures_;
           if (answered_ == pairs_.size()) return pairs_done_(pair_failures_);
           next_pair();
         });
  }
}

}  // namespace confidant::load
