-- Live group sessions: scheduled by a coach, with RSVPs from members who
-- may watch the library, personal calendar feeds, and the recording
-- attached afterwards.

CREATE TABLE library_live_sessions (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    starts_at BIGINT NOT NULL,
    -- The zone the coach scheduled it in (shown beside each member's own time).
    time_zone TEXT NOT NULL,
    duration_minutes BIGINT NOT NULL,
    join_url TEXT NOT NULL,
    recording_id TEXT REFERENCES library_recordings (id) ON DELETE SET NULL,
    cancelled_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX library_live_sessions_starts ON library_live_sessions (starts_at);

CREATE TABLE library_live_topics (
    session_id TEXT NOT NULL REFERENCES library_live_sessions (id) ON DELETE CASCADE,
    topic TEXT NOT NULL,
    PRIMARY KEY (session_id, topic)
);

CREATE TABLE library_rsvps (
    session_id TEXT NOT NULL REFERENCES library_live_sessions (id) ON DELETE CASCADE,
    member_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (session_id, member_id)
);
CREATE INDEX library_rsvps_member ON library_rsvps (member_id);

-- A member's calendar feed: a secret address (only its hash is kept).
CREATE TABLE library_calendar_feeds (
    member_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    token_hash TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
