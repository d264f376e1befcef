#pragma once

#include "schema/wire/envelope.hpp"

#include <boost/json/object.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace confidant::wire {

// hello: the first request on a connection. The client lists the protocol versions it speaks;
// the server answers with the one it chose, its clock and its limits.
struct hello_request {
  std::vector<std::string> versions;
  std::optional<std::string> client;  // e.g. "confidant-cli/0.1.0", for the operator's metrics
};

struct hello_reply {
  std::string version;      // always "confidant.v1" for now
  std::string server;       // "confidantd/0.1.0"
  std::string server_time;  // RFC 3339, UTC, milliseconds: 2026-11-23T14:05:09.123Z
  std::string tenant;       // the LA's display name
  std::string server_key;   // base64url of the server's Ed25519 public key
  std::int64_t max_frame_bytes = 0;
  std::int64_t idle_timeout_seconds = 0;
};

[[nodiscard]] result<hello_request> read_hello(const request& req);
[[nodiscard]] boost::json::object to_json(const hello_request& h);

[[nodiscard]] boost::json::object to_json(const hello_reply& h);
[[nodiscard]] result<hello_reply> read_hello_reply(const boost::json::object& fields);

}  // namespace confidant::wire
