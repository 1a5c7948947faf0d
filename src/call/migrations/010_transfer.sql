-- 010_transfer: what call control did to a call. A blind transfer names
-- who passed the call on and where; hold_s sums the agent's holds.
ALTER TABLE calls ADD COLUMN transfer_by TEXT;   -- the agent's extension, '' for a call without one
ALTER TABLE calls ADD COLUMN transfer_to TEXT;   -- the target as given: extension, queue or DID
ALTER TABLE calls ADD COLUMN hold_s INTEGER;     -- agent hold, seconds (set when the call ends)
