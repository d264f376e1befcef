-- 0007: personal contact windows (DESIGN.md 2: a user may narrow their own window, never widen
-- it past policy). Weekdays as a bit set (Monday = bit 0); hours in local minutes since
-- midnight, NULL meaning "as policy".

CREATE TABLE personal_windows (
  account_id    INTEGER PRIMARY KEY REFERENCES accounts (id),
  days          INTEGER NOT NULL CHECK (days BETWEEN 1 AND 127),
  start_minute  INTEGER CHECK (start_minute IS NULL OR start_minute BETWEEN 0 AND 1440),
  end_minute    INTEGER CHECK (end_minute IS NULL OR end_minute BETWEEN 0 AND 1440),
  updated_at    INTEGER NOT NULL
) STRICT;
