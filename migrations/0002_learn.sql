-- Posts written by coaches, their tags and related guide chapters, and the
-- answers a member gave in "get started".

CREATE TABLE posts (
    id TEXT PRIMARY KEY,
    slug TEXT NOT NULL,
    title TEXT NOT NULL,
    excerpt TEXT NOT NULL,
    body TEXT NOT NULL,
    -- 'draft' or 'published'; a published post with a future publish_at is scheduled.
    status TEXT NOT NULL,
    publish_at BIGINT,
    author_id TEXT REFERENCES users (id) ON DELETE SET NULL,
    reading_minutes BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX posts_slug_key ON posts (slug);
CREATE INDEX posts_published ON posts (status, publish_at);

CREATE TABLE post_tags (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    tag TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (post_id, tag)
);
CREATE INDEX post_tags_tag ON post_tags (tag);

CREATE TABLE post_chapters (
    post_id TEXT NOT NULL REFERENCES posts (id) ON DELETE CASCADE,
    chapter TEXT NOT NULL,
    position BIGINT NOT NULL,
    PRIMARY KEY (post_id, chapter)
);
CREATE INDEX post_chapters_chapter ON post_chapters (chapter);

-- Encoded as "path=…&company=…&reasons=a,b&afraid=0" (see learn::start).
CREATE TABLE start_answers (
    user_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    answers TEXT NOT NULL,
    updated_at BIGINT NOT NULL
);
