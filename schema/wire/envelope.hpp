#pragma once

#include "schema/wire/errc.hpp"

#include <boost/json/object.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace confidant::wire {

inline constexpr std::string_view subprotocol = "confidant.v1";
inline constexpr std::string_view version = "confidant.v1";
inline constexpr std::string_view ws_path = "/v1/ws";

// Why a frame was refused: a stable code, a message for people, and the request id when it
// could be read. Messages name fields and rules, never the values received.
struct failure {
  errc code;
  std::string message;
  std::optional<std::string> rid;
  boost::json::object extra = {};  // members some codes add (retry_after_ms, missing/stale)
};

template <class T>
using result = boost::system::result<T, failure>;

// A request frame: {"type": "...", "rid": "...", ...fields}. `fields` holds the rest.
struct request {
  std::string type;
  std::string rid;
  boost::json::object fields;
};

// Parses one text frame into a request envelope. Limits: nesting depth 16, `type` 1-64 of
// [a-z0-9_], `rid` 1-64 of [A-Za-z0-9._:-].
[[nodiscard]] result<request> parse_request(std::string_view frame);

// Answers. `fields` may not contain "type" or "rid"; they are set here.
[[nodiscard]] std::string make_ok(std::string_view rid, boost::json::object fields = {});
[[nodiscard]] std::string make_error(const failure& f);
// A server event (no rid).
[[nodiscard]] std::string make_event(std::string_view type, boost::json::object fields = {});

// A parsed answer or event, as a client reads it.
struct response {
  std::string type;                // "ok", "error", or an event type
  std::optional<std::string> rid;  // absent for events
  boost::json::object fields;      // everything else
};
[[nodiscard]] result<response> parse_response(std::string_view frame);

[[nodiscard]] bool valid_rid(std::string_view rid) noexcept;
[[nodiscard]] bool valid_type(std::string_view type) noexcept;

}  // namespace confidant::wire
