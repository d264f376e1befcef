#include "server/service/handler_support.hpp"

#include <spdlog/spdlog.h>

namespace confidant::service {

void answer_store_failure(const backend& b, const connection& c, const std::string& rid, std::string_view what,
                          boost::system::error_code ec) {
  spdlog::error("event=request_failed what={} error=\"{}\"", what, ec.message());
  b.fail(c, {wire::errc::internal_error, "the server could not complete the request (a storage failure or a bug); try again later (a send or flag with the same id)", rid});
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

std::optional<sealed_bodies> read_sealed_bodies(wire::field_reader& in, std::string_view key, std::size_t max_items,
                                                bool required) {
  const auto* arr = in.array(key, {.min_items = 1, .max_items = max_items, .required = required});
  if (!arr) return in.ok() ? std::optional<sealed_bodies>{sealed_bodies{}} : std::nullopt;
  sealed_bodies out;
  for (std::size_t i = 0; i < arr->size(); ++i) {
    const auto name = std::string{key} + "[" + std::to_string(i) + "]";
    const auto* obj = (*arr)[i].if_object();
    if (!obj) {
      in.reject(wire::errc::invalid_field, "field `" + name + "` must be an object");
      return std::nullopt;
    }
    std::int64_t user = 0;
    std::vector<unsigned char> body;
    const bool ok = in.nested(*obj, name + ".", [&](wire::field_reader& sub) {
      const auto u = sub.integer("user", {.min = 1, .max = max_user_id});
      auto b = sub.binary("body", {.min_bytes = 1, .max_bytes = max_sealed_body_bytes});
      if (!sub.ok()) return;
      user = *u;
      body = std::move(*b);
    });
    if (!ok) return std::nullopt;
    if (!out.emplace(user, std::move(body)).second) {
      in.reject(wire::errc::invalid_field, "field `" + std::string{key} + "` names the same user twice");
      return std::nullopt;
    }
  }
  return out;
}

}  // namespace confidant::service
