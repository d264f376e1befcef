#include "tests/load/relay_client.hpp"

#include <algorithm>
#include <cstring>

namespace confidant::load {

relay_client::relay_client(thread_ctx& t, counters& c, std::size_t message_bytes, send_policy p)
    : t_(t), c_(c), bytes_(std::max<std::size_t>(message_bytes, 17)),
      pacer_(t.ioc, c, p, [this](std::int64_t intended) { issue(intended); }) {}

void relay_client::connect(link_target target, std::size_t me, std::size_t peer) {
  target.path = "/" + std::to_string(me) + "/" + std::to_string(peer);
  target.binary = true;
  target.subprotocol.clear();
  link_ = ws_link::create(t_.ioc);
  link_->open(target, {[this] { c_.phase_done++; }, [this](std::string_view f) { on_frame(f); },
                       [this](int code, const std::string&) {
                         if (code != 1000) t_.rec.error("close:" + std::to_string(code));
                       }});
}

void relay_client::close() {
  if (link_) link_->close();
}

void relay_client::issue(std::int64_t intended_ns) {
  std::string f(bytes_, 'x');
  f[0] = 'M';
  const auto seq = ++seq_;
  std::memcpy(f.data() + 1, &seq, 8);
  std::memcpy(f.data() + 9, &intended_ns, 8);
  link_->send(std::move(f));
}

void relay_client::on_frame(std::string_view f) {
  if (f.size() < 17) return t_.rec.error("client:bad_frame");
  std::int64_t intended = 0;
  std::memcpy(&intended, f.data() + 9, 8);
  if (f[0] == 'A') {
    c_.accepted.fetch_add(1, std::memory_order_relaxed);
    t_.rec.latency(t_.rec.accept_us, intended, now_ns());
    pacer_.answered();
  } else if (f[0] == 'M') {
    c_.delivered.fetch_add(1, std::memory_order_relaxed);
    c_.events.fetch_add(1, std::memory_order_relaxed);
    t_.rec.latency(t_.rec.deliver_us, intended, now_ns());
  } else {
    t_.rec.error("client:bad_frame");
  }
}

}  // namespace confidant::load
