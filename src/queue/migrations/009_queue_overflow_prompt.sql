-- 009_queue_overflow_prompt: the sound a caller hears before a queue that
-- overflows to hang-up ends the call; '' for none (hang up at once).
ALTER TABLE queues ADD COLUMN overflow_prompt TEXT NOT NULL DEFAULT '';
