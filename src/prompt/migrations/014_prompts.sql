-- 014_prompts: uploaded prompts (上传的语音). The audio is the file
-- DATA_DIR/prompts/<name>.wav (8 kHz mono 16-bit, converted on upload);
-- the row says how long it is and what was uploaded.
CREATE TABLE prompts (
	name        TEXT PRIMARY KEY,
	duration_ms INTEGER NOT NULL,
	orig_rate   INTEGER NOT NULL,     -- the upload's samples per second
	orig_channels INTEGER NOT NULL,
	uploaded_by TEXT NOT NULL DEFAULT '',
	uploaded_at INTEGER NOT NULL      -- ms since the epoch, UTC
);
