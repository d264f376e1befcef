-- 0001: the client's local store. Everything here is inside the SQLCipher file; secrets (the
-- identity, prekey secrets, session records, franking keys) never leave it.

-- Who this device is on which server: exactly one row, written at registration.
CREATE TABLE account (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  server_url    TEXT    NOT NULL,
  server_key    BLOB    NOT NULL CHECK (length(server_key) = 32),
  user_id       INTEGER NOT NULL,
  device_id     INTEGER NOT NULL,
  role          TEXT    NOT NULL,
  display_name  TEXT    NOT NULL
) STRICT;

-- The device's identity keypair (crypto::identity_keypair::to_bytes, secret): one row.
CREATE TABLE own_identity (
  id            INTEGER PRIMARY KEY CHECK (id = 1),
  secret        BLOB    NOT NULL
) STRICT;

-- Contacts' devices, trust on first use. `verified` is set after comparing safety numbers and
-- cleared whenever the recorded key changes.
CREATE TABLE identities (
  user_name     TEXT    NOT NULL,                 -- crypto::device_address::user
  device_id     INTEGER NOT NULL CHECK (device_id BETWEEN 0 AND 4294967295),
  identity      BLOB    NOT NULL CHECK (length(identity) = 128),
  verified      INTEGER NOT NULL DEFAULT 0 CHECK (verified IN (0, 1)),
  PRIMARY KEY (user_name, device_id)
) STRICT, WITHOUT ROWID;

-- Prekey secrets (their crypto records, secret).
CREATE TABLE signed_prekeys (
  id            INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 4294967295),
  record        BLOB    NOT NULL
) STRICT;

CREATE TABLE one_time_prekeys (
  id            INTEGER PRIMARY KEY CHECK (id BETWEEN 0 AND 4294967295),
  record        BLOB    NOT NULL
) STRICT;

-- Sesame session records per peer device (ratchet state and skipped message keys, secret).
CREATE TABLE sessions (
  user_name     TEXT    NOT NULL,
  device_id     INTEGER NOT NULL CHECK (device_id BETWEEN 0 AND 4294967295),
  record        BLOB    NOT NULL,
  PRIMARY KEY (user_name, device_id)
) STRICT, WITHOUT ROWID;

-- Internal counters (not the user-visible `settings`), e.g. the next one-time prekey id.
CREATE TABLE counters (
  name          TEXT    PRIMARY KEY,
  value         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE contacts (
  user_id       INTEGER PRIMARY KEY,
  display_name  TEXT    NOT NULL,
  role          TEXT    NOT NULL
) STRICT;

-- The conversation history. AUTOINCREMENT: a local id is never reused, so `incoming_since`
-- positions stay valid.
CREATE TABLE messages (
  local_id       INTEGER PRIMARY KEY AUTOINCREMENT,
  peer           INTEGER NOT NULL,
  outgoing       INTEGER NOT NULL CHECK (outgoing IN (0, 1)),
  from_device    INTEGER NOT NULL,
  message_id     BLOB    NOT NULL CHECK (length(message_id) = 16),
  server_id      INTEGER,
  sent_at_ms     INTEGER NOT NULL,
  accepted_at_ms INTEGER,
  body           TEXT    NOT NULL,
  state          TEXT    NOT NULL CHECK (state IN ('pending', 'accepted', 'delivered', 'rejected')),
  stamp          BLOB    NOT NULL DEFAULT x'',
  franking_key   BLOB    NOT NULL DEFAULT x'',     -- Kf, secret
  context        BLOB    NOT NULL DEFAULT x''
) STRICT;
CREATE INDEX messages_by_peer ON messages (peer, local_id);
CREATE INDEX messages_incoming ON messages (outgoing, local_id);
-- mark_accepted finds an outgoing message by its id; two sends never share one.
CREATE UNIQUE INDEX messages_outgoing_id ON messages (message_id) WHERE outgoing = 1;

-- Server ids of delivered envelopes already stored: a redelivery (at-least-once) is dropped.
CREATE TABLE delivered (
  server_id     INTEGER PRIMARY KEY
) STRICT;

-- Sends the server has not accepted yet, resent with the same message id after a reconnect.
CREATE TABLE outbox (
  seq           INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id    BLOB    NOT NULL UNIQUE CHECK (length(message_id) = 16),
  to_user       INTEGER NOT NULL,
  body          TEXT    NOT NULL,
  sent_at_ms    INTEGER NOT NULL
) STRICT;

-- Small named values for the client (e.g. the last inbox position).
CREATE TABLE settings (
  name          TEXT    PRIMARY KEY,
  value         TEXT    NOT NULL
) STRICT, WITHOUT ROWID;
