-- 0002: accounts and one-time invites. An invite code is never stored: only its BLAKE2b-256 hash.

CREATE TABLE accounts (
  id            INTEGER PRIMARY KEY,
  role          TEXT    NOT NULL CHECK (role IN ('headteacher', 'associate', 'coordinator', 'spoc')),
  display_name  TEXT    NOT NULL,
  status        TEXT    NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'disabled')),
  created_at    INTEGER NOT NULL                       -- unix milliseconds, UTC
) STRICT;

CREATE TABLE invites (
  id            INTEGER PRIMARY KEY,
  code_hash     BLOB    NOT NULL UNIQUE CHECK (length(code_hash) = 32),
  role          TEXT    NOT NULL CHECK (role IN ('headteacher', 'associate', 'coordinator', 'spoc')),
  display_name  TEXT    NOT NULL,
  created_by    INTEGER REFERENCES accounts (id),      -- NULL: the operator on the server host
  created_at    INTEGER NOT NULL,
  expires_at    INTEGER NOT NULL CHECK (expires_at > created_at),
  used_at       INTEGER,
  used_by       INTEGER REFERENCES accounts (id),
  CHECK ((used_at IS NULL) = (used_by IS NULL))
) STRICT;
