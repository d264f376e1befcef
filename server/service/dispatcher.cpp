#include "server/service/dispatcher.hpp"

#include "schema/wire/hello.hpp"
#include "server/rules/time_format.hpp"

#include <algorithm>

namespace confidant::service {

dispatcher::dispatcher(const rules::clock& clock, server_info info, metrics& m)
    : clock_(clock), info_(std::move(info)), metrics_(m) {}

std::string dispatcher::refuse(const wire::failure& f) {
  metrics_.error(f.code);
  return wire::make_error(f);
}

void dispatcher::handle(std::string_view frame, connection_state& conn, const reply_fn& reply) {
  auto req = wire::parse_request(frame);
  if (!req) {
    metrics_.request("invalid");
    reply(refuse(req.error()));
    return;
  }
  if (req->type == "hello") {
    metrics_.request("hello");
    reply(hello(*req, conn));
    return;
  }
  metrics_.request("unknown");
  reply(refuse({wire::errc::unknown_type, "no request type by that name in " + std::string{wire::version}, req->rid}));
}

std::string dispatcher::hello(const wire::request& req, connection_state& conn) {
  auto h = wire::read_hello(req);
  if (!h) return refuse(h.error());
  if (std::ranges::find(h->versions, wire::version) == h->versions.end()) {
    return refuse({wire::errc::unsupported_version, "this server speaks only " + std::string{wire::version}, req.rid});
  }
  conn.greeted = true;
  const wire::hello_reply answer{std::string{wire::version}, info_.server, rules::format_utc(clock_.now()),
                                 info_.tenant, info_.max_frame_bytes, info_.idle_timeout_seconds};
  return wire::make_ok(req.rid, wire::to_json(answer));
}

}  // namespace confidant::service
