-- 007_queue_rules: the join/leave-when-empty rules and sticky routing of a
-- queue (docs/api.md, queue fields).
ALTER TABLE queues ADD COLUMN join_empty TEXT NOT NULL DEFAULT 'off';
ALTER TABLE queues ADD COLUMN leave_empty TEXT NOT NULL DEFAULT 'off';
ALTER TABLE queues ADD COLUMN sticky_window_ms INTEGER NOT NULL DEFAULT 0;
ALTER TABLE queues ADD COLUMN sticky_wait_ms INTEGER NOT NULL DEFAULT 0;
