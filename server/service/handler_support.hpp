#pragma once

// Small pieces every handler file uses.

#include "schema/wire/base64url.hpp"
#include "schema/wire/fields.hpp"
#include "server/rules/time_format.hpp"
#include "server/service/backend.hpp"
#include "server/service/connection.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/system/error_code.hpp>

#include <array>
#include <map>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::service {

inline constexpr std::int64_t max_user_id = std::int64_t{1} << 53;
inline constexpr std::int64_t max_device_id = 2147483647;

[[nodiscard]] inline std::string b64(std::span<const unsigned char> bytes) { return wire::to_base64url(bytes); }

[[nodiscard]] inline std::string time_text(std::int64_t ms) {
  return rules::format_utc(rules::time_point{std::chrono::milliseconds{ms}});
}

// A storage failure seen by a request: logged without content, answered internal_error.
void answer_store_failure(const backend& b, const connection& c, const std::string& rid, std::string_view what,
                          boost::system::error_code ec);

// The answer for a limiter's refusal.
[[nodiscard]] wire::failure rate_limited(const std::string& rid, std::chrono::milliseconds retry_after);

// Fails with `forbidden` unless the connection's account has `role`.
[[nodiscard]] bool require_role(const backend& b, const connection& c, const wire::request& req, rules::role role);

// Sealed bodies by owner (docs/protocol.md 7.16, 7.29): an array of objects {user, body}, each
// body 1 to 8192 bytes, no user twice. Absent and optional: empty.
inline constexpr std::size_t max_sealed_body_bytes = 8192;
using sealed_bodies = std::map<std::int64_t, std::vector<unsigned char>>;
[[nodiscard]] std::optional<sealed_bodies> read_sealed_bodies(wire::field_reader& in, std::string_view key,
                                                              std::size_t max_items, bool required);

// Reads an exact-size binary field into an array.
template <std::size_t N>
[[nodiscard]] std::optional<std::array<unsigned char, N>> read_fixed(wire::field_reader& in, std::string_view key,
                                                                      bool required = true) {
  auto v = in.binary(key, {.min_bytes = N, .max_bytes = N, .required = required});
  if (!v) return std::nullopt;
  std::array<unsigned char, N> out{};
  std::copy(v->begin(), v->end(), out.begin());
  return out;
}

}  // namespace confidant::service
