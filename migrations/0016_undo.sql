-- What a member deleted, kept only for the short time they may undo it, then
-- purged by a job. `saved_rows` is JSON: every row the item had, in each of
-- its tables, in the order they go back. Once undone, `restored_at` is set and
-- the rows are cleared, so a second press of Undo is answered without them.
CREATE TABLE deleted_items (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    saved_rows TEXT NOT NULL,
    back_to TEXT NOT NULL,
    deleted_at BIGINT NOT NULL,
    undo_until BIGINT NOT NULL,
    restored_at BIGINT
);
CREATE INDEX deleted_items_user ON deleted_items (user_id, item_id);
CREATE INDEX deleted_items_until ON deleted_items (undo_until);

-- Until now a deleted item's shares were only hidden, and their snapshots
-- stayed. They go now, with the notices that pointed at them: what a member
-- deleted before this version is gone for good, as a delete is from now on.
DELETE FROM shares WHERE item_kind = 'journal'
    AND NOT EXISTS (SELECT 1 FROM journal_entries x WHERE x.id = shares.item_id AND x.user_id = shares.author_id);
DELETE FROM shares WHERE item_kind = 'result'
    AND NOT EXISTS (SELECT 1 FROM instrument_results x WHERE x.id = shares.item_id AND x.user_id = shares.author_id);
DELETE FROM shares WHERE item_kind = 'check-in'
    AND NOT EXISTS (SELECT 1 FROM checkins x WHERE x.id = shares.item_id AND x.user_id = shares.author_id);
DELETE FROM shares WHERE item_kind = 'repair'
    AND NOT EXISTS (SELECT 1 FROM repair_plans x WHERE x.id = shares.item_id AND x.user_id = shares.author_id);
DELETE FROM shares WHERE item_kind = 'cycle'
    AND NOT EXISTS (SELECT 1 FROM cycle_maps x WHERE x.id = shares.item_id AND x.user_id = shares.author_id);
DELETE FROM shares WHERE item_kind = 'return'
    AND NOT EXISTS (SELECT 1 FROM moments_of_return x WHERE x.id = shares.item_id AND x.user_id = shares.author_id);
DELETE FROM notices WHERE kind = 'together' AND url LIKE '/together/shares/%'
    AND SUBSTR(url, 18) NOT IN (SELECT id FROM shares);
