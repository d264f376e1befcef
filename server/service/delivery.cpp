#include "server/service/delivery.hpp"

#include "server/service/handler_support.hpp"

#include <boost/json/parse.hpp>
#include <spdlog/spdlog.h>

#include <iterator>

namespace confidant::service {

std::string delivery_event(const store::pending_envelope& e) {
  boost::json::object out;
  out["id"] = e.id;
  if (e.kind == "expired") {
    // The notice's fields were stored as a JSON object by the server itself.
    boost::system::error_code ec;
    auto fields = boost::json::parse(std::string_view{reinterpret_cast<const char*>(e.body.data()), e.body.size()}, ec);
    if (!ec && fields.is_object()) {
      for (const auto& kv : fields.as_object()) out[kv.key()] = kv.value();
    }
    return wire::make_event("expired", std::move(out));
  }
  boost::json::object from;
  from["user"] = e.sender;
  from["device"] = e.sender_device;
  out["from"] = std::move(from);
  out["to"] = e.recipient;
  out["accepted_at"] = time_text(e.accepted_at_ms);
  out["body"] = b64(e.body);
  out["commitment"] = b64(e.commitment);
  out["stamp"] = b64(e.stamp);
  return wire::make_event("message", std::move(out));
}

std::string prekeys_low_event(std::int64_t remaining) {
  boost::json::object out;
  out["one_time_prekeys"] = remaining;
  return wire::make_event("prekeys_low", std::move(out));
}

void pump(backend& b, const std::shared_ptr<connection>& c) {
  if (!c->device || !c->backlog) return;
  const auto window = b.limits.delivery_window;
  if (c->in_flight.size() >= window) return;
  const auto room = window - c->in_flight.size();
  // Read on from where the last read stopped: enough rows for `room` new envelopes, plus those
  // past that point already in flight or being deleted (only a rescan finds any: they are skipped).
  const auto after = c->rescan ? c->rescan_cursor : c->cursor;
  const auto beyond = [after](const std::set<std::int64_t>& ids) {
    return static_cast<std::size_t>(std::distance(ids.upper_bound(after), ids.end()));
  };
  const auto ask = room + beyond(c->in_flight) + beyond(c->acking);
  std::vector<store::pending_envelope> batch;
  auto read = b.db.read([&](store::database& db) -> store::result<void> {
    auto p = store::pending_for(db, c->device->user, c->device->device, after, b.now_ms(), ask);
    if (!p) return p.error();
    batch = std::move(*p);
    return {};
  });
  if (!read) {
    // Nothing is lost: the envelopes stay stored and the next ack or login pumps again.
    spdlog::error("event=delivery_read_failed error=\"{}\"", read.error().message());
    return;
  }
  bool full = false;
  for (const auto& e : batch) {
    if (c->in_flight.size() >= window) {  // a skipped id was no longer stored: the rest waits
      full = true;
      break;
    }
    if (c->rescan) c->rescan_cursor = e.id;
    if (c->in_flight.contains(e.id) || c->acking.contains(e.id)) continue;
    c->send(delivery_event(e));
    c->cursor = std::max(c->cursor, e.id);
    c->in_flight.insert(e.id);
  }
  if (!full && batch.size() < ask) {
    c->backlog = false;
    c->rescan = false;
  }
}

void offer(backend& b, const std::shared_ptr<connection>& c, std::int64_t id, std::shared_ptr<const std::string> frame) {
  if (!c->device || id <= c->cursor) return;
  if (!c->backlog && c->in_flight.size() < b.limits.delivery_window) {
    c->send(std::move(frame));
    c->cursor = id;
    c->in_flight.insert(id);
    return;
  }
  c->backlog = true;
  pump(b, c);
}

void notify(backend& b, device_ref to, std::int64_t id, std::shared_ptr<const std::string> frame) {
  auto c = b.online.find(to);
  if (!c) return;
  c->strand([&b, c, to, id, frame = std::move(frame)]() mutable {
    if (c->device == to) offer(b, c, id, std::move(frame));
  });
}

void wake(backend& b, device_ref to) {
  auto c = b.online.find(to);
  if (!c) return;
  c->strand([&b, c, to] {
    if (c->device != to) return;
    c->backlog = true;
    c->rescan = true;
    c->rescan_cursor = 0;
    pump(b, c);
  });
}

}  // namespace confidant::service
