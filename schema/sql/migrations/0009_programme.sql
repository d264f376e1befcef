-- 0009: the support programme (docs/protocol.md 7.29-7.40): associates' profiles and eligibility,
-- cycles (a headteacher's request and each period of support with one associate), ranked
-- preferences, sealed concerns, feedback with its consent gate, and meeting notes. What people
-- write (concerns, feedback answers, notes) is end-to-end ciphertext; profiles are what
-- associates publish to be chosen.

CREATE TABLE associates (
  user              INTEGER PRIMARY KEY REFERENCES accounts (id),
  status            TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'suspended')),
  profile           TEXT,                       -- JSON object of docs/protocol.md 7.29; NULL until written
  capacity          INTEGER NOT NULL DEFAULT 1 CHECK (capacity BETWEEN 1 AND 10),  -- 1 until a profile says
  profile_at        INTEGER,
  years             INTEGER,                    -- eligibility evidence, recorded by a coordinator
  inspection        TEXT,
  training          INTEGER,
  coaching          INTEGER,
  evidence_by       INTEGER REFERENCES accounts (id),
  evidence_at       INTEGER,
  suspended_reason  TEXT,
  CHECK ((status = 'suspended') = (suspended_reason IS NOT NULL)),
  CHECK (status = 'pending' OR evidence_at IS NOT NULL)
) STRICT;

CREATE TABLE cycles (
  id                INTEGER PRIMARY KEY,
  headteacher       INTEGER NOT NULL REFERENCES accounts (id),
  associate         INTEGER REFERENCES accounts (id),
  pairing           INTEGER REFERENCES pairings (id),
  previous          INTEGER REFERENCES cycles (id),
  state             TEXT    NOT NULL CHECK (state IN ('requested', 'offered', 'preferred', 'paired', 'active',
                                                      'review_due', 'extended', 'closed', 'ended_early')),
  school            TEXT    NOT NULL,
  federation        TEXT    NOT NULL DEFAULT '',
  region            TEXT    NOT NULL,
  phase             TEXT    NOT NULL DEFAULT '',
  size_band         TEXT    NOT NULL DEFAULT '',
  reason            TEXT,
  requested_at      INTEGER NOT NULL,
  paired_at         INTEGER,
  active_at         INTEGER,
  review_at         INTEGER,
  ended_at          INTEGER,
  end_asked_by      INTEGER REFERENCES accounts (id),
  end_asked_reason  TEXT,
  end_asked_at      INTEGER,
  CHECK ((associate IS NULL) = (pairing IS NULL)),
  CHECK (state NOT IN ('paired', 'active', 'review_due', 'extended', 'ended_early') OR associate IS NOT NULL)
) STRICT;

CREATE INDEX cycles_by_headteacher ON cycles (headteacher, id);
CREATE INDEX cycles_by_associate ON cycles (associate, id) WHERE associate IS NOT NULL;
CREATE INDEX cycles_open ON cycles (state) WHERE state IN ('paired', 'active', 'review_due');

CREATE TABLE cycle_preferences (
  cycle             INTEGER NOT NULL REFERENCES cycles (id),
  rank              INTEGER NOT NULL CHECK (rank BETWEEN 1 AND 3),
  associate         INTEGER NOT NULL REFERENCES accounts (id),
  PRIMARY KEY (cycle, rank)
) STRICT, WITHOUT ROWID;

-- A request's areas of concern, sealed to each coordinator (and the headteacher's own copy).
CREATE TABLE cycle_concerns (
  cycle             INTEGER NOT NULL REFERENCES cycles (id),
  user              INTEGER NOT NULL REFERENCES accounts (id),
  body              BLOB    NOT NULL CHECK (length(body) BETWEEN 1 AND 8192),
  PRIMARY KEY (cycle, user)
) STRICT, WITHOUT ROWID;

CREATE TABLE feedback_requests (
  cycle             INTEGER PRIMARY KEY REFERENCES cycles (id),
  asked_by          INTEGER NOT NULL REFERENCES accounts (id),
  asked_at          INTEGER NOT NULL,
  questions         TEXT    NOT NULL,           -- one per line (they hold no control characters): forms, not content
  submitted_at      INTEGER
) STRICT;

-- Each answer sealed to the coordinator who asked, and the headteacher's own copy.
CREATE TABLE feedback_answers (
  cycle             INTEGER NOT NULL REFERENCES feedback_requests (cycle),
  item              INTEGER NOT NULL CHECK (item BETWEEN 1 AND 10),
  user              INTEGER NOT NULL REFERENCES accounts (id),
  body              BLOB    NOT NULL CHECK (length(body) BETWEEN 1 AND 8192),
  PRIMARY KEY (cycle, item, user)
) STRICT, WITHOUT ROWID;

-- What the headteacher released to the associate: re-sealed on the headteacher's device.
CREATE TABLE feedback_releases (
  cycle             INTEGER NOT NULL REFERENCES feedback_requests (cycle),
  item              INTEGER NOT NULL CHECK (item BETWEEN 1 AND 10),
  body              BLOB    NOT NULL CHECK (length(body) BETWEEN 1 AND 8192),
  released_at       INTEGER NOT NULL,
  PRIMARY KEY (cycle, item)
) STRICT, WITHOUT ROWID;

-- An associate's note of a meeting, sealed to the associate alone; its row is also the notice
-- the headteacher sees (that a note exists, and when).
CREATE TABLE meeting_notes (
  meeting           INTEGER PRIMARY KEY REFERENCES meetings (id),
  associate         INTEGER NOT NULL REFERENCES accounts (id),
  headteacher       INTEGER NOT NULL REFERENCES accounts (id),
  body              BLOB    NOT NULL CHECK (length(body) BETWEEN 1 AND 8192),
  written_at        INTEGER NOT NULL,
  updated_at        INTEGER NOT NULL
) STRICT;

ALTER TABLE meetings ADD COLUMN cycle INTEGER REFERENCES cycles (id);

-- Pairings made before the programme workflow become cycles: open ones `paired` (the server
-- moves them on from their meetings), ended ones `closed`.
INSERT INTO cycles (headteacher, associate, pairing, state, school, region, requested_at, paired_at, ended_at)
  SELECT headteacher, associate, id, CASE WHEN ended_at IS NULL THEN 'paired' ELSE 'closed' END, '', '',
         created_at, created_at, ended_at
  FROM pairings ORDER BY id;
UPDATE meetings SET cycle = (SELECT id FROM cycles WHERE cycles.pairing = meetings.pairing)
  WHERE pairing IS NOT NULL;
CREATE INDEX meetings_by_cycle ON meetings (cycle, starts_at) WHERE cycle IS NOT NULL;

