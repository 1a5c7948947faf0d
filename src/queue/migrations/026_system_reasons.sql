-- 026_system_reasons: the not-ready reasons Hotline sets by itself, so
-- that consoles show them in words: after N unanswered rings (acd/agent.c,
-- "no-answer") and the phone's *22 (queue/agents.c, "phone"). Inactive:
-- shown, never offered to an agent or accepted from the API.
INSERT OR IGNORE INTO not_ready_reasons (code, label_zh, label_en, sort, active) VALUES
	('no-answer', '未接听自动示忙', 'No answer (automatic)', 900, 0),
	('phone', '话机示忙', 'Set from the phone', 910, 0);
