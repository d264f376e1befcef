#pragma once

#include "server/net/options.hpp"
#include "server/net/registry.hpp"
#include "server/service/dispatcher.hpp"
#include "server/service/metrics.hpp"

#include <atomic>
#include <cstddef>
#include <functional>
#include <utility>

namespace confidant::net {

// What every session of one server shares. Outlives all sessions (the server waits for them).
struct context {
  const options& opts;
  service::dispatcher& dispatcher;
  service::metrics& metrics;
  std::function<bool()> ready;  // /readyz: can the database be read?
  registry sessions;
  std::atomic<std::size_t> sockets{0};
};

// Counts one open socket for context::sockets while alive.
class socket_slot {
 public:
  explicit socket_slot(context& ctx) : ctx_(&ctx) { ctx_->sockets.fetch_add(1); }
  socket_slot(socket_slot&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}
  socket_slot& operator=(socket_slot&&) = delete;
  socket_slot(const socket_slot&) = delete;
  ~socket_slot() {
    if (ctx_) ctx_->sockets.fetch_sub(1);
  }

 private:
  context* ctx_;
};

}  // namespace confidant::net
