-- 001_core: web users and their bearer tokens.
CREATE TABLE users (
	id            TEXT PRIMARY KEY,
	username      TEXT NOT NULL UNIQUE,
	display_name  TEXT NOT NULL DEFAULT '',
	role          TEXT NOT NULL,          -- admin, supervisor, agent, qa, backoffice, executive
	password_hash TEXT NOT NULL,          -- Argon2id, libsodium's crypto_pwhash_str format
	extension     TEXT,                   -- the agent's extension, if any
	created_at    INTEGER NOT NULL
);

CREATE TABLE auth_tokens (
	token_hash TEXT PRIMARY KEY,          -- hex SHA-256 of the bearer token; the token itself is never stored
	user_id    TEXT NOT NULL REFERENCES users(id),
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL
);
CREATE INDEX auth_tokens_expiry ON auth_tokens(expires_at);
