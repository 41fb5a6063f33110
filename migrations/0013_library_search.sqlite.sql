-- Transcript search (SQLite FTS5), apart from the public index: only members
-- with library access are ever shown it. One row per transcript cue.
CREATE VIRTUAL TABLE search_index_library USING fts5(
    recording_id UNINDEXED,
    at_seconds UNINDEXED,
    title UNINDEXED,
    body,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
