-- 027_customers: customer records (crm/), their phone numbers, tags,
-- custom field definitions and values, and the log of their notes.
-- Portable SQL (SQLite and PostgreSQL): TEXT ids made by the application,
-- times as INTEGER Unix ms, partial indexes (both engines have them).
CREATE TABLE customers (
	id          TEXT PRIMARY KEY,
	name        TEXT NOT NULL DEFAULT '',
	company     TEXT NOT NULL DEFAULT '',
	region      TEXT NOT NULL DEFAULT '',
	level       TEXT NOT NULL DEFAULT 'normal', -- normal, silver, gold, vip (crm/level.c)
	owner       TEXT NOT NULL DEFAULT '',       -- the owning agent's extension, '' none
	notes       TEXT NOT NULL DEFAULT '',       -- shown on the next call's screen pop
	blacklisted INTEGER NOT NULL DEFAULT 0,
	blacklist_reason TEXT NOT NULL DEFAULT '',
	source      TEXT NOT NULL DEFAULT 'manual', -- manual, call, import, work_order
	created_at  INTEGER NOT NULL,
	updated_at  INTEGER NOT NULL,
	deleted_at  INTEGER                         -- soft delete: NULL while live
);
CREATE INDEX customers_created ON customers(created_at, id);
CREATE INDEX customers_owner ON customers(owner);
CREATE INDEX customers_name ON customers(name);

-- A number belongs to one live customer: live mirrors the customer's
-- deleted_at (1 while live), so a deleted customer's numbers may be taken
-- by a new one, and restoring it then is refused (409). Numbers are stored
-- normalised (crm_phone_norm): digits, a leading '+' kept only for
-- numbers outside China.
CREATE TABLE customer_phones (
	customer_id TEXT NOT NULL,
	number      TEXT NOT NULL,
	label       TEXT NOT NULL DEFAULT '',       -- mobile, office, home …
	live        INTEGER NOT NULL DEFAULT 1,
	pos         INTEGER NOT NULL DEFAULT 0,     -- order shown, 0 first
	PRIMARY KEY (customer_id, number)
);
CREATE UNIQUE INDEX customer_phones_live ON customer_phones(number) WHERE live = 1;
CREATE INDEX customer_phones_number ON customer_phones(number);

CREATE TABLE customer_tags (
	customer_id TEXT NOT NULL,
	tag         TEXT NOT NULL,
	PRIMARY KEY (customer_id, tag)
);
CREATE INDEX customer_tags_tag ON customer_tags(tag, customer_id);

-- Custom fields of this center's customers, defined over the API.
CREATE TABLE customer_fields (
	name       TEXT PRIMARY KEY,                -- the key in a customer's "fields"
	label      TEXT NOT NULL,
	type       TEXT NOT NULL,                   -- text, number, date, choice
	options    TEXT NOT NULL DEFAULT '[]',      -- JSON array: a choice's values
	required   INTEGER NOT NULL DEFAULT 0,
	pos        INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL
);

CREATE TABLE customer_field_values (
	customer_id TEXT NOT NULL,
	field       TEXT NOT NULL,
	value       TEXT NOT NULL,
	PRIMARY KEY (customer_id, field)
);

-- Every change of a customer's notes, for the contact history.
CREATE TABLE customer_notes (
	id          TEXT PRIMARY KEY,
	customer_id TEXT NOT NULL,
	at          INTEGER NOT NULL,
	by_user     TEXT NOT NULL,
	body        TEXT NOT NULL
);
CREATE INDEX customer_notes_customer ON customer_notes(customer_id, at);

-- The contact history reads calls by number: call/'s 035 indexes them.
