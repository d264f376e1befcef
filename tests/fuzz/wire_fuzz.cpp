// The wire codec (schema/wire): one text frame as a request (parse_request, then field_reader
// reads of every kind, chosen from each member's name so that wrong kinds are read too, nested
// objects included, and read_hello), and the same frame as an answer (parse_response,
// read_hello_reply). Checks what the codec promises: an accepted request round-trips through
// make_ok/parse_response, accepted base64url re-encodes to the same text, error answers parse.
#include "schema/wire/base64url.hpp"
#include "schema/wire/envelope.hpp"
#include "schema/wire/fields.hpp"
#include "schema/wire/hello.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

using namespace confidant;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "wire_fuzz: invariant broken: %s\n", what);
    std::abort();
  }
}

// A small deterministic hash of a member name: which accessor reads it and with what limits.
std::uint32_t pick(std::string_view key) {
  std::uint32_t h = 2166136261u;
  for (const char c : key) h = (h ^ static_cast<unsigned char>(c)) * 16777619u;
  return h;
}

void read_fields(wire::field_reader& in, const boost::json::object& fields, int depth) {
  for (const auto& kv : fields) {
    const std::string_view key = kv.key();
    const auto h = pick(key);
    const bool required = (h >> 8) & 1;
    const std::size_t lo = (h >> 9) & 3;
    const std::size_t hi = lo + ((h >> 11) & 63);
    switch (h % 8) {
      case 0:
        (void)in.text(key, {.min_length = lo, .max_length = hi, .required = required});
        break;
      case 1:
        (void)in.strings(key, {.min_items = lo, .max_items = hi, .max_length = hi + 1, .required = required});
        break;
      case 2:
        (void)in.integer(key, {.min = -static_cast<std::int64_t>(hi), .max = static_cast<std::int64_t>(h), .required = required});
        break;
      case 3:
        if (auto b = in.binary(key, {.min_bytes = lo, .max_bytes = hi * 4, .required = required})) {
          const auto* s = kv.value().if_string();
          check(s != nullptr, "binary accepted a non-string");
          check(wire::to_base64url(*b) == std::string_view{*s}, "base64url is not canonical");
        }
        break;
      case 4:
        if (const auto* o = in.object(key, required); o && depth < 4) {
          (void)in.nested(*o, std::string{key} + ".", [&](wire::field_reader& sub) { read_fields(sub, *o, depth + 1); });
        }
        break;
      case 5:
        (void)in.array(key, {.min_items = lo, .max_items = hi, .required = required});
        break;
      case 6:
        (void)in.boolean(key, required);
        break;
      default:
        break;  // left unread: finish() must name it unknown_field
    }
  }
  // A field the frame does not have, required or not.
  (void)in.text("absent", {.required = (fields.size() & 1) != 0});
}

// Boost.JSON 1.81 reads out-of-range numbers (1e400) as infinity and serializes it as
// "Infinity", which is not JSON, and its number parsing is not exactly rounded: fields holding
// doubles do not round-trip. The protocol has no doubles and never echoes a client's value.
bool has_double(const boost::json::value& v) {
  if (v.is_double()) return true;
  if (const auto* o = v.if_object()) {
    for (const auto& kv : *o)
      if (has_double(kv.value())) return true;
  }
  if (const auto* a = v.if_array()) {
    for (const auto& x : *a)
      if (has_double(x)) return true;
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view frame{reinterpret_cast<const char*>(data), size};

  if (auto req = wire::parse_request(frame)) {
    check(wire::valid_rid(req->rid) && wire::valid_type(req->type), "accepted an invalid rid or type");
    check(!req->fields.contains("rid") && !req->fields.contains("type"), "envelope members left in fields");
    wire::field_reader in{*req};
    read_fields(in, req->fields, 0);
    if (auto done = in.finish(); !done) {
      check(done.error().rid == req->rid, "a field error lost the rid");
      check(wire::parse_response(wire::make_error(done.error())).has_value(), "an error answer does not parse");
    }
    (void)wire::read_hello(*req);

    // An ok answer carrying the request's fields reads back as exactly that.
    const bool doubles = std::ranges::any_of(req->fields, [](const auto& kv) { return has_double(kv.value()); });
    if (!doubles) {
      auto back = wire::parse_response(wire::make_ok(req->rid, req->fields));
      check(back.has_value(), "make_ok output does not parse");
      check(back->type == "ok" && back->rid == req->rid, "make_ok round trip changed type or rid");
      check(back->fields == req->fields, "make_ok round trip changed the fields");
    }
  } else {
    check(wire::parse_response(wire::make_error(req.error())).has_value(), "an envelope error answer does not parse");
  }

  if (auto res = wire::parse_response(frame)) {
    check(wire::valid_type(res->type), "answer with an invalid type");
    if (res->type == "ok") (void)wire::read_hello_reply(res->fields);
    (void)wire::make_event(res->type, res->fields);
  }
  return 0;
}
