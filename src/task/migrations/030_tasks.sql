-- 030_tasks: callback tasks (计划任务 / 回访), owned by task/. A task is
-- due at due_at, for a customer's phone, assigned to a user (assignee,
-- users.id) or left in a queue's pool (pool, a queue name) for one of its
-- members to claim. origin says what made it: manual, voicemail,
-- abandoned (a caller hung up in a queue), ticket (a work order's reply);
-- origin_id names that thing. state: open, done or cancelled; a done task
-- ended by a call made records it in call_id. Times are Unix ms.
CREATE TABLE tasks (
	id          TEXT PRIMARY KEY,
	title       TEXT NOT NULL,
	notes       TEXT NOT NULL DEFAULT '',
	phone       TEXT NOT NULL DEFAULT '',
	customer_id TEXT,
	due_at      INTEGER NOT NULL,
	assignee    TEXT,
	pool        TEXT,
	origin      TEXT NOT NULL,
	origin_id   TEXT,
	state       TEXT NOT NULL DEFAULT 'open',
	outcome     TEXT NOT NULL DEFAULT '',
	call_id     TEXT,
	attempts    INTEGER NOT NULL DEFAULT 0,
	created_by  TEXT NOT NULL,
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	ended_at    INTEGER,
	ended_by    TEXT
);
CREATE INDEX tasks_assignee ON tasks(assignee, state, due_at);
CREATE INDEX tasks_pool ON tasks(pool, state, due_at);
CREATE INDEX tasks_due ON tasks(due_at, id);
CREATE INDEX tasks_phone ON tasks(phone, state);

-- Whether an abandoned queued call makes a callback task: one row per
-- queue that differs from the global switch, whose queue is '*'.
CREATE TABLE task_abandon_rules (
	queue   TEXT PRIMARY KEY,
	enabled INTEGER NOT NULL
);
INSERT INTO task_abandon_rules (queue, enabled) VALUES ('*', 1)
	ON CONFLICT DO NOTHING;
