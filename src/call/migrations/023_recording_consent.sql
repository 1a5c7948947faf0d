-- 023_recording_consent: recording pauses and the consent prompt
-- (本次通话可能会被录音). One number was given to this change, so the one
-- file holds the columns of the queues (queue/) and dids (route/) tables
-- beside call/'s own table; each module still reads and writes only its
-- own.
--
-- A pause of a call's recording (POST /api/v1/calls/{id}/recording): the
-- WAV holds silence from from_ms to to_ms (offsets in that file, ms); to_ms
-- is null while the pause lasts (a crash's is closed at the next start).
CREATE TABLE call_recording_pauses (
  call_id    TEXT NOT NULL,
  seq        INTEGER NOT NULL,       -- 1, 2, … in the call
  recording  TEXT NOT NULL,          -- the file, relative to the data dir
  from_ms    INTEGER NOT NULL,
  to_ms      INTEGER,
  paused_at  INTEGER NOT NULL,       -- ms since the epoch
  resumed_at INTEGER,
  paused_by  TEXT NOT NULL,          -- the API user
  resumed_by TEXT,                   -- the API user, or system (the call
                                     -- or its conversation ended)
  PRIMARY KEY (call_id, seq)
);
-- What a caller hears before an agent is connected: an uploaded prompt's
-- name (consent_file) or text spoken (consent_text); '' for none.
ALTER TABLE queues ADD COLUMN consent_text TEXT NOT NULL DEFAULT '';
ALTER TABLE queues ADD COLUMN consent_file TEXT NOT NULL DEFAULT '';
ALTER TABLE dids ADD COLUMN consent_text TEXT NOT NULL DEFAULT '';
ALTER TABLE dids ADD COLUMN consent_file TEXT NOT NULL DEFAULT '';
