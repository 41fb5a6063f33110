-- Background jobs, mail, single-use account links, security events and
-- in-app notices.

-- Work any instance may do later: send a mail, remind someone. An instance
-- claims a due job by setting `locked_until` and its own `lease`; a job whose
-- instance died is claimed again once `locked_until` has passed. A job that
-- ran out of attempts keeps its `failed_at` and `last_error` for the admin.
-- `dedupe_key` (optional) makes enqueuing the same work twice one job.
-- `user_id` names the member the job is for, so deleting the account
-- deletes their pending jobs.
CREATE TABLE jobs (
    id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    payload TEXT NOT NULL,
    dedupe_key TEXT,
    user_id TEXT,
    run_at BIGINT NOT NULL,
    attempts BIGINT NOT NULL DEFAULT 0,
    max_attempts BIGINT NOT NULL,
    last_error TEXT,
    locked_until BIGINT,
    lease TEXT,
    failed_at BIGINT,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX jobs_dedupe_key ON jobs (dedupe_key);
CREATE INDEX jobs_due ON jobs (run_at);
CREATE INDEX jobs_user ON jobs (user_id);

-- Work that is finished, by its dedupe key: a job that runs twice does its
-- work once. Kept for a week (housekeeping).
CREATE TABLE jobs_done (
    dedupe_key TEXT PRIMARY KEY,
    done_at BIGINT NOT NULL
);

-- Mail, when no mail server is configured: what would have been sent, for
-- the operator (`securebase mail outbox`) and the tests.
CREATE TABLE mail_outbox (
    id TEXT PRIMARY KEY,
    user_id TEXT,
    to_address TEXT NOT NULL,
    subject TEXT NOT NULL,
    text_body TEXT NOT NULL,
    html_body TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX mail_outbox_to ON mail_outbox (to_address, created_at);
CREATE INDEX mail_outbox_user ON mail_outbox (user_id);

-- Single-use links sent by mail: password reset, address verification, an
-- email change to confirm or undo. Only the SHA-256 of a token is stored, made
-- by the job that sends the mail. `browser_hash` (a new account's link) is the
-- SHA-256 of a cookie set by the sign-up form: the link signs in that browser
-- alone.
CREATE TABLE account_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    browser_hash TEXT,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    used_at BIGINT
);
CREATE INDEX account_tokens_email ON account_tokens (email, purpose);
CREATE INDEX account_tokens_user ON account_tokens (user_id, purpose);

-- What happened to an account that its owner should know of: a new device,
-- a password or email change, a session ended from elsewhere. Device class
-- and time only, never a place.
CREATE TABLE security_events (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    device TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX security_events_user ON security_events (user_id, created_at);

-- Notices the product leaves for a member, read or dismissed one at a time.
CREATE TABLE notices (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    read_at BIGINT
);
CREATE INDEX notices_user ON notices (user_id, read_at);

-- A verified address; accounts made before verification existed count as verified.
ALTER TABLE users ADD COLUMN email_verified_at BIGINT;
UPDATE users SET email_verified_at = created_at;
-- Whether a new notice also sends a (discreet) mail: 1 or 0.
ALTER TABLE users ADD COLUMN notice_mail BIGINT NOT NULL DEFAULT 1;
-- The last sign-in (an account's first is not "a device not seen before").
ALTER TABLE users ADD COLUMN last_sign_in_at BIGINT;

-- When members were told of a post (a post is announced once).
ALTER TABLE posts ADD COLUMN announced_at BIGINT;
