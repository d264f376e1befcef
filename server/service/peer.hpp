#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace confidant::service {

// What the service needs of a live connection, whatever carries it (net::ws_session). Every
// member is thread-safe.
class peer {
 public:
  virtual ~peer() = default;
  // Queues one text frame.
  virtual void send(std::shared_ptr<const std::string> frame) = 0;
  // Queues a close frame (code and reason as in protocol.md 2.7) behind what is queued.
  virtual void close(std::uint16_t code, std::string reason) = 0;
  // Runs `fn` on the connection's strand, where its connection state lives.
  virtual void dispatch(std::function<void()> fn) = 0;
};

}  // namespace confidant::service
