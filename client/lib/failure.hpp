#pragma once

#include "client/lib/errc.hpp"

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <string>

namespace confidant::client {

// What went wrong: a code to act on (client::errc, or the local store's or the crypto core's
// own codes), and a sentence for a person. An error answer from the server carries its stable
// code (docs/protocol.md section 6) in server_code; a close by the server carries its close code.
struct failure {
  boost::system::error_code code;
  std::string detail;
  std::string server_code;           // e.g. "not_paired" when code == errc::error_answer
  int close_code = 0;                // the server's WebSocket close code, when it closed
  std::int64_t retry_after_ms = -1;  // from rate_limited answers
};

template <class T>
using outcome = boost::system::result<T, failure>;

[[nodiscard]] inline failure make_failure(errc code, std::string detail) {
  return {make_error_code(code), std::move(detail), {}, 0, -1};
}
[[nodiscard]] inline failure make_failure(boost::system::error_code code, std::string detail) {
  return {code, std::move(detail), {}, 0, -1};
}

}  // namespace confidant::client
