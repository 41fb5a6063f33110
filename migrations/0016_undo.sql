-- What a member deleted, kept only for the short time they may undo it, then
-- purged by a job. `saved_rows` is JSON: every row the item had, in each of
-- its tables, in the order they go back.
CREATE TABLE deleted_items (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    saved_rows TEXT NOT NULL,
    back_to TEXT NOT NULL,
    deleted_at BIGINT NOT NULL,
    undo_until BIGINT NOT NULL
);
CREATE INDEX deleted_items_user ON deleted_items (user_id);
CREATE INDEX deleted_items_until ON deleted_items (undo_until);
