-- 003_sip: SIP extensions (agent phones) and their current registrations.
CREATE TABLE extensions (
	ext          TEXT PRIMARY KEY,        -- "1001": the user part phones register as
	display_name TEXT NOT NULL DEFAULT '',
	ha1          TEXT NOT NULL,           -- hex MD5(ext:realm:password); the password itself is never stored
	enabled      INTEGER NOT NULL DEFAULT 1,
	created_at   INTEGER NOT NULL         -- Unix ms
);

-- One row per bound contact (RFC 3261 10.3), kept so phones need not
-- re-register after a restart. Rows past expires_at are dropped at start.
CREATE TABLE registrations (
	ext         TEXT NOT NULL REFERENCES extensions(ext),
	contact     TEXT NOT NULL,            -- the Contact URI as registered
	source      TEXT NOT NULL,            -- "IP:PORT" the REGISTER came from
	transport   TEXT NOT NULL,            -- udp, tcp
	expires_at  INTEGER NOT NULL,         -- Unix ms
	user_agent  TEXT NOT NULL DEFAULT '',
	call_id     TEXT NOT NULL,
	cseq        INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,         -- Unix ms of the last REGISTER
	PRIMARY KEY (ext, contact)
);
CREATE INDEX registrations_expiry ON registrations(expires_at);
