-- A number on each member that changes with every write to what their
-- dashboard is drawn from: check-ins, results and moments of return. It is
-- read with the session, so a dashboard kept in memory is used again only
-- while nothing it was made from has changed, on whichever instance wrote
-- (SQLite).
ALTER TABLE users ADD COLUMN dashboard_version BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER dashboard_version_checkin_insert AFTER INSERT ON checkins BEGIN
    UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER dashboard_version_checkin_update AFTER UPDATE ON checkins BEGIN
    UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER dashboard_version_checkin_delete AFTER DELETE ON checkins BEGIN
    UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER dashboard_version_result_insert AFTER INSERT ON instrument_results BEGIN
    UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER dashboard_version_result_update AFTER UPDATE ON instrument_results BEGIN
    UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER dashboard_version_result_delete AFTER DELETE ON instrument_results BEGIN
    UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id = OLD.user_id;
END;

CREATE TRIGGER dashboard_version_return_insert AFTER INSERT ON moments_of_return BEGIN
    UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER dashboard_version_return_update AFTER UPDATE ON moments_of_return BEGIN
    UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER dashboard_version_return_delete AFTER DELETE ON moments_of_return BEGIN
    UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id = OLD.user_id;
END;
