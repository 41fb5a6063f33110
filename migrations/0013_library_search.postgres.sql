-- Transcript search (PostgreSQL), apart from the public index: only members
-- with library access are ever shown it. One row per transcript cue.
CREATE TABLE search_index_library (
    recording_id TEXT NOT NULL,
    at_seconds BIGINT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    document tsvector GENERATED ALWAYS AS (to_tsvector('english', body)) STORED
);
CREATE INDEX search_index_library_document ON search_index_library USING GIN (document);
CREATE INDEX search_index_library_recording ON search_index_library (recording_id);
