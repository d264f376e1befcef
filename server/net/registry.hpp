#pragma once

#include <boost/beast/websocket/rfc6455.hpp>

#include <cstddef>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace confidant::net {

// What the registry can ask of any live WebSocket session, plain or TLS.
class session_handle {
 public:
  virtual ~session_handle() = default;
  // Thread-safe: queue a close frame behind what is already queued.
  virtual void close(boost::beast::websocket::close_reason reason) = 0;
};

// The live WebSocket sessions. Holds weak pointers; copies them under its lock and acts on them
// after releasing it (Beast chat-multi's shared_state).
class registry {
 public:
  // False once close_all() has run: the caller closes itself (a session accepted during shutdown).
  [[nodiscard]] bool join(const std::shared_ptr<session_handle>& s);
  void leave(const session_handle* s);
  void close_all(const boost::beast::websocket::close_reason& reason);
  [[nodiscard]] std::size_t size() const;

 private:
  mutable std::mutex mutex_;
  std::unordered_map<const session_handle*, std::weak_ptr<session_handle>> sessions_;
  bool closed_ = false;
};

}  // namespace confidant::net
