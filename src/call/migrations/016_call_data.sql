-- 016_call_data: call-associated data (随路数据), kept with the call.
-- Entries are Section/Key/value as the IVR's set nodes or a CTI client
-- (PUT /api/v1/calls/{id}/data) wrote them; names and values are any
-- UTF-8 text of any length. seq keeps the order each entry was first set.
CREATE TABLE call_data (
  call_id TEXT NOT NULL,
  section TEXT NOT NULL,
  key     TEXT NOT NULL,
  value   TEXT NOT NULL,
  seq     INTEGER NOT NULL,
  set_at  INTEGER NOT NULL,          -- ms since the epoch, last set
  PRIMARY KEY (call_id, section, key)
);
