-- Full-text search over the guide, the FAQ and published posts (PostgreSQL).
-- Private member writing is never indexed.
CREATE TABLE search_index (
    doc_key TEXT PRIMARY KEY,
    kind TEXT NOT NULL,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    visible_from BIGINT NOT NULL,
    document tsvector GENERATED ALWAYS AS (
        setweight(to_tsvector('english', title), 'A') || setweight(to_tsvector('english', body), 'B')
    ) STORED
);
CREATE INDEX search_index_document ON search_index USING GIN (document);
