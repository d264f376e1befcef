#pragma once

// The messaging client (DESIGN.md section 7): one device's account on one server, its local
// encrypted store (client/store) and its end-to-end sessions (crypto::sesame), over one blocking
// connection. It registers and logs in (docs/protocol.md 7.4-7.6, refusing a server whose key
// changed since registration), keeps the server's supply of one-time prekeys up (7.7), sends
// (7.13: franking commitment, one Sesame envelope per device, device_mismatch handled, an outbox
// entry before the first attempt and resent after a reconnect) and receives (7.15: decrypt, open
// the commitment, verify the server's stamp, store message and session together, then ack in
// batches; anything that fails is kept as "rejected" and still acknowledged).
//
// A contact device whose identity key changed is never silently accepted: its messages are held
// (acknowledged to the server, kept encrypted in the store) and sends to it are refused until the
// user compares safety numbers again and calls verify().
//
// Not thread-safe: one messenger is used from one thread (like local_store and connection).

#include "client/lib/backoff.hpp"
#include "client/lib/codec.hpp"
#include "client/lib/connection.hpp"
#include "client/lib/failure.hpp"
#include "client/lib/payload.hpp"
#include "client/lib/url.hpp"
#include "client/store/local_store.hpp"
#include "crypto/passphrase.hpp"
#include "crypto/random.hpp"
#include "crypto/sesame.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace confidant::client {

struct messenger_options {
  connection::options conn;
  // Milliseconds since the epoch (the sender's clock for franking contexts and history).
  std::function<std::int64_t()> now_ms;
  // Argon2id parameters for a new profile (tests pass crypto::passphrase::minimum).
  crypto::passphrase::params kdf = crypto::passphrase::recommended;
  std::uint32_t prekey_batch = 100;    // one-time prekeys generated at a time
  std::int64_t prekey_low_water = 20;  // replenish at login when the server holds fewer
  std::size_t ack_batch = 32;          // acknowledge once this many ids are stored
  // Tests set false to act as a client that crashes after storing and before acknowledging.
  bool acknowledge = true;
  // Send a delivery receipt (inside the encryption) for the texts received.
  bool send_receipts = true;
  // How long receive() waits for further events once the queue is empty.
  std::chrono::milliseconds quiet{400};
  std::string client_name = "confidant-cli/0.1.0";
};

// A safeguarding flag event for people: category and urgency only, never content (7.28).
struct flag_summary {
  std::string event;  // flag (a SPOC device received one), alert (deadline missed), note, state (raiser)
  std::int64_t id = 0;
  std::string category;
  std::string urgency;
  std::string state;
  bool alert = false;  // a SPOC device should alert now (primary, or a deputy on escalation)
  std::int64_t escalations = 0;
  std::int64_t deadline_at_ms = 0;
};

// A support programme event for people (7.40): what changed, never a concern, answer or note.
struct programme_summary {
  std::string event;  // cycle | note_notice
  std::int64_t cycle = 0;
  std::string change;  // of a cycle event: paired, closed, feedback_requested, ...
  std::string prompt;  // "make_contact" to the associate on paired
  std::int64_t item = 0;     // feedback_released
  std::int64_t meeting = 0;  // note_notice
};

// What a call noticed besides its result: identity changes, new devices, expired messages,
// safeguarding flag events, programme events.
struct notice {
  enum class kind { identity_changed, new_device, expired, receipt, send_failed, info, flag, programme };
  kind what = kind::info;
  std::int64_t user = 0;
  std::int64_t device = 0;
  std::string text;  // one sentence for people
  std::optional<flag_summary> flag;  // kind::flag
  std::optional<programme_summary> programme = std::nullopt;  // kind::programme
};

struct sent_message {
  message_id id{};
  std::int64_t to = 0;
  std::int64_t server_id = 0;
  std::int64_t accepted_at_ms = 0;
  std::int64_t deliver_at_ms = 0;
  std::size_t envelopes = 0;
};

// One device of a contact with its safety number against this device.
struct safety_entry {
  std::int64_t device = 0;
  std::string number;  // 60 digits
  bool verified = false;
  bool changed = false;  // the server now presents a different identity, not yet accepted
};

class messenger;

// Work of later protocol revisions on the messenger's connection, owned by the messenger (the
// safeguarding flags, client/lib/flag_desk.hpp).
class messenger_extension {
 public:
  virtual ~messenger_extension() = default;
  // After every login (and at once when attached to a logged-in messenger), before the events
  // waiting at login are received. A failure here fails connect().
  [[nodiscard]] virtual outcome<void> on_login() = 0;
  // An event the messenger does not handle itself; true when this extension handled it.
  [[nodiscard]] virtual outcome<bool> on_event(const wire::response& e) = 0;
};

class messenger {
 public:
  // Registers a device from an invite or device link code and creates its profile. The profile
  // folder must not hold a profile yet. Leaves the messenger connected and logged in.
  [[nodiscard]] static outcome<std::unique_ptr<messenger>> register_device(const std::filesystem::path& profile,
                                                                           std::string_view passphrase,
                                                                           const server_url& url,
                                                                           std::string_view invite,
                                                                           messenger_options opts = {});
  // Opens an existing profile (no network).
  [[nodiscard]] static outcome<std::unique_ptr<messenger>> open(const std::filesystem::path& profile,
                                                                std::string_view passphrase,
                                                                messenger_options opts = {});
  ~messenger();
  messenger(const messenger&) = delete;
  messenger& operator=(const messenger&) = delete;

  [[nodiscard]] const account_info& account() const;
  [[nodiscard]] local_store& store();

  // hello (the server key must be the pinned one), challenge, login; then tops up one-time
  // prekeys, receives what was waiting (returned by the next receive()) and resends the outbox.
  // `url` overrides the profile's server address.
  [[nodiscard]] outcome<void> connect(std::optional<server_url> url = std::nullopt);
  [[nodiscard]] bool connected() const;
  void disconnect();
  // Login facts of the current connection.
  [[nodiscard]] std::int64_t pending_at_login() const;

  // --- messaging -------------------------------------------------------------------------------
  // Encrypts `text` for every device of `to` and every other device of this account and sends it.
  [[nodiscard]] outcome<sent_message> send(std::int64_t to, std::string_view text);
  // Resends every outbox entry (done by connect()); returns how many were accepted.
  [[nodiscard]] outcome<std::size_t> flush_outbox();
  // Handles the events that arrive: waits up to `first` for the first one, then until the queue
  // has been quiet for options.quiet. Returns the history entries stored (incoming messages,
  // copies of own messages sent from other devices, rejected ones), including those stored by
  // connect() and send() since the last call (then without waiting). Acknowledges everything.
  [[nodiscard]] outcome<std::vector<history_entry>> receive(std::chrono::milliseconds first);
  // Everything the calls above noticed since the last take_notices().
  [[nodiscard]] std::vector<notice> take_notices();

  // Receives until stop() returns true (checked at least once a second), connecting first if
  // needed and reconnecting after a lost connection with exponential backoff and jitter. Each
  // batch of stored entries and notices goes to on_batch. Returns the failure that ends it for
  // good: device removed (4001), account disabled (4002), logged in elsewhere (4003), a changed
  // server key, login_failed, a local store failure.
  using batch_handler = std::function<void(const std::vector<history_entry>&, std::vector<notice>)>;
  [[nodiscard]] outcome<void> follow(const batch_handler& on_batch, const std::function<bool()>& stop,
                                     backoff::policy policy = {});

  // --- contacts and safety numbers ---------------------------------------------------------------
  // Asks the server (and saves the list locally).
  [[nodiscard]] outcome<std::vector<codec::contact_info>> refresh_contacts();
  // A user id, or a display name that exactly one saved contact has (case-insensitive).
  [[nodiscard]] outcome<contact> resolve_contact(std::string_view who);
  // One entry per device of `peer` known locally; when none is known and connected, fetches the
  // peer's bundle to learn (and pin, trust on first use) their devices' identities.
  [[nodiscard]] outcome<std::vector<safety_entry>> safety_numbers(std::int64_t peer);
  // Marks every device of `peer` verified, accepting changed identities (their sessions are
  // reset) and decrypting the messages held for them. Returns the entries that became readable.
  [[nodiscard]] outcome<std::vector<history_entry>> verify(std::int64_t peer);

  // The latest `limit` entries with `peer`, oldest first. A sent message whose recipient device
  // sent a delivery receipt has state "delivered" ("read" for a read receipt).
  [[nodiscard]] outcome<std::vector<history_entry>> history(std::int64_t peer, std::size_t limit);

  // --- devices and coordination ------------------------------------------------------------------
  [[nodiscard]] outcome<std::vector<codec::device_info>> devices();
  struct link_code {
    std::string code;
    std::int64_t expires_at_ms = 0;
  };
  [[nodiscard]] outcome<link_code> device_link();
  [[nodiscard]] outcome<void> device_remove(std::int64_t device);
  struct invite {
    std::string code;
    std::string role;
    std::string display_name;
    std::int64_t expires_at_ms = 0;
  };
  // `deputy` (role spoc only, protocol 7.14): alerted when a flag's deadline is missed.
  [[nodiscard]] outcome<invite> invite_create(std::string_view role, std::string_view display_name,
                                              std::optional<int> days, bool deputy = false);
  struct pairing {
    std::int64_t id = 0;
    std::int64_t cycle = 0;  // revision 5: the open cycle of the pair (7.14)
    bool created = false;
  };
  [[nodiscard]] outcome<pairing> pair_create(std::int64_t headteacher, std::int64_t associate);
  [[nodiscard]] outcome<void> account_disable(std::int64_t user);

  // --- extensions (client/lib/flag_desk.hpp) --------------------------------------------------------
  // Takes ownership; runs its on_login at once when connected. Returns the extension.
  [[nodiscard]] outcome<messenger_extension*> attach(std::unique_ptr<messenger_extension> x);
  // The first attached extension of type T, or nullptr.
  template <class T>
  [[nodiscard]] T* extension() {
    for (auto* x : extensions())
      if (auto* t = dynamic_cast<T*>(x)) return t;
    return nullptr;
  }
  [[nodiscard]] std::vector<messenger_extension*> extensions();
  void add_notice(notice n);
  [[nodiscard]] crypto::random_source& rng();
  // This device's clock (options.now_ms), and the server's: this clock plus the offset measured
  // from `server_time` at the last hello (0 before any).
  [[nodiscard]] std::int64_t now_ms() const;
  [[nodiscard]] std::int64_t server_now_ms() const;
  // limits.max_frame_bytes from the last hello (65536 before any).
  [[nodiscard]] std::int64_t max_frame_bytes() const;

  // The raw connection (for tests, meetings and flags).
  [[nodiscard]] connection* raw_connection();

 private:
  struct impl;
  explicit messenger(std::unique_ptr<impl> p);
  std::unique_ptr<impl> impl_;
};

}  // namespace confidant::client
