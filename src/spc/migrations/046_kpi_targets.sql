-- 046_kpi_targets: the KPI targets a center sets in place of the
-- reference's defaults (report/kpi.c's table). One row per KPI and scope:
-- queue '' is the whole center, a queue's name overrides the center for
-- that queue. A bound NULL is an open end (no floor, no ceiling); a row
-- with both NULL says "no target here". Values are in the KPI's unit
-- (ratios 0..1, times in seconds). Removing a row restores what lies
-- under it: the center's row, else the default.
CREATE TABLE kpi_targets (
    queue      TEXT NOT NULL DEFAULT '',
    kpi        TEXT NOT NULL,
    target_lo  REAL,
    target_hi  REAL,
    updated_at INTEGER NOT NULL,
    updated_by TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (queue, kpi)
);
