-- 045_call_audio_timeline: the recording player's lanes (audio/timeline.c):
-- compact JSON text, per kind (customer, agent, overtalk, silence, hold)
-- the [from_ms, to_ms] spans in the recording's time, at most 1,000 a kind.
-- NULL for a call measured before this migration until it is measured
-- again (audio/service.c fact 5) and for one that could not be measured.
ALTER TABLE call_audio ADD COLUMN timeline TEXT;
