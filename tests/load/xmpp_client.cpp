#include "tests/load/xmpp_client.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/asio/write.hpp>

#include <algorithm>
#include <charconv>

namespace confidant::load {
namespace {

namespace asio = boost::asio;
using tcp = asio::ip::tcp;

// The body starts with the sequence number and the intended send time, 16 hex digits each with
// a space between: XML-safe, fixed-width, and no escaping on either side.
constexpr std::size_t stamp_bytes = 33;

void put_hex(char* out, std::uint64_t v) {
  for (int i = 15; i >= 0; --i) {
    out[i] = "0123456789abcdef"[v & 15u];
    v >>= 4;
  }
}

std::optional<std::uint64_t> hex_at(std::string_view s) {
  std::uint64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + 16, v, 16);
  if (ec != std::errc{} || end != s.data() + 16) return std::nullopt;
  return v;
}

// The condition of a <stream:error/>: the name of its first child.
std::string_view condition_of(std::string_view element) {
  const auto child = element.find('<', 1);
  return child == std::string_view::npos ? std::string_view{} : element_name(element.substr(child));
}

}  // namespace

xmpp_client::xmpp_client(thread_ctx& t, counters& c, std::size_t message_bytes, send_policy p, std::string domain)
    : t_(t), c_(c), bytes_(std::max(message_bytes, stamp_bytes)), domain_(std::move(domain)), socket_(t.ioc),
      pacer_(t.ioc, c, p, [this](std::int64_t intended) { issue(intended); }) {}

void xmpp_client::connect(const tcp::endpoint& server) {
  socket_.async_connect(server, [this](const boost::system::error_code& ec) {
    if (ec) return fail("xmpp:connect");
    boost::system::error_code ignored;
    socket_.set_option(tcp::no_delay(true), ignored);
    step_ = step::features;
    open_stream();
    do_read();
  });
}

void xmpp_client::open_stream() {
  write("<?xml version='1.0'?><stream:stream to='" + domain_ +
        "' version='1.0' xmlns='jabber:client' xmlns:stream='http://etherx.jabber.org/streams'>");
}

void xmpp_client::close() {
  if (step_ == step::closing || step_ == step::closed) return;
  if (step_ != step::ready) {
    boost::system::error_code ignored;
    socket_.close(ignored);
    step_ = step::closed;
    return;
  }
  write("</stream:stream>");
  step_ = step::closing;  // the server's </stream:stream> ends it
}

void xmpp_client::issue(std::int64_t intended_ns) {
  // Built in place in the write queue: no copy of the body per send.
  pending_ += "<message to='";
  pending_ += peer_;
  pending_ += "' type='chat'><body>";
  const auto at = pending_.size();
  pending_.append(bytes_, 'x');
  put_hex(pending_.data() + at, ++seq_);
  pending_[at + 16] = ' ';
  put_hex(pending_.data() + at + 17, static_cast<std::uint64_t>(intended_ns));
  pending_ += "</body></message><r xmlns='urn:xmpp:sm:3'/>";
  unacked_.push_back(intended_ns);
  do_write();
}

void xmpp_client::do_read() {
  socket_.async_read_some(asio::buffer(read_buf_), [this](const boost::system::error_code& ec, std::size_t n) {
    if (ec) {
      if (step_ != step::closing) fail("xmpp:disconnected");
      step_ = step::closed;
      return;
    }
    if (!splitter_.feed({read_buf_.data(), n}, [this](xml_event e, std::string_view text) { on_event(e, text); }))
      return fail("client:bad_xml");
    if (step_ != step::closed) do_read();
  });
}

void xmpp_client::on_event(xml_event e, std::string_view text) {
  if (step_ == step::closed || e == xml_event::stream_open) return;  // features follow the header
  if (e == xml_event::stream_close) {
    if (step_ != step::closing) return fail("xmpp:stream_closed");
    boost::system::error_code ignored;
    socket_.close(ignored);
    step_ = step::closed;
    return;
  }
  const auto name = element_name(text);
  if (name == "stream:error") return fail("xmpp:stream_error:" + std::string{condition_of(text)});
  if (step_ == step::ready || step_ == step::closing) return on_stanza(name, text);
  on_setup(name, text);
}

void xmpp_client::on_setup(std::string_view name, std::string_view element) {
  switch (step_) {
    case step::features:
      if (name != "stream:features") return fail("xmpp:no_features");
      write("<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='ANONYMOUS'/>");
      step_ = step::sasl;
      return;
    case step::sasl:
      if (name != "success") return fail("xmpp:sasl_failed");
      splitter_.restart();  // the server's next bytes open a new stream
      step_ = step::restarted;
      open_stream();
      return;
    case step::restarted:
      if (name != "stream:features") return fail("xmpp:no_features");
      write("<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'/></iq>");
      step_ = step::binding;
      return;
    case step::binding: {
      const auto jid = child_text(element, "jid");
      if (name != "iq" || attribute(element, "type") != "result" || !jid) return fail("xmpp:bind_failed");
      jid_ = *jid;
      write("<enable xmlns='urn:xmpp:sm:3'/>");
      step_ = step::enabling;
      return;
    }
    case step::enabling:
      if (name != "enabled") return fail("xmpp:sm_failed");
      step_ = step::ready;
      c_.phase_done++;
      return;
    default:
      return;
  }
}

void xmpp_client::on_stanza(std::string_view name, std::string_view element) {
  if (name == "a") return on_ack(element);
  if (name == "r") return write("<a xmlns='urn:xmpp:sm:3' h='" + std::to_string(received_) + "'/>");
  if (name != "message" && name != "iq" && name != "presence") return;  // other nonzas
  ++received_;
  if (name == "message") on_message(element);
}

void xmpp_client::on_message(std::string_view element) {
  // A bounce: the peer's session was gone when the server routed the message.
  if (attribute(element, "type") == "error") return t_.rec.error("xmpp:message_error");
  const auto body = child_text(element, "body");
  if (!body || body->size() != bytes_) return t_.rec.error("client:bad_message");
  const auto seq = hex_at(*body);
  const auto intended = hex_at(body->substr(17));
  if (!seq || !intended || (*body)[16] != ' ') return t_.rec.error("client:bad_message");
  c_.delivered.fetch_add(1, std::memory_order_relaxed);
  c_.events.fetch_add(1, std::memory_order_relaxed);
  t_.rec.latency(t_.rec.deliver_us, static_cast<std::int64_t>(*intended), now_ns());
}

void xmpp_client::on_ack(std::string_view element) {
  const auto text = attribute(element, "h");
  std::uint64_t h = 0;
  if (!text || std::from_chars(text->data(), text->data() + text->size(), h).ec != std::errc{})
    return fail("xmpp:bad_ack");
  // h never goes back and never counts more than was sent.
  if (h < acked_ || h - acked_ > unacked_.size()) return fail("xmpp:bad_ack");
  const auto now = now_ns();
  for (; acked_ < h; ++acked_) {
    c_.accepted.fetch_add(1, std::memory_order_relaxed);
    t_.rec.latency(t_.rec.accept_us, unacked_.front(), now);
    unacked_.pop_front();
    pacer_.answered();  // may issue the next message at once
  }
}

void xmpp_client::write(std::string_view s) {
  if (step_ == step::closing || step_ == step::closed) return;  // nothing after </stream:stream>
  pending_ += s;
  do_write();
}

void xmpp_client::do_write() {
  if (write_in_flight_ || pending_.empty() || step_ == step::closed) return;
  writing_.swap(pending_);  // pending_ keeps writing_'s old buffer, emptied
  pending_.clear();
  write_in_flight_ = true;
  asio::async_write(socket_, asio::buffer(writing_), [this](const boost::system::error_code& ec, std::size_t) {
    write_in_flight_ = false;
    writing_.clear();
    if (ec) {
      if (step_ != step::closing) fail("xmpp:write_failed");
      return;
    }
    do_write();
  });
}

void xmpp_client::fail(std::string_view code) {
  if (step_ == step::closed) return;
  t_.rec.error(code);
  if (step_ < step::ready) c_.phase_failed++;
  step_ = step::closed;
  boost::system::error_code ignored;
  socket_.close(ignored);
}

}  // namespace confidant::load
