#pragma once

// The programme coordinator of a load run: registered from `confidantd invite`, it creates one
// invite per generated client (invite_create) and pairs headteachers with associates
// (pair_create), protocol 7.14, keeping up to `window` requests in flight.

#include "crypto/memory_stores.hpp"
#include "crypto/prekeys.hpp"
#include "tests/load/protocol_client.hpp"

#include <deque>
#include <optional>
#include <utility>
#include <vector>

namespace confidant::load {

class coordinator final : public protocol_client {
 public:
  explicit coordinator(thread_ctx& t) : protocol_client(t) {}

  // Registers with the invite, logs in on the same connection: done(ok).
  void enrol(const link_target& target, const std::string& invite, std::function<void(bool)> done);
  // One invite per role, in order: done(codes) (empty strings for failures).
  void invite_all(std::vector<std::string> roles, std::function<void(std::vector<std::string>)> done);
  // Pairs (headteacher user, associate user): done(failures).
  void pair_all(std::vector<std::pair<std::int64_t, std::int64_t>> pairs, std::function<void(std::size_t)> done);

 private:
  void next_invite();
  void next_pair();

  std::optional<crypto::identity_keypair> id_;
  std::int64_t user_ = 0, device_ = 0;
  static constexpr std::size_t window_ = 64;

  std::vector<std::string> roles_, codes_;
  std::size_t issued_ = 0, answered_ = 0;
  std::function<void(std::vector<std::string>)> invites_done_;

  std::vector<std::pair<std::int64_t, std::int64_t>> pairs_;
  std::size_t pair_failures_ = 0;
  std::function<void(std::size_t)> pairs_done_;
};

}  // namespace confidant::load
