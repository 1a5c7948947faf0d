-- 013_call_region: where the caller's number is from (归属地), looked up
-- when the call record is created (region/: libphonenumber's geocoding
-- data); NULL when the number's region is not known (an extension, a
-- withheld or foreign number, a prefix the data places only in China).
ALTER TABLE calls ADD COLUMN province TEXT;   -- "广东省", "北京市", "新疆维吾尔自治区"
ALTER TABLE calls ADD COLUMN city TEXT;       -- "深圳市"; a municipality's own name
