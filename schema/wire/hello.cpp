#include "schema/wire/hello.hpp"

#include "schema/wire/fields.hpp"

#include <boost/json/array.hpp>

namespace confidant::wire {

result<hello_request> read_hello(const request& req) {
  field_reader in{req};
  auto versions = in.strings("versions", {.min_items = 1, .max_items = 8, .max_length = 32});
  auto client = in.text("client", {.min_length = 1, .max_length = 64, .required = false});
  if (auto done = in.finish(); !done) return done.error();
  return hello_request{std::move(*versions), std::move(client)};
}

boost::json::object to_json(const hello_request& h) {
  boost::json::object o;
  boost::json::array versions;
  for (const auto& v : h.versions) versions.emplace_back(v);
  o["versions"] = std::move(versions);
  if (h.client) o["client"] = *h.client;
  return o;
}

boost::json::object to_json(const hello_reply& h) {
  return {
      {"version", h.version},
      {"server", h.server},
      {"server_time", h.server_time},
      {"tenant", h.tenant},
      {"server_key", h.server_key},
      {"limits", {{"max_frame_bytes", h.max_frame_bytes}, {"idle_timeout_seconds", h.idle_timeout_seconds}}},
  };
}

result<hello_reply> read_hello_reply(const boost::json::object& fields) {
  const auto bad = failure{errc::malformed_request, "the hello answer is missing a field or has a wrong type", {}};
  auto str = [&](const char* k) -> const boost::json::string* {
    const auto* v = fields.if_contains(k);
    return v ? v->if_string() : nullptr;
  };
  const auto* limits_v = fields.if_contains("limits");
  const auto* limits = limits_v ? limits_v->if_object() : nullptr;
  if (!str("version") || !str("server") || !str("server_time") || !str("tenant") || !str("server_key") || !limits)
    return bad;
  auto num = [&](const char* k) -> std::optional<std::int64_t> {
    const auto* v = limits->if_contains(k);
    if (!v || !v->is_int64()) return std::nullopt;
    return v->as_int64();
  };
  const auto max_frame = num("max_frame_bytes");
  const auto idle = num("idle_timeout_seconds");
  if (!max_frame || !idle) return bad;
  return hello_reply{std::string{*str("version")}, std::string{*str("server")}, std::string{*str("server_time")},
                     std::string{*str("tenant")}, std::string{*str("server_key")}, *max_frame, *idle};
}

}  // namespace confidant::wire
