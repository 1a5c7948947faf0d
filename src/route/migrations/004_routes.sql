-- 004_routes: what a dialled number (DID) reaches. target_kind says how to
-- read target: an extension now; a queue or an IVR flow as those arrive.
CREATE TABLE dids (
	did         TEXT PRIMARY KEY,
	target_kind TEXT NOT NULL,        -- extension, queue, ivr
	target      TEXT NOT NULL,
	description TEXT NOT NULL DEFAULT '',
	created_at  INTEGER NOT NULL
);
