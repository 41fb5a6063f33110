-- Each member's check-in scores summed and counted per kind and month, kept
-- by a trigger on every write to `checkins` (saving, editing, deleting, undo,
-- deleting an account), so the dashboard's year and "all" ranges read a few
-- dozen rows instead of every check-in (PostgreSQL).
CREATE TABLE checkin_months (
    user_id TEXT NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    month TEXT NOT NULL,
    total DOUBLE PRECISION NOT NULL,
    n BIGINT NOT NULL,
    PRIMARY KEY (user_id, kind, month)
);

CREATE FUNCTION checkin_months_keep() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
        UPDATE checkin_months SET total = total - OLD.score, n = n - 1
        WHERE user_id = OLD.user_id AND kind = OLD.kind AND month = SUBSTR(OLD.day, 1, 7);
        DELETE FROM checkin_months
        WHERE user_id = OLD.user_id AND kind = OLD.kind AND month = SUBSTR(OLD.day, 1, 7) AND n <= 0;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO checkin_months (user_id, kind, month, total, n)
        VALUES (NEW.user_id, NEW.kind, SUBSTR(NEW.day, 1, 7), NEW.score, 1)
        ON CONFLICT (user_id, kind, month)
        DO UPDATE SET total = checkin_months.total + excluded.total, n = checkin_months.n + 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER checkin_months_on_write AFTER INSERT OR DELETE OR UPDATE OF user_id, kind, day, score ON checkins
FOR EACH ROW EXECUTE FUNCTION checkin_months_keep();

-- Filled after the trigger exists: creating it waits for writes in flight and
-- holds new ones until this migration commits, so none is missed or counted twice.
INSERT INTO checkin_months (user_id, kind, month, total, n)
SELECT user_id, kind, SUBSTR(day, 1, 7), SUM(score), COUNT(*) FROM checkins
GROUP BY user_id, kind, SUBSTR(day, 1, 7);
