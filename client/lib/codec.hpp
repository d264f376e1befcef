#pragma once

// The client's side of docs/protocol.md revision 2: builds request fields and reads answers and
// events into typed values. Every read checks presence, JSON type, range and binary length and
// fails with errc::bad_answer naming the field; unknown members are ignored (section 1).

#include "client/lib/failure.hpp"
#include "crypto/bundle.hpp"
#include "crypto/identity.hpp"
#include "crypto/prekeys.hpp"
#include "schema/wire/envelope.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client::codec {

using bytes = std::vector<std::uint8_t>;

// --- times (section 4: "YYYY-MM-DDTHH:MM:SS.mmmZ") -------------------------------------------
[[nodiscard]] std::optional<std::int64_t> parse_time_ms(std::string_view text);
[[nodiscard]] std::string format_time_ms(std::int64_t ms_since_epoch);

// --- reading fields ---------------------------------------------------------------------------
[[nodiscard]] outcome<std::int64_t> get_int(const boost::json::object& o, std::string_view key);
[[nodiscard]] outcome<std::string> get_string(const boost::json::object& o, std::string_view key);
[[nodiscard]] outcome<bool> get_bool(const boost::json::object& o, std::string_view key);
[[nodiscard]] outcome<std::int64_t> get_time(const boost::json::object& o, std::string_view key);
// Base64url without padding, of exactly `size` bytes (or min..max when size is 0).
[[nodiscard]] outcome<bytes> get_binary(const boost::json::object& o, std::string_view key, std::size_t size,
                                        std::size_t min = 1, std::size_t max = SIZE_MAX);

// One audit entry as flag_show (7.27) and cycle_show (7.34) list it, `{"at", "action", "actor"}`;
// the actor for people: as sent when a string ("operator", "server", "user:5"), "user 5" for a
// user id, "user 5, device 1" for a device.
struct history_item {
  std::int64_t at_ms = 0;
  std::string action;
  std::string actor;
};
[[nodiscard]] outcome<history_item> read_history_item(const boost::json::object& h);

// An `error` answer as a failure: errc::error_answer, the server's code, and `what` for people.
[[nodiscard]] failure from_error_answer(const wire::response& r, std::string_view what);

// --- requests ---------------------------------------------------------------------------------
[[nodiscard]] boost::json::object to_json(const crypto::signed_prekey_public& k);
[[nodiscard]] boost::json::object to_json(const crypto::one_time_prekey_public& k);
[[nodiscard]] boost::json::array to_json(std::span<const crypto::one_time_prekey> keys);
[[nodiscard]] boost::json::object register_fields(std::string_view invite, const crypto::identity_public& identity,
                                                  const crypto::signed_prekey_public& spk,
                                                  std::span<const crypto::one_time_prekey> one_time);

// The 82 bytes a device signs to log in (7.6): "Confidant_Login_v1" ‖ server_key ‖ nonce.
inline constexpr std::string_view login_label = "Confidant_Login_v1";
[[nodiscard]] bytes login_message(std::span<const std::uint8_t, 32> server_key, std::span<const std::uint8_t, 32> nonce);

// --- answers and events ------------------------------------------------------------------------
struct device_ref {
  std::int64_t user = 0;
  std::int64_t device = 0;
  friend auto operator<=>(const device_ref&, const device_ref&) = default;
};

struct account_answer {  // register and login
  std::int64_t user = 0;
  std::int64_t device = 0;
  std::string role;
  std::string display_name;
  std::int64_t pending = 0;           // login only
  std::int64_t one_time_prekeys = 0;  // login only
};
[[nodiscard]] outcome<account_answer> read_register(const boost::json::object& o);
[[nodiscard]] outcome<account_answer> read_login(const boost::json::object& o);

struct device_bundle {
  std::int64_t device = 0;
  crypto::prekey_bundle bundle;
};
// Each bundle is verified (signatures, points); a bad one fails the whole answer.
[[nodiscard]] outcome<std::vector<device_bundle>> read_bundle(const boost::json::object& o, std::int64_t user);

// `missing` / `stale` of a device_mismatch error.
[[nodiscard]] outcome<std::vector<device_ref>> read_device_refs(const boost::json::object& o, std::string_view key);

struct contact_info {
  std::int64_t user = 0;
  std::string display_name;
  std::string role;
  std::vector<std::int64_t> devices;
};
[[nodiscard]] outcome<std::vector<contact_info>> read_contacts(const boost::json::object& o);

struct device_info {
  std::int64_t device = 0;
  bytes identity;
  std::int64_t created_at_ms = 0;
  bool current = false;
};
[[nodiscard]] outcome<std::vector<device_info>> read_devices(const boost::json::object& o);

struct send_answer {
  std::int64_t id = 0;
  std::int64_t accepted_at_ms = 0;
  std::int64_t deliver_at_ms = 0;
};
[[nodiscard]] outcome<send_answer> read_send(const boost::json::object& o);

struct message_event {
  std::int64_t id = 0;
  device_ref from;
  std::int64_t to = 0;
  std::int64_t accepted_at_ms = 0;
  bytes body;
  std::array<std::uint8_t, 32> commitment{};
  bytes stamp;
};
[[nodiscard]] outcome<message_event> read_message_event(const boost::json::object& o);

struct expired_event {
  std::int64_t id = 0;
  std::int64_t message = 0;
  device_ref device;
};
[[nodiscard]] outcome<expired_event> read_expired_event(const boost::json::object& o);

}  // namespace confidant::client::codec
