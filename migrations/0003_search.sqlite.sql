-- Full-text search over the guide, the FAQ and published posts (SQLite FTS5).
-- Private member writing is never indexed.
CREATE VIRTUAL TABLE search_index USING fts5(
    doc_key UNINDEXED,
    kind UNINDEXED,
    url UNINDEXED,
    title,
    body,
    visible_from UNINDEXED,
    tokenize = 'porter unicode61 remove_diacritics 2'
);
