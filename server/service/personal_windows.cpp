// window_set and window_clear (docs/protocol.md 7.22a).
#include "server/service/personal_windows.hpp"

#include "server/service/audit.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"
#include "server/store/personal_windows.hpp"

#include <boost/json/serialize.hpp>
#include <fmt/format.h>

namespace confidant::service {

boost::json::object hours_json(const rules::window_hours& h) {
  boost::json::array days;
  for (unsigned d = 1; d <= 7; ++d)
    if (h.days.contains(d)) days.push_back(d);
  return {{"days", std::move(days)}, {"start", clock_text(h.start)}, {"end", clock_text(h.end)}};
}

std::string clock_text(std::chrono::minutes m) { return fmt::format("{:02}:{:02}", m.count() / 60, m.count() % 60); }

std::optional<std::chrono::minutes> parse_clock(std::string_view t) {
  const auto digit = [](char c) { return c >= '0' && c <= '9'; };
  if (t.size() != 5 || t[2] != ':' || !digit(t[0]) || !digit(t[1]) || !digit(t[3]) || !digit(t[4])) return std::nullopt;
  const int hh = (t[0] - '0') * 10 + (t[1] - '0');
  const int mm = (t[3] - '0') * 10 + (t[4] - '0');
  if (mm > 59 || hh > 24 || (hh == 24 && mm != 0)) return std::nullopt;
  return std::chrono::minutes{hh * 60 + mm};
}

void on_window_set(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  const auto* days = in.array("days", {.min_items = 1, .max_items = 7});
  const auto start = in.text("start", {.min_length = 5, .max_length = 5, .required = false});
  const auto end = in.text("end", {.min_length = 5, .max_length = 5, .required = false});
  rules::personal_window w;
  w.days = {};
  if (days) {
    for (const auto& v : *days) {
      const auto* d = v.if_int64();
      if (!d || *d < 1 || *d > 7) {
        in.reject(wire::errc::invalid_field, "field `days` must hold ISO weekdays, 1 (Monday) to 7 (Sunday)");
        break;
      }
      w.days.add(static_cast<unsigned>(*d));
    }
  }
  if (start && !(w.start = parse_clock(*start))) in.reject(wire::errc::invalid_field, "field `start` must be HH:MM");
  if (end && !(w.end = parse_clock(*end))) in.reject(wire::errc::invalid_field, "field `end` must be HH:MM");
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  const auto& allowed = b.calendars->school_contact.hours();
  auto narrowed = rules::narrow(allowed, w);
  if (!narrowed) {
    const auto policy = hours_json(allowed);
    wire::failure f{wire::errc::invalid_field,
                    fmt::format("a personal window may narrow the policy's ({}-{}, weekdays {}), never widen it, and "
                                "must end after it starts",
                                clock_text(allowed.start), clock_text(allowed.end),
                                boost::json::serialize(policy.at("days"))),
                    req.rid};
    f.extra["policy"] = policy;
    return b.fail(*c, f);
  }
  const auto me = c->device->user;
  b.db.write().submit(
      [me, w, now = b.now_ms(), hours = *narrowed](store::database& db) -> store::result<void> {
        if (auto r = store::put_personal_window(db, me, w, now); !r) return r.error();
        return record(db, now, user_actor(me), "window_set", object_name("user", me), hours_json(hours));
      },
      [&b, c, rid = req.rid, hours = *narrowed](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "window_set", ec);
        c->send(wire::make_ok(rid, hours_json(hours)));
      });
}

void on_window_clear(backend& b, const conn_ptr& c, const wire::request& req) {
  wire::field_reader in{req};
  if (auto done = in.finish(); !done) return b.fail(*c, done.error());
  const auto me = c->device->user;
  b.db.write().submit(
      [me, now = b.now_ms()](store::database& db) -> store::result<void> {
        auto removed = store::delete_personal_window(db, me);
        if (!removed) return removed.error();
        if (!*removed) return {};
        return record(db, now, user_actor(me), "window_cleared", object_name("user", me));
      },
      [&b, c, rid = req.rid](boost::system::error_code ec) {
        if (ec) return answer_store_failure(b, *c, rid, "window_clear", ec);
        c->send(wire::make_ok(rid, hours_json(b.calendars->school_contact.hours())));
      });
}

}  // namespace confidant::service
