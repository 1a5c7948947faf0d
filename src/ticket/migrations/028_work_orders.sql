-- 028_work_orders: work orders (工单), their history, and what configures
-- them: categories (工单分类), the service catalogue (服务目录), routing
-- rules, time limits, departments' handling settings, extension requests.
-- Every figure about an order is derivable from work_order_history; the
-- columns of work_orders are its current state, kept for lists.

CREATE TABLE wo_categories (
	name     TEXT PRIMARY KEY,             -- as the users write it: 投诉
	position INTEGER NOT NULL,             -- order in pickers
	active   INTEGER NOT NULL DEFAULT 1    -- 0: kept for old orders, not offered
);
INSERT INTO wo_categories (name, position) VALUES
	('故障申报', 1), ('咨询', 2), ('业务受理', 3), ('投诉', 4), ('建议', 5),
	('退款', 6), ('其它', 7)
	ON CONFLICT DO NOTHING;

CREATE TABLE wo_services (
	name     TEXT PRIMARY KEY,             -- 服务目录: 商城售后
	position INTEGER NOT NULL,
	active   INTEGER NOT NULL DEFAULT 1
);
INSERT INTO wo_services (name, position) VALUES
	('商城售前', 1), ('商城售后', 2), ('机票', 3), ('鲜花', 4), ('酒店', 5),
	('车险', 6), ('手机充值', 7), ('卖座电影票', 8), ('商城供应商', 9),
	('其他合作商', 10), ('其它', 11)
	ON CONFLICT DO NOTHING;

CREATE TABLE work_orders (
	id             TEXT PRIMARY KEY,       -- util_random_id
	no             TEXT NOT NULL UNIQUE,   -- WO + creation time + 4 hex: what people read out
	title          TEXT NOT NULL,
	description    TEXT NOT NULL DEFAULT '',
	category       TEXT NOT NULL,
	service        TEXT NOT NULL,
	priority       TEXT NOT NULL,          -- urgent, high, medium, low
	type           TEXT NOT NULL,          -- question, incident, fault, task
	state          TEXT NOT NULL,          -- ticket/state.c's names
	customer_phone TEXT,
	customer_id    TEXT,                   -- set by crm when it knows the number
	call_id        TEXT,                   -- the call it was written on
	created_by     TEXT NOT NULL,          -- users.id
	creator_dept   TEXT,                   -- the writer's department then
	department_id  TEXT,                   -- handling department; NULL until routed
	co_department_id TEXT,                 -- 协办: a second department helping
	assignee       TEXT,                   -- users.id of the handler
	reply_needed   INTEGER NOT NULL DEFAULT 0,
	due_at         INTEGER,                -- tasks: when it must be done (Unix ms)
	fault_id       TEXT,                   -- an incident caused by this fault order
	parent_id      TEXT,                   -- a child of this order
	merged_into    TEXT,                   -- merged: the order that carries on
	extension_s    INTEGER NOT NULL DEFAULT 0, -- approved extra business seconds
	sla_flags      INTEGER NOT NULL DEFAULT 0, -- warnings and breaches already published
	created_at     INTEGER NOT NULL,       -- Unix ms
	updated_at     INTEGER NOT NULL,
	first_response_at INTEGER,
	done_at        INTEGER,
	closed_at      INTEGER
);
CREATE INDEX work_orders_created ON work_orders(created_at, id);
CREATE INDEX work_orders_dept ON work_orders(department_id, state);
CREATE INDEX work_orders_assignee ON work_orders(assignee, state);
CREATE INDEX work_orders_state ON work_orders(state);

CREATE TABLE work_order_history (
	id         TEXT PRIMARY KEY,
	order_id   TEXT NOT NULL REFERENCES work_orders(id),
	seq        INTEGER NOT NULL,           -- 1, 2, 3 … within the order
	at         INTEGER NOT NULL,           -- Unix ms
	actor      TEXT NOT NULL,              -- users.id, or 'system'
	actor_name TEXT NOT NULL DEFAULT '',
	action     TEXT NOT NULL,              -- created, move, claim, assign, forward, cohandle, link, extension, warning, breached
	from_state TEXT,
	to_state   TEXT,
	reason     TEXT,
	data       TEXT,                       -- JSON: what else the action changed
	UNIQUE (order_id, seq)
);

-- Routing: category x service → department; '*' matches any. The most
-- specific rule wins (both named, then category, then service, then *,*).
CREATE TABLE wo_routes (
	category      TEXT NOT NULL,
	service       TEXT NOT NULL,
	department_id TEXT NOT NULL,
	PRIMARY KEY (category, service)
);

-- How a department takes its orders.
CREATE TABLE wo_departments (
	department_id TEXT PRIMARY KEY,
	assign        TEXT NOT NULL DEFAULT 'manual', -- manual, round-robin, least-loaded
	lead_user     TEXT,                    -- users.id of the lead; else its supervisors
	calendar      TEXT,                    -- calendars.name (ivr): business hours
	last_assigned TEXT                     -- round-robin's place
);

-- Time limits in business seconds per category x priority ('*' any).
CREATE TABLE wo_limits (
	category         TEXT NOT NULL,
	priority         TEXT NOT NULL,
	first_response_s INTEGER NOT NULL,
	update_s         INTEGER NOT NULL,
	complete_s       INTEGER NOT NULL,
	warn_pct         INTEGER NOT NULL DEFAULT 80, -- warn at this share of a limit
	max_extension_s  INTEGER NOT NULL DEFAULT 0,  -- 延时: most a lead may grant in all
	PRIMARY KEY (category, priority)
);
INSERT INTO wo_limits (category, priority, first_response_s, update_s,
	complete_s, warn_pct, max_extension_s) VALUES
	('*', 'urgent', 1800, 7200, 14400, 80, 14400),
	('*', 'high', 3600, 14400, 28800, 80, 28800),
	('*', 'medium', 7200, 28800, 86400, 80, 86400),
	('*', 'low', 14400, 57600, 172800, 80, 172800)
	ON CONFLICT DO NOTHING;

-- 延时申请: a handler asks for more time, a lead decides.
CREATE TABLE wo_extensions (
	id           TEXT PRIMARY KEY,
	order_id     TEXT NOT NULL REFERENCES work_orders(id),
	seconds      INTEGER NOT NULL,
	reason       TEXT NOT NULL,
	state        TEXT NOT NULL,            -- pending, approved, refused
	requested_by TEXT NOT NULL,
	requested_at INTEGER NOT NULL,
	decided_by   TEXT,
	decided_at   INTEGER
);
CREATE INDEX wo_extensions_order ON wo_extensions(order_id);
