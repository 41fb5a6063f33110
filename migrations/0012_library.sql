-- The library: recordings of past group sessions, who may watch them, and
-- each member's own place and notes in them.

-- Library access. One row per member; access holds while it is not revoked
-- and not past its expiry (NULL: no expiry).
CREATE TABLE library_memberships (
    member_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    -- 'coach', 'code' or 'payment': how it was last granted.
    source TEXT NOT NULL,
    granted_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT,
    -- The payment provider's customer and subscription, when it was paid for.
    customer_ref TEXT,
    subscription_ref TEXT,
    updated_at BIGINT NOT NULL
);
CREATE INDEX library_memberships_subscription ON library_memberships (subscription_ref);

-- Codes a coach hands out: each grants access for `grant_days` (NULL: no expiry).
CREATE TABLE library_codes (
    id TEXT PRIMARY KEY,
    code TEXT NOT NULL UNIQUE,
    label TEXT NOT NULL,
    uses_total BIGINT NOT NULL,
    uses_left BIGINT NOT NULL,
    grant_days BIGINT,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    created_at BIGINT NOT NULL
);

-- Who redeemed which code: a member redeems a code once.
CREATE TABLE library_redemptions (
    code_id TEXT NOT NULL REFERENCES library_codes (id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    redeemed_at BIGINT NOT NULL,
    PRIMARY KEY (code_id, member_id)
);
CREATE INDEX library_redemptions_member ON library_redemptions (member_id);

-- A paid membership for an address with no account yet: it becomes the
-- member's once they sign up with that address and confirm it.
CREATE TABLE library_pending_grants (
    email TEXT PRIMARY KEY,
    expires_at BIGINT,
    customer_ref TEXT,
    subscription_ref TEXT,
    created_at BIGINT NOT NULL
);
CREATE INDEX library_pending_grants_subscription ON library_pending_grants (subscription_ref);

-- Payment events already handled (the provider may send one twice).
CREATE TABLE library_payment_events (
    event_id TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    received_at BIGINT NOT NULL
);

CREATE TABLE library_recordings (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    -- The day the group met (YYYY-MM-DD).
    session_date TEXT NOT NULL,
    series TEXT NOT NULL,
    -- 'mp4', 'm4a', 'webm', 'mp3' or 'ogg', recognised from the file's bytes.
    media_kind TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    duration_seconds BIGINT,
    -- Where the bytes are in the media store, and their version tag.
    object_key TEXT NOT NULL,
    etag TEXT NOT NULL,
    -- The transcript as WebVTT, once a coach added one.
    transcript_vtt TEXT,
    -- NULL: a draft only coaches see.
    published_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX library_recordings_published ON library_recordings (published_at);

CREATE TABLE library_topics (
    recording_id TEXT NOT NULL REFERENCES library_recordings (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    PRIMARY KEY (recording_id, topic)
);
CREATE INDEX library_topics_topic ON library_topics (topic);

CREATE TABLE library_chapters (
    recording_id TEXT NOT NULL REFERENCES library_recordings (id) ON DELETE CASCADE,
    at_seconds BIGINT NOT NULL,
    title TEXT NOT NULL,
    PRIMARY KEY (recording_id, at_seconds)
);

-- Uploads in progress (tus): the bytes so far sit in the media store as parts.
CREATE TABLE library_uploads (
    id TEXT PRIMARY KEY,
    coach_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    length BIGINT NOT NULL,
    received BIGINT NOT NULL,
    parts BIGINT NOT NULL,
    media_kind TEXT,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- The parts stored so far, in order (each under a key of its own, so two
-- requests racing for the same offset never overwrite each other's bytes).
CREATE TABLE library_upload_parts (
    upload_id TEXT NOT NULL REFERENCES library_uploads (id) ON DELETE CASCADE,
    n BIGINT NOT NULL,
    object_key TEXT NOT NULL,
    PRIMARY KEY (upload_id, n)
);

-- Where a member stopped in a recording, and whether they reached the end.
CREATE TABLE library_positions (
    member_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recording_id TEXT NOT NULL REFERENCES library_recordings (id) ON DELETE CASCADE,
    position_seconds BIGINT NOT NULL,
    completed_at BIGINT,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (member_id, recording_id)
);
CREATE INDEX library_positions_recent ON library_positions (member_id, updated_at);
CREATE INDEX library_positions_recording ON library_positions (recording_id);

-- A member's private note, pinned to a moment of a recording.
CREATE TABLE library_notes (
    id TEXT PRIMARY KEY,
    member_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    recording_id TEXT NOT NULL REFERENCES library_recordings (id) ON DELETE CASCADE,
    at_seconds BIGINT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX library_notes_member ON library_notes (member_id, recording_id, at_seconds);

-- When a member last opened the library home, for "new since your last visit".
CREATE TABLE library_visits (
    member_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    previous_visit_at BIGINT NOT NULL,
    last_visit_at BIGINT NOT NULL
);
