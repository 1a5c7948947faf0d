-- 022_call_trunk: the carrier's trunk a call came in or went out on
-- (trunk/'s name; NULL for internal calls and the demo's loopback), for
-- the trunk report (中继呼叫明细). direction says which way: inbound,
-- outbound, internal.
ALTER TABLE calls ADD COLUMN trunk TEXT;
