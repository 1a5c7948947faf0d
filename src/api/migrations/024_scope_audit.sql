-- 024_scope_audit: each user's data scope and number masking, and the
-- audit log (who did what, when, from where, and whether it was allowed).
-- scope NULL: the role's default (api/scope.c), so a changed role brings
-- its own default along unless a scope was set on purpose.
ALTER TABLE users ADD COLUMN scope TEXT;          -- all, departments, own
ALTER TABLE users ADD COLUMN mask_numbers INTEGER NOT NULL DEFAULT 0;

CREATE TABLE audit_log (
	id       TEXT PRIMARY KEY,                -- util_random_id
	at       INTEGER NOT NULL,                -- Unix ms
	username TEXT NOT NULL,                   -- '' when nobody was signed in
	role     TEXT NOT NULL,
	action   TEXT NOT NULL,                   -- "POST /api/v1/users", "auth.login"
	target   TEXT NOT NULL,                   -- the request path, or what it was about
	detail   TEXT NOT NULL,                   -- the status and reason
	ip       TEXT NOT NULL,
	outcome  TEXT NOT NULL                    -- ok, failed, refused
);
CREATE INDEX audit_log_at ON audit_log(at, id);
