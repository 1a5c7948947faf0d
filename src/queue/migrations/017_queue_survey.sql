-- 017_queue_survey: the satisfaction survey (满意度调查) a queue's callers
-- are taken to when their agent hangs up: an IVR flow's name, '' for none.
ALTER TABLE queues ADD COLUMN survey TEXT NOT NULL DEFAULT '';
