-- A number on each member that changes with every write to what their
-- dashboard is drawn from: check-ins, results and moments of return. It is
-- read with the session, so a dashboard kept in memory is used again only
-- while nothing it was made from has changed, on whichever instance wrote
-- (PostgreSQL).
ALTER TABLE users ADD COLUMN dashboard_version BIGINT NOT NULL DEFAULT 0;

CREATE FUNCTION dashboard_version_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id = NEW.user_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id = OLD.user_id;
    ELSIF TG_OP = 'UPDATE' AND OLD.user_id IS DISTINCT FROM NEW.user_id THEN
        UPDATE users SET dashboard_version = dashboard_version + 1 WHERE id = OLD.user_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER dashboard_version_on_checkins AFTER INSERT OR UPDATE OR DELETE ON checkins
FOR EACH ROW EXECUTE FUNCTION dashboard_version_bump();
CREATE TRIGGER dashboard_version_on_results AFTER INSERT OR UPDATE OR DELETE ON instrument_results
FOR EACH ROW EXECUTE FUNCTION dashboard_version_bump();
CREATE TRIGGER dashboard_version_on_returns AFTER INSERT OR UPDATE OR DELETE ON moments_of_return
FOR EACH ROW EXECUTE FUNCTION dashboard_version_bump();
