-- A number per member that changes with every write to what their dashboard
-- is drawn from: check-ins, results and moments of return. The session's own
-- query reads it, so a dashboard kept in memory is used again only while
-- nothing it was drawn from has changed, whichever instance wrote. It is the
-- time of the write in microseconds (or one more than before, if that is not
-- more), and starts at the time the member's row was made, so a database
-- restored from a backup never shows a number that stood for other data. It has a table of its own: raising it locks that row,
-- never the member's account row.
-- (SQLite.)
CREATE TABLE dashboard_versions (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);

CREATE TRIGGER dashboard_version_new_member AFTER INSERT ON users BEGIN
    INSERT INTO dashboard_versions (user_id, version) VALUES (NEW.id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER));
END;
CREATE TRIGGER dashboard_version_checkin_insert AFTER INSERT ON checkins BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER dashboard_version_checkin_update AFTER UPDATE ON checkins BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER dashboard_version_checkin_delete AFTER DELETE ON checkins BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER dashboard_version_result_insert AFTER INSERT ON instrument_results BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER dashboard_version_result_update AFTER UPDATE ON instrument_results BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER dashboard_version_result_delete AFTER DELETE ON instrument_results BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;
CREATE TRIGGER dashboard_version_return_insert AFTER INSERT ON moments_of_return BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = NEW.user_id;
END;
CREATE TRIGGER dashboard_version_return_update AFTER UPDATE ON moments_of_return BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER dashboard_version_return_delete AFTER DELETE ON moments_of_return BEGIN
    UPDATE dashboard_versions SET version = MAX(version + 1, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER))
    WHERE user_id = OLD.user_id;
END;

INSERT INTO dashboard_versions (user_id, version) SELECT id, CAST((julianday('now') - 2440587.5) * 86400000000 AS INTEGER) FROM users WHERE true
ON CONFLICT (user_id) DO NOTHING;
