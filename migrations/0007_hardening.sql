-- Throttling that reserves each attempt before the password is checked, and can
-- be cleared by account; the question an entry was written to, kept with it;
-- instance-wide keys shared by every instance.

-- A scope ("pair:…", "account:…", "device:…", "reenter:…", "signup:…") counts
-- attempts that did not succeed (an attempt in flight counts until it does).
-- `next_allowed_ms` is when the next attempt may start (Unix milliseconds).
-- No email address is stored: scopes and `email_hash` hold the SHA-256 of the
-- address tried, and `user_id` names the account once one has it, so deleting
-- the account removes its counts.
DROP TABLE sign_in_failures;
CREATE TABLE sign_in_failures (
    scope TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL,
    next_allowed_ms BIGINT NOT NULL,
    user_id TEXT,
    email_hash TEXT
);
CREATE INDEX sign_in_failures_user ON sign_in_failures (user_id);
CREATE INDEX sign_in_failures_email_hash ON sign_in_failures (email_hash);
CREATE INDEX sign_in_failures_last ON sign_in_failures (last_failure_at);

-- The question as it read when the entry was written; a coach rewording a
-- prompt later changes what new entries see, not what old ones say.
ALTER TABLE journal_entries ADD COLUMN prompt_text TEXT NOT NULL DEFAULT '';
UPDATE journal_entries SET prompt_text = COALESCE(
    (SELECT p.text FROM journal_prompts p WHERE p.id = journal_entries.prompt_id), '');

-- Random keys the instance generates once (the known-device cookie's signing key).
CREATE TABLE instance_keys (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
