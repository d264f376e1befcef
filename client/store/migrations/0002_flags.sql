-- 0002: safeguarding flags (docs/protocol.md 7.23-7.28, docs/crypto.md "Flag and note bodies").
-- Everything here is inside the SQLCipher file: the SPOC sealing secrets, flag texts, quotes and
-- notes never leave it.

-- The franked message bytes of a received message (the payload the sender committed to), kept
-- so that the message can be quoted in a flag exactly as it was committed. Secret.
ALTER TABLE messages ADD COLUMN payload BLOB NOT NULL DEFAULT x'';

-- This device's SPOC sealing keys (role spoc). Old keys are kept, retired, to open flags sealed
-- to them; the newest published one is current.
CREATE TABLE spoc_keys (
  key_id          INTEGER PRIMARY KEY CHECK (key_id BETWEEN 1 AND 4294967295),
  secret          BLOB    NOT NULL CHECK (length(secret) = 32),        -- X25519 secret
  certificate     BLOB    NOT NULL CHECK (length(certificate) = 149),
  created_at_ms   INTEGER NOT NULL,
  published_at_ms INTEGER,                                             -- NULL until the server accepted it
  retired_at_ms   INTEGER                                              -- set when a newer key was published
) STRICT;

-- Flags raised from this device. `body` is the exact document sealed, so a resend (after
-- spoc_keys_changed or a lost connection) seals the same one again under the same flag_id.
CREATE TABLE raised_flags (
  flag_id         BLOB    PRIMARY KEY CHECK (length(flag_id) = 16),
  server_id       INTEGER UNIQUE,                                      -- NULL until accepted
  category        TEXT    NOT NULL,
  urgency         TEXT    NOT NULL,
  state           TEXT    NOT NULL CHECK (state IN ('pending', 'received', 'acknowledged', 'resolved', 'failed')),
  text            TEXT    NOT NULL,                                    -- secret
  body            BLOB    NOT NULL,                                    -- secret
  quotes          INTEGER NOT NULL DEFAULT 0,
  created_at_ms   INTEGER NOT NULL,
  raised_at_ms    INTEGER,
  deadline_at_ms  INTEGER,
  acknowledged_at_ms INTEGER,
  resolved_at_ms  INTEGER,
  out_of_hours    INTEGER NOT NULL DEFAULT 0 CHECK (out_of_hours IN (0, 1)),
  emergency_route TEXT    NOT NULL DEFAULT '',
  problem         TEXT    NOT NULL DEFAULT ''                          -- why it failed, when `failed`
) STRICT;

-- Flags received by this SPOC device: the server's metadata, this device's sealed copy, and once
-- opened the decrypted body (secret) and who signed it.
CREATE TABLE received_flags (
  server_id       INTEGER PRIMARY KEY,
  category        TEXT    NOT NULL,
  urgency         TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  raised_at_ms    INTEGER NOT NULL,
  deadline_at_ms  INTEGER NOT NULL,
  acknowledged_at_ms INTEGER,
  resolved_at_ms  INTEGER,
  raised_by_user  INTEGER NOT NULL,
  raised_by_device INTEGER NOT NULL,
  acknowledged_by INTEGER,
  resolved_by     INTEGER,
  outcome         TEXT    NOT NULL DEFAULT '',
  escalations     INTEGER NOT NULL DEFAULT 0,
  legal_hold      INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1)),
  alert           INTEGER NOT NULL DEFAULT 0 CHECK (alert IN (0, 1)),
  received_at_ms  INTEGER NOT NULL,
  key_id          INTEGER,                                             -- this device's copy
  sealed          BLOB    NOT NULL DEFAULT x'',
  opened          INTEGER NOT NULL DEFAULT 0 CHECK (opened IN (0, 1)),
  problem         TEXT    NOT NULL DEFAULT '',                         -- why it is unreadable, or a mismatch
  flagger_identity BLOB   NOT NULL DEFAULT x'',                        -- who signed it (128 bytes once opened)
  body_flag_id    BLOB    NOT NULL DEFAULT x'',
  body_category   TEXT    NOT NULL DEFAULT '',
  body_urgency    TEXT    NOT NULL DEFAULT '',
  body_raiser_user INTEGER NOT NULL DEFAULT 0,
  body_raiser_device INTEGER NOT NULL DEFAULT 0,
  raised_at_client_ms INTEGER NOT NULL DEFAULT 0,
  text            TEXT    NOT NULL DEFAULT ''                          -- secret
) STRICT;

-- The quotes of a received flag with the verdict this device reached on them.
CREATE TABLE received_quotes (
  flag            INTEGER NOT NULL REFERENCES received_flags (server_id),
  position        INTEGER NOT NULL,
  quote           BLOB    NOT NULL,                                    -- secret
  verified        INTEGER NOT NULL CHECK (verified IN (0, 1)),
  problem         TEXT    NOT NULL DEFAULT '',
  sender          TEXT    NOT NULL DEFAULT '',
  recipient       TEXT    NOT NULL DEFAULT '',
  stamped_at_ms   INTEGER NOT NULL DEFAULT 0,
  text            TEXT    NOT NULL DEFAULT '',                         -- secret
  PRIMARY KEY (flag, position)
) STRICT, WITHOUT ROWID;

-- SPOC notes on a flag, opened on this device.
CREATE TABLE flag_notes (
  flag            INTEGER NOT NULL,
  note            INTEGER NOT NULL,
  author_user     INTEGER NOT NULL,
  author_device   INTEGER NOT NULL,
  added_at_ms     INTEGER NOT NULL,
  verified        INTEGER NOT NULL CHECK (verified IN (0, 1)),         -- signed by the author device's identity
  problem         TEXT    NOT NULL DEFAULT '',
  text            TEXT    NOT NULL DEFAULT '',                         -- secret
  PRIMARY KEY (flag, note)
) STRICT, WITHOUT ROWID;
