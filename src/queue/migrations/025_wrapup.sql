-- 025_wrapup: not-ready reasons (示忙原因) and wrap-up codes (小结代码) an
-- administrator configures, the queue setting that makes a code mandatory,
-- and the wrap-up filed with each call. The calls columns are written by
-- call/http_wrapup.c; they sit in this one migration (one number per change).
CREATE TABLE not_ready_reasons (
	code     TEXT PRIMARY KEY,           -- what PUT /agents/{ext}/state sends
	label_zh TEXT NOT NULL,
	label_en TEXT NOT NULL,
	sort     INTEGER NOT NULL DEFAULT 0, -- lower first in the console
	active   INTEGER NOT NULL DEFAULT 1  -- 0: kept for history, not offered
);
CREATE TABLE wrapup_codes (
	code     TEXT PRIMARY KEY,
	label_zh TEXT NOT NULL,
	label_en TEXT NOT NULL,
	queue    TEXT,                       -- NULL: every queue
	sort     INTEGER NOT NULL DEFAULT 0,
	active   INTEGER NOT NULL DEFAULT 1
);
INSERT INTO not_ready_reasons (code, label_zh, label_en, sort) VALUES
	('break', '休息', 'Break', 10),
	('meal', '就餐', 'Meal', 20),
	('training', '培训', 'Training', 30),
	('meeting', '会议', 'Meeting', 40),
	('after_call', '后处理', 'After-call work', 50),
	('outbound', '外呼', 'Outbound calls', 60),
	('supervisor', '主管置忙', 'Set by supervisor', 70);
INSERT INTO wrapup_codes (code, label_zh, label_en, sort) VALUES
	('inquiry', '咨询', 'Inquiry', 10),
	('complaint', '投诉', 'Complaint', 20),
	('repair', '报修', 'Repair', 30),
	('sale', '销售', 'Sale', 40),
	('other', '其他', 'Other', 90);
ALTER TABLE queues ADD COLUMN wrapup_required TEXT NOT NULL DEFAULT 'false';
ALTER TABLE calls ADD COLUMN wrapup_code TEXT;
ALTER TABLE calls ADD COLUMN wrapup_notes TEXT;
ALTER TABLE calls ADD COLUMN wrapup_by TEXT;      -- the username who filed it
ALTER TABLE calls ADD COLUMN wrapup_at INTEGER;   -- Unix ms
CREATE INDEX calls_wrapup ON calls(wrapup_code, started_at);
