#include "server/net/routes.hpp"

#include "schema/wire/envelope.hpp"
#include "server/net/origin.hpp"
#include "server/service/metrics.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/verb.hpp>

#include <string>
#include <vector>

namespace confidant::net {
namespace http = boost::beast::http;

namespace {

http_response text(const http_request& req, http::status status, std::string body,
                   std::string_view content_type = "text/plain; charset=utf-8") {
  http_response res{status, req.version()};
  res.set(http::field::server, "confidantd");
  res.set(http::field::content_type, content_type);
  res.set(http::field::cache_control, "no-store");
  res.keep_alive(req.keep_alive());
  res.content_length(body.size());
  // A HEAD answer has the headers of the GET answer and no content (RFC 9110, 9.3.2).
  if (req.method() != http::verb::head) res.body() = std::move(body);
  return res;
}

bool offers_subprotocol(std::string_view header) {
  // Sec-WebSocket-Protocol: a comma-separated list of tokens.
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto token = header.substr(0, comma);
    while (!token.empty() && (token.front() == ' ' || token.front() == '\t')) token.remove_prefix(1);
    while (!token.empty() && (token.back() == ' ' || token.back() == '\t')) token.remove_suffix(1);
    if (token == wire::subprotocol) return true;
    if (comma == std::string_view::npos) break;
    header.remove_prefix(comma + 1);
  }
  return false;
}

}  // namespace

http_response handle_http(const http_request& req, const route_context& ctx) {
  ctx.metrics.http_request();
  const auto target = req.target();
  const bool known = target == "/healthz" || target == "/readyz" || target == "/metrics" || target == wire::ws_path;
  if (!known) return text(req, http::status::not_found, "not found\n");
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    auto res = text(req, http::status::method_not_allowed, "method not allowed\n");
    res.set(http::field::allow, "GET, HEAD");
    return res;
  }
  if (target == "/healthz") return text(req, http::status::ok, "ok\n");
  if (target == "/readyz") {
    return ctx.ready() ? text(req, http::status::ok, "ready\n")
                       : text(req, http::status::service_unavailable, "database not readable\n");
  }
  if (target == "/metrics") {
    return text(req, http::status::ok, ctx.metrics.render(), "text/plain; version=0.0.4; charset=utf-8");
  }
  return text(req, http::status::upgrade_required,
              "this is the WebSocket endpoint: connect with subprotocol confidant.v1\n");
}

std::optional<http_response> check_upgrade(const http_request& req, std::span<const std::string> allowed_origins) {
  if (req.target() != wire::ws_path) return text(req, http::status::not_found, "WebSocket endpoint is /v1/ws\n");
  std::vector<std::string_view> origins;
  for (auto [it, end] = req.equal_range(http::field::origin); it != end; ++it) origins.push_back(it->value());
  if (!origin_allowed(origins, allowed_origins)) return text(req, http::status::forbidden, "origin not allowed\n");
  if (!offers_subprotocol(req[http::field::sec_websocket_protocol])) {
    return text(req, http::status::bad_request, "subprotocol confidant.v1 required (Sec-WebSocket-Protocol)\n");
  }
  return std::nullopt;
}

}  // namespace confidant::net
