#pragma once

// A confidant.v1 connection for the generator: requests matched to answers by rid, events, and
// the hello / challenge / login steps (docs/protocol.md 7.1, 7.5, 7.6). Subclasses take the hot
// answers (sends, acks) and the events themselves.

#include "crypto/identity.hpp"
#include "schema/wire/envelope.hpp"
#include "tests/load/thread_ctx.hpp"
#include "tests/load/ws_link.hpp"

#include <boost/json/object.hpp>

#include <array>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>

namespace confidant::load {

class protocol_client {
 public:
  using answer_fn = std::function<void(const wire::response&)>;

  explicit protocol_client(thread_ctx& t) : t_(t) {}
  virtual ~protocol_client() = default;
  protocol_client(const protocol_client&) = delete;
  protocol_client& operator=(const protocol_client&) = delete;

  void close();
  [[nodiscard]] bool connected() const { return link_ && link_->is_open(); }

 protected:
  // Connects, then `hello`; ready(true) once the hello answer came.
  void connect(const link_target& target, std::function<void(bool)> ready);
  void call(std::string_view type, boost::json::object fields, answer_fn fn);
  void send_frame(std::string frame);
  // challenge then login; done(true) when logged in.
  void login(const crypto::identity_keypair& id, std::int64_t user, std::int64_t device, std::function<void(bool)> done);

  // An answer whose rid no call() is waiting for (the subclass's own frames): true if taken.
  virtual bool on_own_answer(const wire::response&) { return false; }
  virtual void on_event(const wire::response&) {}
  virtual void on_closed(int code, const std::string& what);

  thread_ctx& t_;
  std::shared_ptr<ws_link> link_;
  std::array<std::uint8_t, 32> server_key_{};

 private:
  void on_frame(std::string_view frame);

  std::unordered_map<std::string, answer_fn> waiting_;
  std::uint64_t next_rid_ = 0;
  std::function<void(bool)> ready_;
};

}  // namespace confidant::load
