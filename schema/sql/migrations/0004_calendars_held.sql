-- 0004: the calendar files the server runs on (DESIGN.md 2), and held delivery.

-- The LA's data files as loaded by `confidantd calendar load`, validated before they are stored:
-- the GOV.UK bank-holidays.json and one term-dates TOML per academic year. Replaced per name.
CREATE TABLE calendar_files (
  kind          TEXT    NOT NULL CHECK (kind IN ('bank_holidays', 'term_dates')),
  name          TEXT    NOT NULL,   -- 'bank-holidays' or the academic year, e.g. '2026-27'
  content       TEXT    NOT NULL,
  loaded_at     INTEGER NOT NULL,
  PRIMARY KEY (kind, name)
) STRICT;

-- An envelope accepted outside its recipient's contact window waits until deliver_at.
ALTER TABLE envelopes ADD COLUMN held INTEGER NOT NULL DEFAULT 0 CHECK (held IN (0, 1));
CREATE INDEX envelopes_held ON envelopes (deliver_at) WHERE held = 1;
