#pragma once

// One generated Confidant user with one device: real keys, registration from an invite, the
// challenge-response login, Sesame sessions (X3DH + Double Ratchet) with its paired peer over
// in-memory crypto stores (crypto/memory_stores.hpp: the client's SQLCipher store is left out so
// the generator measures the server, not its own disk), franked text messages of a chosen size,
// decryption with commitment (and, every Nth message, server stamp) checks, batched acks.

#include "crypto/memory_stores.hpp"
#include "crypto/sesame.hpp"
#include "tests/load/protocol_client.hpp"
#include "tests/load/send_pacer.hpp"

#include <boost/asio/steady_timer.hpp>

#include <optional>
#include <unordered_map>
#include <vector>

namespace confidant::load {

struct confidant_params {
  std::size_t text_bytes = 256;         // bytes of message text (the plaintext the user typed)
  unsigned verify_stamp_every = 16;     // verify the server's Ed25519 stamp on every Nth message (0: never)
  unsigned ack_batch = 16;              // ack when this many ids wait...
  std::chrono::microseconds ack_delay{2000};  // ...or this long after the first one
  send_policy policy;
};

class confidant_client final : public protocol_client {
 public:
  confidant_client(thread_ctx& t, counters& c, const confidant_params& p, bool headteacher);

  // Keys, then hello + register on a fresh connection, closed afterwards: phase_done or phase_failed.
  void enrol(const link_target& target, const std::string& invite);
  // hello, challenge, login; the connection stays open: phase_done or phase_failed.
  void sign_in(const link_target& target);
  void set_peer(std::int64_t user, std::int64_t device) { peer_user_ = user; peer_device_ = device; }
  // The headteacher fetches the peer's bundle and sends the first (unmeasured) message; the
  // associate answers it. phase_done on each side once it has a message from the other.
  void warm_up();
  // Narrows this user's contact window to one weekday (window_set, 08:00-18:00; 1 = Monday), so
  // that messages to it are held until that day: phase_done or phase_failed.
  void narrow_window(int weekday);
  // History: sends `n` unmeasured messages (kind 'h') to the peer, `window` at a time, each of
  // which must be answered `held: true` (counters::preloaded): phase_done once all are answered,
  // phase_failed if any was not held. The recipient counts them when released (counters::released).
  void preload(std::uint64_t n, unsigned window);
  // Measured sending until counters::stop_sending.
  void start_sending(std::chrono::nanoseconds offset) { pacer_.start(offset); }
  void flush_acks();

  [[nodiscard]] bool headteacher() const noexcept { return headteacher_; }
  [[nodiscard]] std::int64_t user() const noexcept { return user_; }
  [[nodiscard]] std::int64_t device() const noexcept { return device_; }
  [[nodiscard]] unsigned outstanding() const noexcept { return pacer_.outstanding(); }
  // The `deliver_at` of the last history message answered (when its recipient's window opens).
  [[nodiscard]] const std::string& held_until() const noexcept { return held_until_; }

 private:
  struct pending_send {
    std::int64_t intended_ns = 0;
    char kind = 'm';  // 'm' measured, 'w' warm-up, 'h' history
  };

  void send_message(char kind, std::int64_t intended_ns);
  bool on_own_answer(const wire::response& r) override;
  void on_event(const wire::response& e) override;
  void on_message(const boost::json::object& fields);
  void queue_ack(std::int64_t id);
  void send_preload();
  void on_preload_answer(bool held);

  counters& c_;
  confidant_params p_;
  bool headteacher_;
  std::unique_ptr<crypto::memory_identity_store> identities_;
  crypto::memory_prekey_store prekeys_;
  crypto::memory_session_store sessions_;
  std::unique_ptr<crypto::sesame::session_manager> sm_;
  std::optional<crypto::prekey_bundle> peer_bundle_;
  std::int64_t user_ = 0, device_ = 0, peer_user_ = 0, peer_device_ = 0;
  bool ready_ = false;
  std::uint64_t next_send_ = 0, next_ack_ = 0, received_ = 0;
  std::unordered_map<std::uint64_t, pending_send> sends_;
  std::vector<std::int64_t> to_ack_;
  boost::asio::steady_timer ack_timer_;
  bool ack_armed_ = false;
  send_pacer pacer_;
  std::uint64_t preload_left_ = 0, preload_waiting_ = 0;
  bool preload_ok_ = true;
  std::string held_until_;
};

}  // namespace confidant::load
