-- 019_departments: the organisation's tree (部门), the basis of data scope:
-- a supervisor sees their department and the ones under it.
CREATE TABLE departments (
	id         TEXT PRIMARY KEY,          -- util_random_id
	name       TEXT NOT NULL,
	parent_id  TEXT REFERENCES departments(id),  -- NULL: a top department
	created_at INTEGER NOT NULL           -- Unix ms
);
CREATE INDEX departments_parent ON departments(parent_id);

ALTER TABLE users ADD COLUMN department_id TEXT REFERENCES departments(id);
CREATE INDEX users_department ON users(department_id);
