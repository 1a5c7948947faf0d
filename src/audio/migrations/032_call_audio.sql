-- 032_call_audio: what each call's stereo recording says about the
-- conversation (customer on the left channel, agent on the right), measured
-- by the audio module after the call ends. One row per measured recording;
-- a call without a row has not been measured yet. Times are milliseconds.
CREATE TABLE call_audio (
	call_id            TEXT PRIMARY KEY,   -- calls.id
	status             TEXT NOT NULL,      -- ok, missing, unreadable
	error              TEXT,               -- why, when status is not ok
	measured_at        INTEGER NOT NULL,   -- Unix ms
	duration_ms        INTEGER NOT NULL DEFAULT 0,   -- length of the recording
	customer_talk_ms   INTEGER NOT NULL DEFAULT 0,
	agent_talk_ms      INTEGER NOT NULL DEFAULT 0,
	overtalk_ms        INTEGER NOT NULL DEFAULT 0,   -- both sides speaking
	longest_silence_ms INTEGER NOT NULL DEFAULT 0,   -- neither side speaking
	silences_over_10s  INTEGER NOT NULL DEFAULT 0,
	hold_ms            INTEGER NOT NULL DEFAULT 0,
	agent_words_per_min REAL NOT NULL DEFAULT 0
);
-- Sampling plans pick calls on these measures.
CREATE INDEX call_audio_overtalk ON call_audio(overtalk_ms);
CREATE INDEX call_audio_silence ON call_audio(longest_silence_ms);
