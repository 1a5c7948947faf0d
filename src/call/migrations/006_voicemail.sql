-- 006_voicemail: messages callers leave when a queue sends them to a
-- mailbox (overflow voicemail:BOX). The audio is a mono 8 kHz WAV under the
-- data directory; the row is written when the recording starts and
-- completed when it ends, so a crash leaves a row that says how far it got.
CREATE TABLE voicemails (
	id          TEXT PRIMARY KEY,
	mailbox     TEXT NOT NULL,           -- an extension's number
	call_id     TEXT NOT NULL REFERENCES calls(id),
	caller      TEXT NOT NULL,
	queue       TEXT NOT NULL DEFAULT '', -- the queue that overflowed, or ''
	created_at  INTEGER NOT NULL,        -- ms: the recording started
	duration_ms INTEGER,                 -- NULL until the recording ended
	path        TEXT NOT NULL,           -- relative to the data directory
	heard       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX voicemails_box ON voicemails(mailbox, created_at);
