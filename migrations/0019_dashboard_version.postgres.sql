-- A number per member that changes with every write to what their dashboard
-- is drawn from: check-ins, results and moments of return. The session's own
-- query reads it, so a dashboard kept in memory is used again only while
-- nothing it was drawn from has changed, whichever instance wrote. It is the
-- time of the write in microseconds (or one more than before, if that is not
-- more), and starts at the time the member's row was made, so a database
-- restored from a backup never shows a number that stood for other data. It has a table of its own: raising it locks that row,
-- never the member's account row.
-- (PostgreSQL.)
CREATE TABLE dashboard_versions (
    user_id TEXT PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    version BIGINT NOT NULL
);

CREATE FUNCTION dashboard_version_new_member() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO dashboard_versions (user_id, version) VALUES (NEW.id, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT);
    RETURN NULL;
END
$$;

CREATE TRIGGER dashboard_version_new_member AFTER INSERT ON users
FOR EACH ROW EXECUTE FUNCTION dashboard_version_new_member();

CREATE FUNCTION dashboard_version_raise() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    now_us BIGINT := (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT;
BEGIN
    IF TG_OP <> 'DELETE' THEN
        UPDATE dashboard_versions SET version = GREATEST(version + 1, now_us) WHERE user_id = NEW.user_id;
    END IF;
    IF TG_OP = 'DELETE' THEN
        UPDATE dashboard_versions SET version = GREATEST(version + 1, now_us) WHERE user_id = OLD.user_id;
    ELSIF TG_OP = 'UPDATE' AND OLD.user_id IS DISTINCT FROM NEW.user_id THEN
        UPDATE dashboard_versions SET version = GREATEST(version + 1, now_us) WHERE user_id = OLD.user_id;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER dashboard_version_on_checkins AFTER INSERT OR UPDATE OR DELETE ON checkins
FOR EACH ROW EXECUTE FUNCTION dashboard_version_raise();
CREATE TRIGGER dashboard_version_on_results AFTER INSERT OR UPDATE OR DELETE ON instrument_results
FOR EACH ROW EXECUTE FUNCTION dashboard_version_raise();
CREATE TRIGGER dashboard_version_on_returns AFTER INSERT OR UPDATE OR DELETE ON moments_of_return
FOR EACH ROW EXECUTE FUNCTION dashboard_version_raise();

INSERT INTO dashboard_versions (user_id, version) SELECT id, (EXTRACT(EPOCH FROM clock_timestamp()) * 1000000)::BIGINT FROM users
ON CONFLICT (user_id) DO NOTHING;
