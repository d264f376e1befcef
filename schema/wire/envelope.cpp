#include "schema/wire/envelope.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/parser.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>

namespace confidant::wire {
namespace {

constexpr std::size_t max_depth = 16;
constexpr std::size_t max_id_length = 64;

result<boost::json::object> parse_object(std::string_view frame) {
  boost::json::parse_options opts;
  opts.max_depth = max_depth;
  boost::system::error_code ec;
  auto value = boost::json::parse(frame, ec, {}, opts);
  if (ec) return failure{errc::malformed_json, "the frame is not a JSON document (" + ec.message() + ")", {}};
  auto* obj = value.if_object();
  if (!obj) return failure{errc::malformed_request, "the frame must be a JSON object", {}};
  return std::move(*obj);
}

}  // namespace

bool valid_rid(std::string_view rid) noexcept {
  return !rid.empty() && rid.size() <= max_id_length && std::ranges::all_of(rid, [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == ':' || c == '-';
  });
}

bool valid_type(std::string_view type) noexcept {
  return !type.empty() && type.size() <= max_id_length && std::ranges::all_of(type, [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

result<request> parse_request(std::string_view frame) {
  auto obj = parse_object(frame);
  if (!obj) return obj.error();

  std::optional<std::string> rid;
  if (const auto* r = obj->if_contains("rid")) {
    const auto* s = r->if_string();
    if (!s || !valid_rid(*s))
      return failure{errc::malformed_request, "`rid` must be a string of 1 to 64 characters [A-Za-z0-9._:-]", {}};
    rid = std::string{*s};
  } else {
    return failure{errc::malformed_request, "every request needs a `rid`", {}};
  }
  const auto* t = obj->if_contains("type");
  const auto* type = t ? t->if_string() : nullptr;
  if (!type || !valid_type(*type))
    return failure{errc::malformed_request, "`type` must be a string of 1 to 64 characters [a-z0-9_]", rid};

  request req{std::string{*type}, std::move(*rid), std::move(*obj)};
  req.fields.erase("type");
  req.fields.erase("rid");
  return req;
}

std::string make_ok(std::string_view rid, boost::json::object fields) {
  boost::json::object out;
  out.reserve(fields.size() + 2);
  out["type"] = "ok";
  out["rid"] = rid;
  for (auto& kv : fields) out[kv.key()] = std::move(kv.value());
  return boost::json::serialize(out);
}

std::string make_error(const failure& f) {
  boost::json::object out;
  out["type"] = "error";
  if (f.rid)
    out["rid"] = *f.rid;
  else
    out["rid"] = nullptr;
  out["code"] = name(f.code);
  out["message"] = f.message;
  for (const auto& kv : f.extra) out[kv.key()] = kv.value();
  return boost::json::serialize(out);
}

std::string make_event(std::string_view type, boost::json::object fields) {
  boost::json::object out;
  out.reserve(fields.size() + 1);
  out["type"] = type;
  for (auto& kv : fields) out[kv.key()] = std::move(kv.value());
  return boost::json::serialize(out);
}

result<response> parse_response(std::string_view frame) {
  auto obj = parse_object(frame);
  if (!obj) return obj.error();
  const auto* t = obj->if_contains("type");
  const auto* type = t ? t->if_string() : nullptr;
  if (!type || !valid_type(*type)) return failure{errc::malformed_request, "`type` missing or invalid", {}};
  response out{std::string{*type}, std::nullopt, {}};
  if (const auto* r = obj->if_contains("rid")) {
    if (const auto* s = r->if_string()) out.rid = std::string{*s};
  }
  obj->erase("type");
  obj->erase("rid");
  out.fields = std::move(*obj);
  return out;
}

}  // namespace confidant::wire
