#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <functional>
#include <optional>
#include <span>
#include <string>

namespace confidant::service {
class metrics;
}

namespace confidant::net {

using http_request = boost::beast::http::request<boost::beast::http::string_body>;
using http_response = boost::beast::http::response<boost::beast::http::string_body>;

struct route_context {
  service::metrics& metrics;
  const std::function<bool()>& ready;
};

// Plain HTTP: GET /healthz, /readyz, /metrics; everything else 404/405. A pure function of the
// request (Beast advanced_server's handle_request).
[[nodiscard]] http_response handle_http(const http_request& req, const route_context& ctx);

// For a WebSocket upgrade request: nullopt to accept it, or the refusal to send, checked in this
// order: wrong path (404), an Origin not in `allowed_origins` (403, origin_allowed in
// origin.hpp), subprotocol confidant.v1 not offered (400).
[[nodiscard]] std::optional<http_response> check_upgrade(const http_request& req,
                                                         std::span<const std::string> allowed_origins);

}  // namespace confidant::net
