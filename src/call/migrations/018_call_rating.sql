-- 018_call_rating: the caller's answer to the satisfaction survey, kept
-- with the call (whose agent and queue it rates): the call data
-- survey.rating when it is a whole number 1..5 (1 very dissatisfied … 5 very satisfied), else NULL.
ALTER TABLE calls ADD COLUMN rating INTEGER;
CREATE INDEX calls_rated ON calls (started_at) WHERE rating IS NOT NULL;
