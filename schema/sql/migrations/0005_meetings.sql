-- 0005: meetings (docs/protocol.md 7.16-7.22, docs/meetings.md). The server sees who meets whom,
-- when, how (mode) and why (kind), and a cancellation's category; what the meeting is about
-- (place, agenda) is end-to-end ciphertext, one opaque blob per participant.

CREATE TABLE meetings (
  id            INTEGER PRIMARY KEY,
  pairing       INTEGER REFERENCES pairings (id),          -- NULL for supervision
  associate     INTEGER NOT NULL REFERENCES accounts (id),
  counterpart   INTEGER NOT NULL REFERENCES accounts (id), -- the headteacher, or the coordinator (supervision)
  proposer      INTEGER NOT NULL REFERENCES accounts (id), -- who proposed the current time
  starts_at     INTEGER NOT NULL,                          -- UTC milliseconds
  ends_at       INTEGER NOT NULL,
  mode          TEXT    NOT NULL CHECK (mode IN ('in_person', 'online', 'phone')),
  kind          TEXT    NOT NULL CHECK (kind IN ('initial', 'support', 'supervision')),
  state         TEXT    NOT NULL CHECK (state IN ('proposed', 'accepted', 'declined', 'cancelled')),
  cancel_reason TEXT    CHECK (cancel_reason IS NULL OR cancel_reason IN
                          ('illness', 'school_emergency', 'diary_clash', 'no_longer_needed', 'other')),
  changed_by    INTEGER NOT NULL REFERENCES accounts (id), -- who made the last change
  sequence      INTEGER NOT NULL DEFAULT 0 CHECK (sequence >= 0),  -- ICS SEQUENCE: +1 on every change
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  CHECK (ends_at > starts_at),
  CHECK ((kind = 'supervision') = (pairing IS NULL)),
  CHECK ((state = 'cancelled') = (cancel_reason IS NOT NULL))
) STRICT;

CREATE INDEX meetings_by_associate ON meetings (associate, starts_at);
CREATE INDEX meetings_by_counterpart ON meetings (counterpart, starts_at);
CREATE INDEX meetings_by_pairing ON meetings (pairing, starts_at);

-- What each participant's devices can read of a meeting: end-to-end ciphertext the server
-- stores and hands back to that participant only.
CREATE TABLE meeting_details (
  meeting       INTEGER NOT NULL REFERENCES meetings (id),
  user          INTEGER NOT NULL REFERENCES accounts (id),
  body          BLOB    NOT NULL CHECK (length(body) BETWEEN 1 AND 8192),
  PRIMARY KEY (meeting, user)
) STRICT, WITHOUT ROWID;
