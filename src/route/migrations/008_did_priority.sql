-- 008_did_priority: a queue DID may raise its callers' priority (a VIP
-- line, or later an IVR choice): higher is answered first, equal
-- priorities first come, first served.
ALTER TABLE dids ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
