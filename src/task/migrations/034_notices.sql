-- 034_notices: notices (公告), owned by task/. A notice reaches the users
-- in its audience: its notice_targets rows, kind 'role' (a role's name) or
-- 'department' (a department's id, its sub-departments included). A user
-- is in the audience when no department row exists or theirs is under one,
-- and no role row exists or theirs is one. expires_at NULL: never.
CREATE TABLE notices (
	id         TEXT PRIMARY KEY,
	title      TEXT NOT NULL,
	body       TEXT NOT NULL,
	expires_at INTEGER,
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE INDEX notices_created ON notices(created_at);

CREATE TABLE notice_targets (
	notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
	kind      TEXT NOT NULL,
	value     TEXT NOT NULL,
	PRIMARY KEY (notice_id, kind, value)
);

-- Read receipts: who read which notice, when.
CREATE TABLE notice_reads (
	notice_id TEXT NOT NULL REFERENCES notices(id) ON DELETE CASCADE,
	user_id   TEXT NOT NULL,
	read_at   INTEGER NOT NULL,
	PRIMARY KEY (notice_id, user_id)
);
CREATE INDEX notice_reads_user ON notice_reads(user_id);
