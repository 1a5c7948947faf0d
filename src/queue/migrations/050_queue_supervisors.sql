-- 050_queue_supervisors: who may monitor (listen, whisper, barge) a
-- queue's calls besides their data scope: user names and dept:ID,
-- comma-separated (queue/cfg.c); '' nobody more.
ALTER TABLE queues ADD COLUMN supervisors TEXT NOT NULL DEFAULT '';
