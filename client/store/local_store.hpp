#pragma once

// The client's local store: one SQLCipher database per profile (a folder), keyed by Argon2id of
// the user's passphrase (crypto/passphrase.hpp; the parameter record lives beside the database
// in `<dir>/passphrase`, it holds no secret). It holds the device's identity and prekeys, the
// end-to-end sessions (with their skipped message keys), the identities of contacts' devices
// (trust on first use, with a "verified" mark after comparing safety numbers), the message
// history, the ids of delivered server envelopes (to drop duplicates) and the outbox of sends
// not yet accepted. Nothing here is ever written outside the encrypted database.
//
// Not thread-safe: one local_store is used from one thread.
//
// Files: `<dir>/local.db` (with SQLite's `-wal` and `-shm` beside it while open) and
// `<dir>/passphrase`; the folder is 0700 and every file 0600. Errors are store_errc where the
// enum below names the case; other database failures (busy, constraint, disk full) come through
// as confidant::store::errc (server/store/error.hpp) from the underlying SQLCipher wrapper.

#include "crypto/passphrase.hpp"
#include "crypto/stores.hpp"

#include <boost/system/result.hpp>

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::store {
class db_key;
}

namespace confidant::client {

class flag_store;

enum class store_errc {
  no_profile = 1,      // no database in the folder (register first)
  profile_exists,      // create() on a folder that already has one
  wrong_passphrase,    // the key does not open the database
  weak_passphrase,     // shorter than 8 bytes
  io_error,            // the folder or a file cannot be read or written
  corrupt,             // the database is not a Confidant client store
  not_found,           // no such row
};
[[nodiscard]] const boost::system::error_category& store_category() noexcept;
[[nodiscard]] inline boost::system::error_code make_error_code(store_errc e) noexcept {
  return {static_cast<int>(e), store_category()};
}
template <class T>
using store_result = boost::system::result<T>;

// Who this device is on which server.
struct account_info {
  std::string server_url;      // as given at registration, e.g. ws://127.0.0.1:8080
  std::array<unsigned char, 32> server_key{};  // the server's Ed25519 key from hello (pinned)
  std::int64_t user = 0;
  std::int64_t device = 0;
  std::string role;
  std::string display_name;
};

struct contact {
  std::int64_t user = 0;
  std::string display_name;
  std::string role;
};

// One line of a conversation as the user sees it.
struct history_entry {
  std::int64_t local_id = 0;          // order of insertion
  std::int64_t peer = 0;              // the other user of the conversation
  bool outgoing = false;
  std::int64_t from_device = 0;       // sending device (own device for outgoing)
  std::array<unsigned char, 16> message_id{};
  std::optional<std::int64_t> server_id;  // once accepted (outgoing) / as delivered (incoming)
  std::int64_t sent_at_ms = 0;        // sender's clock
  std::optional<std::int64_t> accepted_at_ms;
  std::string text;
  std::string state;                  // "pending", "accepted", "delivered", "rejected"
  std::vector<unsigned char> stamp;   // franking stamp bytes (incoming), for quoting in a flag
  std::vector<unsigned char> franking_key;  // Kf (incoming), kept for quoting; secret
  std::vector<unsigned char> context;       // franking context bytes (incoming)
  std::vector<unsigned char> payload;       // the franked message bytes (incoming), for quoting; secret
};

// A send the server has not accepted yet (resent after a reconnect with the same message_id).
struct outbox_entry {
  std::array<unsigned char, 16> message_id{};
  std::int64_t to = 0;
  std::string text;
  std::int64_t sent_at_ms = 0;
};

class local_store {
 public:
  // Creates `dir` (0700) with a new database keyed by the passphrase, and stores the identity.
  // The profile appears at once or not at all: a crash part-way leaves no database behind.
  // `kdf` is a test hook: tests pass crypto::passphrase::minimum to spend less time in Argon2id;
  // real profiles keep the default (anything below `minimum` is refused by derive_key anyway).
  [[nodiscard]] static store_result<std::unique_ptr<local_store>> create(
      const std::filesystem::path& dir, std::string_view passphrase, const account_info& account,
      const crypto::identity_keypair& identity, crypto::passphrase::params kdf = crypto::passphrase::recommended);
  [[nodiscard]] static store_result<std::unique_ptr<local_store>> open(const std::filesystem::path& dir,
                                                                       std::string_view passphrase);
  ~local_store();

  [[nodiscard]] const account_info& account() const;

  // The crypto core's stores, backed by this database (each write is its own transaction).
  [[nodiscard]] crypto::identity_store& identities();
  [[nodiscard]] crypto::prekey_store& prekeys();
  [[nodiscard]] crypto::session_store& sessions();
  // Safeguarding flags: SPOC sealing keys, raised and received flags, notes (flag_store.hpp).
  [[nodiscard]] flag_store& flags();
  // Marks a contact device's current identity as verified (after comparing safety numbers), or
  // accepts a changed identity the user has re-verified.
  [[nodiscard]] store_result<void> mark_verified(const crypto::device_address& who, const crypto::identity_public& key);
  // False for a device never seen.
  [[nodiscard]] store_result<bool> is_verified(const crypto::device_address& who) const;
  // Every recorded device of `user` (device_address::user is the decimal user id), by device.
  [[nodiscard]] store_result<std::vector<std::pair<crypto::device_address, crypto::identity_public>>> known_identities(
      std::int64_t user) const;
  // Next id for a one-time prekey batch (ids never repeat within a device): one past the highest
  // one-time prekey id ever stored, 1 at first. Store a batch before uploading it.
  [[nodiscard]] store_result<std::uint32_t> next_prekey_id();

  [[nodiscard]] store_result<void> save_contacts(const std::vector<contact>& all);
  [[nodiscard]] store_result<std::vector<contact>> contacts() const;

  // History. add_* return the local id; an incoming entry whose server_id is already stored is
  // not added again (returns nullopt: a duplicate delivery). An empty `state` means "pending"
  // (outgoing) or "delivered" (incoming). mark_accepted: store_errc::not_found when no outgoing
  // entry has that message id.
  [[nodiscard]] store_result<std::int64_t> add_outgoing(const history_entry& e);
  [[nodiscard]] store_result<std::optional<std::int64_t>> add_incoming(const history_entry& e);
  [[nodiscard]] store_result<void> mark_accepted(const std::array<unsigned char, 16>& message_id, std::int64_t server_id,
                                                 std::int64_t accepted_at_ms);
  // The last `limit` entries of the conversation with `peer`, oldest first.
  [[nodiscard]] store_result<std::vector<history_entry>> history(std::int64_t peer, std::size_t limit) const;
  // Incoming entries (not outgoing) with local_id > after, oldest first (for `inbox`).
  [[nodiscard]] store_result<std::vector<history_entry>> incoming_since(std::int64_t after) const;
  [[nodiscard]] store_result<bool> seen_server_id(std::int64_t server_id) const;

  // Outbox: added before the first send, removed once the server accepted it (oldest first;
  // removing an absent id is store_errc::not_found).
  [[nodiscard]] store_result<void> outbox_add(const outbox_entry& e);
  [[nodiscard]] store_result<void> outbox_remove(const std::array<unsigned char, 16>& message_id);
  [[nodiscard]] store_result<std::vector<outbox_entry>> outbox() const;

  // Runs `fn` in one transaction: every store write inside it (the crypto stores' too) commits
  // together or not at all. Used so that a decrypted message and the advanced session state are
  // stored together (a crash between them would lose the message). `fn` failing (or throwing)
  // rolls everything back. A nested call joins the outer transaction as a savepoint.
  [[nodiscard]] store_result<void> atomically(const std::function<store_result<void>()>& fn);

  // Small named values (e.g. the last inbox position).
  [[nodiscard]] store_result<std::optional<std::string>> get(std::string_view key) const;
  [[nodiscard]] store_result<void> put(std::string_view key, std::string_view value);

 private:
  struct impl;
  explicit local_store(std::unique_ptr<impl> p);
  [[nodiscard]] static store_result<std::unique_ptr<local_store>> open_keyed(const std::filesystem::path& dir,
                                                                             const store::db_key& key);
  std::unique_ptr<impl> impl_;
};

}  // namespace confidant::client

template <>
struct boost::system::is_error_code_enum<confidant::client::store_errc> : std::true_type {};
