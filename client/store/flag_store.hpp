#pragma once

// Safeguarding flags in the client's local store (migration 0002): this device's SPOC sealing
// keys, the flags it raised, and the flags, quotes and notes a SPOC device received. Reached
// through local_store::flags() (an interface here; the database version is db_flag_store, whose
// every write is a write scope, so it joins local_store::atomically). Texts, bodies, quotes and
// secrets live only inside the encrypted database.

#include "client/store/local_store.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client {

struct spoc_key_record {
  std::uint32_t key_id = 0;
  std::vector<unsigned char> secret;       // X25519 secret, 32 bytes
  std::vector<unsigned char> certificate;  // 149 bytes
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> published_at_ms;
  std::optional<std::int64_t> retired_at_ms;
};

struct raised_flag {
  std::array<unsigned char, 16> flag_id{};
  std::optional<std::int64_t> server_id;
  std::string category;
  std::string urgency;
  std::string state;  // pending | received | acknowledged | resolved | failed
  std::string text;
  std::vector<unsigned char> body;  // the exact body sealed
  std::int64_t quotes = 0;
  std::int64_t created_at_ms = 0;
  std::optional<std::int64_t> raised_at_ms;
  std::optional<std::int64_t> deadline_at_ms;
  std::optional<std::int64_t> acknowledged_at_ms;
  std::optional<std::int64_t> resolved_at_ms;
  bool out_of_hours = false;
  std::string emergency_route;
  std::string problem;
};

struct received_quote {
  std::int64_t position = 0;
  std::vector<unsigned char> quote;
  bool verified = false;
  std::string problem;
  std::string sender;
  std::string recipient;
  std::int64_t stamped_at_ms = 0;
  std::string text;
};

struct received_flag {
  std::int64_t server_id = 0;
  std::string category;
  std::string urgency;
  std::string state;
  std::int64_t raised_at_ms = 0;
  std::int64_t deadline_at_ms = 0;
  std::optional<std::int64_t> acknowledged_at_ms;
  std::optional<std::int64_t> resolved_at_ms;
  std::int64_t raised_by_user = 0;
  std::int64_t raised_by_device = 0;
  std::optional<std::int64_t> acknowledged_by;
  std::optional<std::int64_t> resolved_by;
  std::string outcome;
  std::int64_t escalations = 0;
  bool legal_hold = false;
  bool alert = false;
  std::int64_t received_at_ms = 0;
  std::optional<std::int64_t> key_id;
  std::vector<unsigned char> sealed;
  // Filled in once opened:
  bool opened = false;
  std::string problem;  // why it could not be opened, or what does not match the metadata
  std::vector<unsigned char> flagger_identity;
  std::vector<unsigned char> body_flag_id;
  std::string body_category;
  std::string body_urgency;
  std::int64_t body_raiser_user = 0;
  std::int64_t body_raiser_device = 0;
  std::int64_t raised_at_client_ms = 0;
  std::string text;
  std::vector<received_quote> quotes;  // read with the flag, written by set_opened()
};

struct flag_note_record {
  std::int64_t flag = 0;
  std::int64_t note = 0;
  std::int64_t author_user = 0;
  std::int64_t author_device = 0;
  std::int64_t added_at_ms = 0;
  bool verified = false;
  std::string problem;
  std::string text;
};

class flag_store {
 public:
  virtual ~flag_store() = default;

  // --- SPOC sealing keys -------------------------------------------------------------------------
  [[nodiscard]] virtual store_result<void> add_key(const spoc_key_record& k) = 0;
  // Marks `key_id` published and every older published key retired (kept).
  [[nodiscard]] virtual store_result<void> mark_published(std::uint32_t key_id, std::int64_t at_ms) = 0;
  [[nodiscard]] virtual store_result<std::vector<spoc_key_record>> keys() const = 0;  // by key id

  // --- flags this device raised ----------------------------------------------------------------
  [[nodiscard]] virtual store_result<void> add_raised(const raised_flag& f) = 0;
  // Replaces every column but flag_id (store_errc::not_found when absent).
  [[nodiscard]] virtual store_result<void> update_raised(const raised_flag& f) = 0;
  [[nodiscard]] virtual store_result<std::vector<raised_flag>> raised() const = 0;  // newest first
  [[nodiscard]] virtual store_result<std::optional<raised_flag>> raised_by_server_id(std::int64_t id) const = 0;
  // Sets the state (and its time) of a raised flag from a flag_state event or a listing; false
  // when no raised flag has that server id.
  [[nodiscard]] virtual store_result<bool> set_raised_state(std::int64_t server_id, std::string_view state,
                                                            std::optional<std::int64_t> at_ms) = 0;

  // --- flags this SPOC device received -------------------------------------------------------------
  // False when the server id is stored already (at-least-once delivery: the first copy wins).
  [[nodiscard]] virtual store_result<bool> add_received(const received_flag& f) = 0;
  // Replaces the server's metadata (state, times, outcome, escalations, hold) of a stored flag.
  [[nodiscard]] virtual store_result<void> update_metadata(const received_flag& f) = 0;
  // Records the opened body (or why it could not be opened) and its quotes.
  [[nodiscard]] virtual store_result<void> set_opened(const received_flag& f) = 0;
  [[nodiscard]] virtual store_result<std::optional<received_flag>> received(std::int64_t server_id) const = 0;
  [[nodiscard]] virtual store_result<std::vector<received_flag>> received_all() const = 0;  // newest first, no quotes
  [[nodiscard]] virtual store_result<void> set_escalations(std::int64_t server_id, std::int64_t escalations) = 0;

  // --- notes ---------------------------------------------------------------------------------------
  // False when that (flag, note) is stored already.
  [[nodiscard]] virtual store_result<bool> add_note(const flag_note_record& n) = 0;
  [[nodiscard]] virtual store_result<std::vector<flag_note_record>> notes(std::int64_t flag) const = 0;
};

}  // namespace confidant::client
