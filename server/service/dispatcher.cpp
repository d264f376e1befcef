#include "server/service/dispatcher.hpp"

#include "schema/wire/hello.hpp"
#include "server/rules/time_format.hpp"
#include "server/service/handler_support.hpp"
#include "server/service/handlers.hpp"

#include <algorithm>
#include <array>

namespace confidant::service {
namespace {

// Which connection state a request needs (protocol.md 7.2).
enum class needs { greeted_only, authenticated };

struct route {
  std::string_view type;
  needs state;
  void (*handler)(backend&, const conn_ptr&, const wire::request&);
};

constexpr std::array routes{
    route{"register", needs::greeted_only, on_register},
    route{"challenge", needs::greeted_only, on_challenge},
    route{"login", needs::greeted_only, on_login},
    route{"prekeys_upload", needs::authenticated, on_prekeys_upload},
    route{"bundle", needs::authenticated, on_bundle},
    route{"devices", needs::authenticated, on_devices},
    route{"device_link", needs::authenticated, on_device_link},
    route{"device_remove", needs::authenticated, on_device_remove},
    route{"invite_create", needs::authenticated, on_invite_create},
    route{"pair_create", needs::authenticated, on_pair_create},
    route{"account_disable", needs::authenticated, on_account_disable},
    route{"contacts", needs::authenticated, on_contacts},
    route{"send", needs::authenticated, on_send},
    route{"ack", needs::authenticated, on_ack},
    route{"meeting_propose", needs::authenticated, on_meeting_propose},
    route{"meeting_accept", needs::authenticated, on_meeting_accept},
    route{"meeting_decline", needs::authenticated, on_meeting_decline},
    route{"meeting_cancel", needs::authenticated, on_meeting_cancel},
    route{"meeting_reschedule", needs::authenticated, on_meeting_reschedule},
    route{"meetings", needs::authenticated, on_meetings},
    route{"windows", needs::authenticated, on_windows},
    route{"window_set", needs::authenticated, on_window_set},
    route{"window_clear", needs::authenticated, on_window_clear},
    route{"spoc_key_publish", needs::authenticated, on_spoc_key_publish},
    route{"spoc_keys", needs::authenticated, on_spoc_keys},
    route{"flag_raise", needs::authenticated, on_flag_raise},
    route{"flag_received", needs::authenticated, on_flag_received},
    route{"flag_ack", needs::authenticated, on_flag_ack},
    route{"flag_note", needs::authenticated, on_flag_note},
    route{"flag_resolve", needs::authenticated, on_flag_resolve},
    route{"flag_hold", needs::authenticated, on_flag_hold},
    route{"flags", needs::authenticated, on_flags},
    route{"flag_show", needs::authenticated, on_flag_show},
    route{"profile_set", needs::authenticated, on_profile_set},
    route{"profile", needs::authenticated, on_profile},
    route{"associates", needs::authenticated, on_associates},
    route{"associate_approve", needs::authenticated, on_associate_approve},
    route{"associate_suspend", needs::authenticated, on_associate_suspend},
    route{"request_create", needs::authenticated, on_request_create},
    route{"request_withdraw", needs::authenticated, on_request_withdraw},
    route{"offers", needs::authenticated, on_offers},
    route{"prefer", needs::authenticated, on_prefer},
    route{"request_decline", needs::authenticated, on_request_decline},
    route{"pair", needs::authenticated, on_pair},
    route{"cycles", needs::authenticated, on_cycles},
    route{"cycle_show", needs::authenticated, on_cycle_show},
    route{"cycle_extend", needs::authenticated, on_cycle_extend},
    route{"cycle_close", needs::authenticated, on_cycle_close},
    route{"end_request", needs::authenticated, on_end_request},
    route{"cycle_end", needs::authenticated, on_cycle_end},
    route{"feedback_request", needs::authenticated, on_feedback_request},
    route{"feedback_submit", needs::authenticated, on_feedback_submit},
    route{"feedback_release", needs::authenticated, on_feedback_release},
    route{"feedback", needs::authenticated, on_feedback},
    route{"note_write", needs::authenticated, on_note_write},
    route{"notes", needs::authenticated, on_notes},
    route{"stats", needs::authenticated, on_stats},
};

}  // namespace

std::shared_ptr<connection> dispatcher::open(std::weak_ptr<peer> p, std::string address) {
  return std::make_shared<connection>(std::move(p), std::move(address));
}

void dispatcher::closed(const connection& c) {
  if (c.device) backend_.online.unbind(*c.device, &c);
}

std::string dispatcher::refuse(const wire::failure& f) {
  backend_.stats.error(f.code);
  return wire::make_error(f);
}

void dispatcher::handle(std::string_view frame, const std::shared_ptr<connection>& c) {
  auto req = wire::parse_request(frame);
  if (!req) {
    backend_.stats.request("invalid");
    return c->send(refuse(req.error()));
  }
  if (req->type == "hello") {
    backend_.stats.request("hello");
    return hello(*req, *c);
  }
  const auto* r = std::ranges::find(routes, req->type, &route::type);
  if (r == routes.end()) {
    backend_.stats.request("unknown");
    return c->send(refuse({wire::errc::unknown_type, "no request type by that name in " + std::string{wire::version}, req->rid}));
  }
  backend_.stats.request(r->type);
  if (!c->greeted) {
    return c->send(refuse({wire::errc::hello_required, "send hello first", req->rid}));
  }
  if (r->state == needs::authenticated && !c->device) {
    return c->send(refuse({wire::errc::not_authenticated, "log in first (challenge, then login)", req->rid}));
  }
  if (r->state == needs::greeted_only && c->device) {
    return c->send(refuse({wire::errc::already_authenticated, "this connection is logged in already", req->rid}));
  }
  r->handler(backend_, c, *req);
}

void dispatcher::hello(const wire::request& req, connection& c) {
  auto h = wire::read_hello(req);
  if (!h) return c.send(refuse(h.error()));
  if (std::ranges::find(h->versions, wire::version) == h->versions.end()) {
    return c.send(refuse({wire::errc::unsupported_version, "this server speaks only " + std::string{wire::version}, req.rid}));
  }
  c.greeted = true;
  const auto& info = backend_.info;
  const wire::hello_reply answer{std::string{wire::version}, info.server, rules::format_utc(backend_.clock.now()),
                                 info.tenant, b64(backend_.server_key.public_key.view()), info.max_frame_bytes,
                                 info.idle_timeout_seconds};
  c.send(wire::make_ok(req.rid, wire::to_json(answer)));
}

}  // namespace confidant::service
