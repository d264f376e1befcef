-- 0006: the hash-chained audit log (DESIGN.md 4, docs/audit.md) and safeguarding flags
-- (docs/protocol.md 7.23-7.28). Neither holds content: audit entries name who did what to which
-- object and when; a flag's text travels sealed to each SPOC device and is stored as ciphertext.

-- Append-only: each entry's hash is BLAKE2b-256 over the previous entry's hash and its own
-- fields (docs/audit.md); `confidantd audit verify` recomputes the chain. The triggers refuse
-- changes through SQL; a change made around them breaks the chain.
CREATE TABLE audit_log (
  seq           INTEGER PRIMARY KEY,                  -- 1, 2, 3, ... without gaps
  at_ms         INTEGER NOT NULL,
  actor         TEXT    NOT NULL,                     -- "user:7", "server", "operator"
  action        TEXT    NOT NULL,
  object        TEXT    NOT NULL,                     -- "flag:4", "meeting:12", "user:7", ""
  detail        TEXT    NOT NULL,                     -- a JSON object of metadata, never content
  prev_hash     BLOB    NOT NULL CHECK (length(prev_hash) = 32),
  hash          BLOB    NOT NULL CHECK (length(hash) = 32)
) STRICT;

CREATE INDEX audit_by_object ON audit_log (object, seq);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

-- SPOC accounts are primary or deputy (deputies are alerted when a deadline is missed).
ALTER TABLE accounts ADD COLUMN deputy INTEGER NOT NULL DEFAULT 0 CHECK (deputy IN (0, 1));
ALTER TABLE invites ADD COLUMN deputy INTEGER NOT NULL DEFAULT 0 CHECK (deputy IN (0, 1));

-- Each SPOC device's medium-term sealing keys, as certificates signed by the device's identity.
-- The newest (highest key id) unexpired one is current; older ones stay for the record.
CREATE TABLE spoc_keys (
  account_id    INTEGER NOT NULL,
  device_id     INTEGER NOT NULL,
  key_id        INTEGER NOT NULL CHECK (key_id BETWEEN 0 AND 4294967295),
  certificate   BLOB    NOT NULL,
  not_after_ms  INTEGER NOT NULL,
  published_at  INTEGER NOT NULL,
  PRIMARY KEY (account_id, device_id, key_id),
  FOREIGN KEY (account_id, device_id) REFERENCES devices (account_id, device_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE flags (
  id            INTEGER PRIMARY KEY,
  raiser        INTEGER NOT NULL REFERENCES accounts (id),
  raiser_device INTEGER NOT NULL,
  flag_id       BLOB    NOT NULL CHECK (length(flag_id) = 16),   -- the client's id (idempotence)
  category      TEXT    NOT NULL CHECK (category IN
                  ('child_protection', 'staff_allegation', 'whistleblowing', 'leader_wellbeing', 'other')),
  urgency       TEXT    NOT NULL CHECK (urgency IN ('immediate', 'urgent', 'standard')),
  state         TEXT    NOT NULL CHECK (state IN ('received', 'acknowledged', 'resolved')),
  raised_at     INTEGER NOT NULL,
  deadline_at   INTEGER NOT NULL,
  out_of_hours  INTEGER NOT NULL CHECK (out_of_hours IN (0, 1)),
  acknowledged_at INTEGER,
  acknowledged_by INTEGER REFERENCES accounts (id),
  resolved_at   INTEGER,
  resolved_by   INTEGER REFERENCES accounts (id),
  outcome       TEXT    CHECK (outcome IS NULL OR outcome IN
                  ('referred_to_childrens_social_care', 'referred_to_police', 'referred_to_lado',
                   'wellbeing_support_arranged', 'advice_given', 'no_further_action', 'other')),
  escalations   INTEGER NOT NULL DEFAULT 0 CHECK (escalations >= 0),
  next_escalation_at INTEGER,                                    -- NULL once acknowledged
  legal_hold    INTEGER NOT NULL DEFAULT 0 CHECK (legal_hold IN (0, 1)),
  UNIQUE (raiser, raiser_device, flag_id),
  CHECK ((state = 'received') = (acknowledged_at IS NULL)),
  CHECK ((state = 'resolved') = (resolved_at IS NOT NULL AND outcome IS NOT NULL))
) STRICT;

-- The escalation timer's question: the earliest unacknowledged deadline.
CREATE INDEX flags_escalation ON flags (next_escalation_at) WHERE next_escalation_at IS NOT NULL;

-- One sealed copy of a flag (note = 0) or of a SPOC note (note > 0) per SPOC device.
CREATE TABLE flag_copies (
  flag          INTEGER NOT NULL REFERENCES flags (id),
  note          INTEGER NOT NULL,
  account_id    INTEGER NOT NULL,
  device_id     INTEGER NOT NULL,
  key_id        INTEGER NOT NULL,
  sealed        BLOB    NOT NULL,
  received_at   INTEGER,                                         -- flag copies: flag_received
  PRIMARY KEY (flag, note, account_id, device_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX flag_copies_waiting ON flag_copies (account_id, device_id, flag) WHERE received_at IS NULL AND note = 0;

CREATE TABLE flag_notes (
  id            INTEGER PRIMARY KEY,
  flag          INTEGER NOT NULL REFERENCES flags (id),
  author        INTEGER NOT NULL REFERENCES accounts (id),
  author_device INTEGER NOT NULL,
  note_id       BLOB    NOT NULL CHECK (length(note_id) = 16),
  added_at      INTEGER NOT NULL,
  UNIQUE (author, author_device, note_id)
) STRICT;
