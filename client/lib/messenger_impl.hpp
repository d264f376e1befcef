#pragma once

// The messenger's state, shared by its source files (messenger*.cpp). Not a public header.

#include "client/lib/messenger.hpp"

#include <boost/json/object.hpp>

#include <map>

namespace confidant::client {

struct messenger::impl {
  std::filesystem::path profile;
  messenger_options opts;
  std::unique_ptr<local_store> store;
  crypto::system_random rng;
  std::unique_ptr<crypto::sesame::session_manager> sessions;
  std::unique_ptr<connection> conn;
  std::int64_t pending = 0;
  std::vector<notice> notices;
  std::vector<std::int64_t> to_ack;
  // Entries stored while connecting or sending (handed out by the next receive()).
  std::vector<history_entry> early;
  // Delivery receipts to send, by sender (message ids of the texts received from them).
  std::map<std::int64_t, std::vector<message_id>> receipts_due;
  // From the last hello: the server's clock minus this device's, and the frame limit.
  std::int64_t clock_offset_ms = 0;
  std::int64_t max_frame_bytes = 65536;
  // Last: destroyed first, while the store they use is still there.
  std::vector<std::unique_ptr<messenger_extension>> extensions;

  // --- helpers (messenger.cpp) -------------------------------------------------------------------
  [[nodiscard]] std::int64_t now_ms() const;
  [[nodiscard]] const account_info& account() const { return store->account(); }
  [[nodiscard]] crypto::device_address self_address() const;
  [[nodiscard]] static crypto::device_address address(std::int64_t user, std::int64_t device);
  void make_sessions();
  void note(notice::kind what, std::int64_t user, std::int64_t device, std::string text);
  [[nodiscard]] std::string name_of(std::int64_t user) const;

  // A request on the logged-in connection: the ok answer, or a failure (an error answer becomes
  // errc::error_answer with the server's code; `what` says what was being done).
  [[nodiscard]] outcome<wire::response> call(std::string_view type, boost::json::object fields, std::string_view what);
  // The same, but an error answer is returned as a response for the caller to inspect.
  [[nodiscard]] outcome<wire::response> call_any(std::string_view type, boost::json::object fields);

  // Opens the connection and sends hello; returns the server's key.
  [[nodiscard]] outcome<std::array<std::uint8_t, 32>> open_and_greet(const server_url& url);
  [[nodiscard]] outcome<codec::account_answer> login();

  // Device lists per user (settings "devices/<user>"), learnt from contacts, bundles and
  // device_mismatch answers.
  [[nodiscard]] std::vector<std::int64_t> device_list(std::int64_t user) const;
  [[nodiscard]] outcome<void> set_device_list(std::int64_t user, std::vector<std::int64_t> devices);

  // Changed identities awaiting re-verification (settings "identity_changes": a JSON object
  // "<user>/<device>" -> base64url identity) and messages held for them (settings "held").
  [[nodiscard]] std::map<std::string, std::string> changed_identities() const;
  [[nodiscard]] outcome<void> record_changed(std::int64_t user, std::int64_t device, const crypto::identity_public& id);
  [[nodiscard]] bool has_changed(std::int64_t user) const;

  // --- prekeys (messenger.cpp) -------------------------------------------------------------------
  [[nodiscard]] outcome<void> replenish(std::int64_t held_on_server);
  [[nodiscard]] outcome<void> rotate_signed_prekey_if_due();

  // --- sending (messenger_send.cpp) --------------------------------------------------------------
  [[nodiscard]] outcome<codec::send_answer> deliver(const outbox_entry& e, std::size_t& envelopes);
  // The same for any payload (receipts are sent this way, without an outbox entry). Without
  // `may_start_sessions` it fails (undeliverable) rather than start a session with any device.
  [[nodiscard]] outcome<codec::send_answer> deliver_payload(std::int64_t to, const message_id& id,
                                                            std::int64_t sent_at_ms,
                                                            std::span<const std::uint8_t> plaintext,
                                                            std::size_t& envelopes, bool may_start_sessions = true);
  // Sends the delivery receipts due (best effort: a receipt that cannot go is dropped).
  void send_receipts();
  [[nodiscard]] outcome<std::vector<codec::device_bundle>> fetch_bundles(std::int64_t user);

  // --- receiving (messenger_receive.cpp) ---------------------------------------------------------
  // `replay` is set when re-handling a held message (already acknowledged).
  [[nodiscard]] outcome<void> handle_event(const wire::response& e, std::vector<history_entry>& out);
  [[nodiscard]] outcome<void> handle_message(const boost::json::object& fields, std::vector<history_entry>& out,
                                             bool replay);
  [[nodiscard]] outcome<void> flush_acks();
  // Handles the events already queued (and, with `wait`, those arriving until the queue has been
  // quiet that long) into `early`: incoming sessions are set up before this device starts its own
  // with the same peer (two devices starting sessions with each other at once lose messages).
  [[nodiscard]] outcome<void> drain(std::chrono::milliseconds first);
  [[nodiscard]] outcome<void> hold(const boost::json::object& fields);
};

[[nodiscard]] failure store_failure(const boost::system::error_code& ec, std::string_view what);

}  // namespace confidant::client
