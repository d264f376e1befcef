#pragma once

#include "server/rules/clock.hpp"
#include "server/rules/roles.hpp"
#include "server/service/peer.hpp"

#include <array>
#include <compare>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <string>

namespace confidant::service {

// One device of one user: the unit of login, presence and delivery.
struct device_ref {
  std::int64_t user = 0;
  std::int64_t device = 0;
  friend auto operator<=>(const device_ref&, const device_ref&) = default;
};

// The server's side of one connection (protocol.md 7.2). Its state is read and written on the
// connection's strand only: work finishing elsewhere (a commit on the writer thread) comes back
// through strand(). The transport owns it; the service keeps weak pointers.
class connection : public std::enable_shared_from_this<connection> {
 public:
  connection(std::weak_ptr<peer> p, std::string address) : peer_(std::move(p)), address_(std::move(address)) {}

  // Thread-safe.
  void send(std::string frame) const;
  void send(std::shared_ptr<const std::string> frame) const;
  void close(std::uint16_t code, std::string reason) const;
  void strand(std::function<void()> fn) const;
  [[nodiscard]] const std::string& address() const noexcept { return address_; }

  // --- strand-confined state ---
  bool greeted = false;
  struct challenge_state {
    std::array<unsigned char, 32> nonce{};
    rules::time_point expires;
  };
  std::optional<challenge_state> challenge;
  std::optional<device_ref> device;  // set by a successful login
  rules::role role = rules::role::headteacher;

  // Delivery (delivery.cpp): the highest server id sent on this connection, the ids sent and not
  // yet acknowledged, and whether the database may hold deliverable envelopes not yet sent.
  // `rescan`: held envelopes with lower ids than the cursor were released, so reads walk the
  // mailbox again from the beginning, `rescan_cursor` being how far they got (skipping what is in
  // flight), until a read comes back short.
  std::int64_t cursor = 0;
  std::set<std::int64_t> in_flight;
  std::set<std::int64_t> acking;  // acknowledged, delete not yet committed
  bool backlog = true;
  bool rescan = false;
  std::int64_t rescan_cursor = 0;

 private:
  std::weak_ptr<peer> peer_;
  std::string address_;
};

}  // namespace confidant::service
