-- 020_ext_realm: the digest realm each HA1 was made for. HA1 is
-- MD5(ext:realm:password) and the password is never stored, so an
-- extension keeps being challenged with its own realm after sip.realm
-- changes, until its password is set again (docs/operations.md).
-- '' on rows older than this: taken as the configured realm at the next
-- start, the realm they were made for.
ALTER TABLE extensions ADD COLUMN realm TEXT NOT NULL DEFAULT '';
