#pragma once

// The store-and-forward queue (schema 0003): one `messages` row per accepted send (its server id
// and the record that makes resends idempotent) and one `envelopes` row per receiving device,
// deleted when that device acknowledges it or when it expires.

#include "server/store/database.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace confidant::store {

using message_id = std::array<unsigned char, 16>;

// What a send was answered with; returned again for a resend of the same message id.
struct accepted_message {
  std::int64_t id = 0;
  std::int64_t accepted_at_ms = 0;
  std::int64_t deliver_at_ms = 0;
};

[[nodiscard]] result<std::optional<accepted_message>> find_sent(database& db, std::int64_t sender,
                                                                std::int64_t sender_device, const message_id& mid);

struct new_envelope {
  std::int64_t account_id = 0;
  std::int64_t device_id = 0;
  std::int64_t deliver_at_ms = 0;
  bool held = false;  // accepted outside the recipient's window: released at deliver_at
  std::vector<unsigned char> body;
  std::vector<unsigned char> commitment;
  std::vector<unsigned char> stamp;
};

struct new_message {
  std::string kind;  // "e2e" or "expired"
  std::optional<std::int64_t> sender;
  std::optional<std::int64_t> sender_device;
  std::optional<message_id> mid;
  std::int64_t recipient = 0;
  std::int64_t accepted_at_ms = 0;
  std::int64_t deliver_at_ms = 0;
  std::int64_t expires_at_ms = 0;
};

// Inserts the message and its envelopes (none: they come later, by insert_envelopes); returns
// the server id.
[[nodiscard]] result<std::int64_t> insert_message(database& db, const new_message& m,
                                                  std::span<const new_envelope> envelopes);
// Inserts envelopes of the message with server id `message`.
[[nodiscard]] result<void> insert_envelopes(database& db, std::int64_t message, std::int64_t expires_at_ms,
                                            std::span<const new_envelope> envelopes);

// One envelope as delivered to a device.
struct pending_envelope {
  std::int64_t id = 0;  // the message's server id
  std::string kind;
  std::int64_t sender = 0;
  std::int64_t sender_device = 0;
  std::int64_t recipient = 0;
  std::int64_t accepted_at_ms = 0;
  std::vector<unsigned char> body;
  std::vector<unsigned char> commitment;
  std::vector<unsigned char> stamp;
};

// Deliverable envelopes of a device (deliver_at <= now) with a server id above `after`, in id
// order, at most `limit`.
[[nodiscard]] result<std::vector<pending_envelope>> pending_for(database& db, std::int64_t account,
                                                                std::int64_t device, std::int64_t after,
                                                                std::int64_t now_ms, std::size_t limit);
[[nodiscard]] result<std::int64_t> count_pending(database& db, std::int64_t account, std::int64_t device);

// Deletes the device's envelopes with these ids; returns how many there were.
[[nodiscard]] result<std::int64_t> delete_envelopes(database& db, std::int64_t account, std::int64_t device,
                                                    std::span<const std::int64_t> ids);

// An envelope deleted unacknowledged at its expiry.
struct expired_envelope {
  std::int64_t message = 0;
  std::string kind;
  std::optional<std::int64_t> sender;
  std::int64_t account_id = 0;  // the device that never received it
  std::int64_t device_id = 0;
};
// Deletes up to `limit` envelopes whose expiry is at or before `now_ms` and returns them.
[[nodiscard]] result<std::vector<expired_envelope>> take_expired(database& db, std::int64_t now_ms, std::size_t limit);
// Devices with held envelopes that became deliverable in (since_ms, now_ms].
[[nodiscard]] result<std::vector<std::pair<std::int64_t, std::int64_t>>> held_due(database& db, std::int64_t since_ms,
                                                                                 std::int64_t now_ms);
// The earliest deliver_at of a held envelope after now_ms, if any.
[[nodiscard]] result<std::optional<std::int64_t>> next_held(database& db, std::int64_t now_ms);

// Forgets messages accepted before `before_ms` that no envelope refers to any more.
[[nodiscard]] result<std::int64_t> purge_messages(database& db, std::int64_t before_ms);

}  // namespace confidant::store
