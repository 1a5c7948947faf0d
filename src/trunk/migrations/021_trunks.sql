-- 021_trunks: the carriers' lines (trunk/). A trunk's configuration is its
-- API shape as JSON (inbound_from, outbound with the digest password a
-- carrier needs in clear, max_channels, caller_id …); a dial plan is a
-- pattern (POSIX ERE over the normalised number) and the trunks to try,
-- in order (a JSON list of names). Plans are tried by position, then id.
CREATE TABLE trunks (
	name       TEXT PRIMARY KEY,
	config     TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);
CREATE TABLE dial_plans (
	id         INTEGER PRIMARY KEY,
	position   INTEGER NOT NULL,
	pattern    TEXT NOT NULL,
	trunks     TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
