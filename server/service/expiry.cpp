#include "server/service/expiry.hpp"

#include "server/service/delivery.hpp"
#include "server/store/accounts.hpp"
#include "server/store/mailbox.hpp"

#include <boost/json/serialize.hpp>
#include <spdlog/spdlog.h>

#include <set>

namespace confidant::service {
namespace {
constexpr std::size_t max_per_sweep = 1000;
}

void sweep_expired(backend& b, std::function<void(std::size_t)> done) {
  const auto now = b.now_ms();
  const auto retention = std::chrono::duration_cast<std::chrono::milliseconds>(b.limits.envelope_retention).count();
  auto woken = std::make_shared<std::set<device_ref>>();
  auto count = std::make_shared<std::size_t>(0);
  b.db.write().submit(
      [now, retention, woken, count](store::database& db) -> store::result<void> {
        auto expired = store::take_expired(db, now, max_per_sweep);
        if (!expired) return expired.error();
        *count = expired->size();
        for (const auto& e : *expired) {
          if (e.kind != "e2e" || !e.sender) continue;  // notices expire without a notice
          auto devices = store::active_devices(db, *e.sender);
          if (!devices) return devices.error();
          if (devices->empty()) continue;
          boost::json::object fields;
          fields["message"] = e.message;
          fields["user"] = e.account_id;
          fields["device"] = e.device_id;
          const auto text = boost::json::serialize(fields);
          std::vector<store::new_envelope> notices;
          for (const auto& d : *devices) {
            notices.push_back({d.account_id, d.device_id, now, false, {text.begin(), text.end()}, {}, {}});
            woken->insert({d.account_id, d.device_id});
          }
          store::new_message m{"expired", std::nullopt, std::nullopt, std::nullopt, *e.sender, now, now, now + retention};
          if (auto id = store::insert_message(db, m, notices); !id) return id.error();
        }
        if (auto purged = store::purge_messages(db, now - retention); !purged) return purged.error();
        return {};
      },
      [&b, woken, count, done = std::move(done)](boost::system::error_code ec) {
        if (ec) {
          spdlog::error("event=expiry_failed error=\"{}\"", ec.message());
          if (done) done(0);
          return;
        }
        if (*count > 0) spdlog::info("event=envelopes_expired count={}", *count);
        for (const auto& d : *woken) wake(b, d);
        if (done) done(*count);
      });
}

}  // namespace confidant::service
