-- 0001: the tenant record. Later migrations add accounts, devices, cycles, envelopes.
-- Applied in one transaction by server/store/migrator; recorded in schema_migrations.

CREATE TABLE tenant (
  id          INTEGER PRIMARY KEY CHECK (id = 1),   -- one LA per database
  name        TEXT    NOT NULL,
  created_at  INTEGER NOT NULL                      -- unix milliseconds, UTC
) STRICT;

CREATE TABLE settings (
  key    TEXT PRIMARY KEY,
  value  TEXT NOT NULL
) STRICT, WITHOUT ROWID;
