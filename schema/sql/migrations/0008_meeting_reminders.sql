-- 0008: reminders before accepted meetings, one per participant, due at the first instant of the
-- participant's contact window at or after (start - the policy's reminder lead).

CREATE TABLE meeting_reminders (
  meeting       INTEGER NOT NULL REFERENCES meetings (id),
  user          INTEGER NOT NULL REFERENCES accounts (id),
  remind_at     INTEGER NOT NULL,
  sent_at       INTEGER,
  PRIMARY KEY (meeting, user)
) STRICT, WITHOUT ROWID;

CREATE INDEX meeting_reminders_due ON meeting_reminders (remind_at) WHERE sent_at IS NULL;
