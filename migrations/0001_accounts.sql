-- Accounts, sessions and sign-in throttling.
-- Portable SQL: TEXT ids (UUIDv7), BIGINT Unix seconds, no booleans.

CREATE TABLE users (
    id TEXT PRIMARY KEY,
    email TEXT NOT NULL,
    display_name TEXT NOT NULL,
    password_hash TEXT NOT NULL,
    role TEXT NOT NULL DEFAULT 'member',
    time_zone TEXT NOT NULL DEFAULT 'UTC',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX users_email_key ON users (email);

-- Only the SHA-256 of a session token is stored; the token itself lives in the
-- member's cookie. `id` is a separate public identifier used to end a session.
CREATE TABLE sessions (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    device TEXT NOT NULL,
    browser TEXT NOT NULL
);
CREATE UNIQUE INDEX sessions_token_hash_key ON sessions (token_hash);
CREATE INDEX sessions_user_id ON sessions (user_id);

-- Failed sign-ins per scope ("pair:<email>|<address>", "addr:<address>",
-- "account:<email>"), shared by every instance.
CREATE TABLE sign_in_failures (
    scope TEXT PRIMARY KEY,
    failures BIGINT NOT NULL,
    last_failure_at BIGINT NOT NULL
);
