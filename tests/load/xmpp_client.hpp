#pragma once

// A client of Prosody (tests/load/prosody_server.hpp) over plain TCP on loopback: the same pairs,
// sizes and pacing as the relay clients, carried as XMPP. Set-up: stream, SASL ANONYMOUS, stream
// restart, resource binding (the server names the client's full JID), stream management
// (XEP-0198 <enable/>). Then each measured send is
//   <message to=PEER type='chat'><body>seq intended-time padding</body></message><r/>
// "accepted" is the server's <a h='N'/> once N covers the message: Prosody has routed it to the
// recipient's session (in memory; nothing is stored), "delivered" is the peer reading it.
// One <r/> per message, so the server answers every send as confidantd (`ok`) and the relay
// (its ack frame) do, and a window slot is freed as soon as its message is handled.
// Runs on one thread's io_context like the other clients: no strand needed.

#include "tests/load/send_pacer.hpp"
#include "tests/load/thread_ctx.hpp"
#include "tests/load/xml_splitter.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <deque>
#include <string>

namespace confidant::load {

class xmpp_client {
 public:
  xmpp_client(thread_ctx& t, counters& c, std::size_t message_bytes, send_policy p, std::string domain);
  // Connects and sets the session up: phase_done once stream management is on (jid() is then
  // this client's full JID), phase_failed if a step fails.
  void connect(const boost::asio::ip::tcp::endpoint& server);
  void set_peer(std::string full_jid) { peer_ = std::move(full_jid); }
  [[nodiscard]] const std::string& jid() const noexcept { return jid_; }
  void start_sending(std::chrono::nanoseconds offset) { pacer_.start(offset); }
  // Closes the stream after what is queued.
  void close();

 private:
  enum class step { connecting, features, sasl, restarted, binding, enabling, ready, closing, closed };

  void issue(std::int64_t intended_ns);
  void do_read();
  void on_event(xml_event e, std::string_view text);
  void on_setup(std::string_view name, std::string_view element);
  void on_stanza(std::string_view name, std::string_view element);
  void on_message(std::string_view element);
  void on_ack(std::string_view element);
  void write(std::string_view s);
  void do_write();
  void fail(std::string_view code);
  void open_stream();

  thread_ctx& t_;
  counters& c_;
  std::size_t bytes_;
  std::string domain_, jid_, peer_;
  boost::asio::ip::tcp::socket socket_;
  std::array<char, 65536> read_buf_{};
  xml_splitter splitter_;
  // Bytes waiting for the write in flight, and that write's bytes: everything queued while a
  // write is outstanding leaves in the next one. Bounded by the send window (each send adds one
  // message, each <r/> of the server one <a/>).
  std::string pending_, writing_;
  bool write_in_flight_ = false;
  step step_ = step::connecting;
  send_pacer pacer_;
  std::uint64_t seq_ = 0;
  // Intended send times of the messages the server has not counted yet, oldest first; the
  // server's h counts every stanza this client sent since <enable/>, and this client sends
  // nothing but measured messages after it, so the (acked_ + 1)th message is unacked_.front().
  std::deque<std::int64_t> unacked_;
  std::uint64_t acked_ = 0;
  std::uint64_t received_ = 0;  // stanzas received since <enabled/>: the h of our <a/> answers
};

}  // namespace confidant::load
