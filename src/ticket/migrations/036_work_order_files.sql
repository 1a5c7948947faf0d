-- 036_work_order_files: files attached to work orders (附件). The file
-- itself is DATA/work-orders/<id>; name is only what its uploader called
-- it, shown and offered back on download. Removal is soft: deleted_at.
CREATE TABLE work_order_files (
	id               TEXT PRIMARY KEY,     -- util_random_id: the file's name on disk
	order_id         TEXT NOT NULL REFERENCES work_orders(id),
	name             TEXT NOT NULL,        -- a plain file name (ticket/attach_name.c)
	type             TEXT NOT NULL,        -- content type, from the extension
	size             INTEGER NOT NULL,     -- bytes
	uploaded_by      TEXT NOT NULL,        -- users.id
	uploaded_by_name TEXT NOT NULL DEFAULT '',
	uploaded_at      INTEGER NOT NULL,     -- Unix ms
	deleted_at       INTEGER,
	deleted_by       TEXT                  -- users.id
);
CREATE INDEX work_order_files_order ON work_order_files(order_id, uploaded_at);
