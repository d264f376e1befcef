-- 0003: devices and their public keys, device link codes, pairings, and the store-and-forward
-- queue. Envelopes hold ciphertext only; the server cannot read them.

-- A device link code (protocol 7.10) is an invite that adds a device to an existing account.
ALTER TABLE invites ADD COLUMN link_account INTEGER REFERENCES accounts (id);

CREATE TABLE devices (
  account_id    INTEGER NOT NULL REFERENCES accounts (id),
  device_id     INTEGER NOT NULL CHECK (device_id > 0),
  signing_key   BLOB    NOT NULL UNIQUE CHECK (length(signing_key) = 32),  -- never reused
  identity      BLOB    NOT NULL CHECK (length(identity) = 128),
  status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'removed')),
  created_at    INTEGER NOT NULL,
  removed_at    INTEGER,
  PRIMARY KEY (account_id, device_id)
) STRICT, WITHOUT ROWID;

-- The current signed prekey of each device (rotation replaces it).
CREATE TABLE signed_prekeys (
  account_id    INTEGER NOT NULL,
  device_id     INTEGER NOT NULL,
  key_id        INTEGER NOT NULL CHECK (key_id BETWEEN 0 AND 4294967295),
  created_at_s  INTEGER NOT NULL,
  public_key    BLOB    NOT NULL CHECK (length(public_key) = 32),
  signature     BLOB    NOT NULL CHECK (length(signature) = 64),
  PRIMARY KEY (account_id, device_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE one_time_prekeys (
  account_id    INTEGER NOT NULL,
  device_id     INTEGER NOT NULL,
  key_id        INTEGER NOT NULL CHECK (key_id BETWEEN 0 AND 4294967295),
  public_key    BLOB    NOT NULL CHECK (length(public_key) = 32),
  PRIMARY KEY (account_id, device_id, key_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
) STRICT, WITHOUT ROWID;

-- Who may write to whom as a paired headteacher and associate (the programme workflow will
-- create these; for now a coordinator's pair_create does).
CREATE TABLE pairings (
  id            INTEGER PRIMARY KEY,
  headteacher   INTEGER NOT NULL REFERENCES accounts (id),
  associate     INTEGER NOT NULL REFERENCES accounts (id),
  created_by    INTEGER REFERENCES accounts (id),
  created_at    INTEGER NOT NULL,
  ended_at      INTEGER,
  UNIQUE (headteacher, associate)
) STRICT;

-- One row per accepted send (and per server notice): the server id and the idempotency record.
CREATE TABLE messages (
  id            INTEGER PRIMARY KEY,                   -- the server id, increasing
  kind          TEXT    NOT NULL CHECK (kind IN ('e2e', 'expired')),
  sender        INTEGER REFERENCES accounts (id),      -- NULL for server notices
  sender_device INTEGER,
  message_id    BLOB    CHECK (message_id IS NULL OR length(message_id) = 16),
  recipient     INTEGER NOT NULL REFERENCES accounts (id),
  accepted_at   INTEGER NOT NULL,
  deliver_at    INTEGER NOT NULL,
  UNIQUE (sender, sender_device, message_id)
) STRICT;

-- What waits for one device: deleted when that device acknowledges it, or when it expires.
CREATE TABLE envelopes (
  account_id    INTEGER NOT NULL,
  device_id     INTEGER NOT NULL,
  message       INTEGER NOT NULL REFERENCES messages (id),
  deliver_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL,
  body          BLOB    NOT NULL,   -- ciphertext (e2e) or the notice's fields (expired)
  commitment    BLOB,
  stamp         BLOB,
  PRIMARY KEY (account_id, device_id, message)
) STRICT, WITHOUT ROWID;

CREATE INDEX envelopes_by_expiry ON envelopes (expires_at);
