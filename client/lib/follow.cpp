// `inbox --follow`: receive until told to stop, reconnecting with backoff after a lost connection.
#include "client/lib/backoff.hpp"
#include "client/lib/messenger_impl.hpp"

#include <set>
#include <thread>

namespace confidant::client {

namespace {

// Failures after which trying again cannot help (or must not happen without the user).
bool transient(const failure& f) {
  if (f.code == errc::refused || f.code == errc::timed_out || f.code == errc::closed ||
      f.code == errc::cannot_resolve)
    return true;
  if (f.code == errc::error_answer) {
    static const std::set<std::string, std::less<>> retry{"rate_limited", "internal_error", "server_busy",
                                                          "shutting_down"};
    return retry.contains(f.server_code);
  }
  return false;
}

}  // namespace

outcome<void> messenger::follow(const batch_handler& on_batch, const std::function<bool()>& stop,
                                backoff::policy policy) {
  backoff delays{policy};
  bool need_connect = !connected();
  while (!stop()) {
    if (need_connect) {
      auto c = connect();
      if (!c) {
        if (!transient(c.error())) return c.error();
        auto wait = delays.next(static_cast<double>(impl_->rng.array<4>()[0]) / 256.0);
        if (c.error().retry_after_ms > 0) wait = std::max(wait, std::chrono::milliseconds{c.error().retry_after_ms});
        on_batch({}, {{notice::kind::info, 0, 0,
                       c.error().detail + "; trying again in " + std::to_string(wait.count()) + " ms", std::nullopt}});
        for (auto slept = std::chrono::milliseconds{0}; slept < wait && !stop(); slept += std::chrono::milliseconds{100})
          std::this_thread::sleep_for(std::min(std::chrono::milliseconds{100}, wait - slept));
        continue;
      }
      delays.reset();
      need_connect = false;
    }
    auto got = receive(std::chrono::milliseconds{1000});
    auto notes = take_notices();
    if (!got) {
      if (!transient(got.error())) {
        on_batch({}, std::move(notes));
        return got.error();
      }
      notes.push_back({notice::kind::info, 0, 0, "connection lost (" + got.error().detail + "); reconnecting", std::nullopt});
      on_batch({}, std::move(notes));
      disconnect();
      need_connect = true;
      continue;
    }
    if (!got->empty() || !notes.empty()) on_batch(*got, std::move(notes));
  }
  return {};
}

}  // namespace confidant::client
