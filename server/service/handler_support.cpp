#include "server/service/handler_support.hpp"

#include <spdlog/spdlog.h>

namespace confidant::service {

void answer_store_failure(const backend& b, const connection& c, const std::string& rid, std::string_view what,
                          boost::system::error_code ec) {
  spdlog::error("event=request_failed what={} error=\"{}\"", what, ec.message());
  b.fail(c, {wire::errc::internal_error, "the server could not complete the request; nothing was changed", rid});
}

wire::failure rate_limited(const std::string& rid, std::chrono::milliseconds retry_after) {
  wire::failure f{wire::errc::rate_limited, "too many requests; retry after retry_after_ms", rid};
  f.extra["retry_after_ms"] = retry_after.count();
  return f;
}

bool require_role(const backend& b, const connection& c, const wire::request& req, rules::role role) {
  if (c.role == role) return true;
  b.fail(c, {wire::errc::forbidden, "only a " + std::string{rules::name(role)} + " may make this request", req.rid});
  return false;
}

}  // namespace confidant::service
