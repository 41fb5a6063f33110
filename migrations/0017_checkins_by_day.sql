-- One index serves both readings of check-ins: a kind's latest first (ordered
-- by day, time and id, so no sort is needed, even in PostgreSQL's generic
-- plan for a prepared statement) and the dashboard's means (score is in the
-- index, so the rows are not visited).
CREATE INDEX checkins_by_day ON checkins (user_id, kind, day, created_at, id, score);
DROP INDEX checkins_user_kind_day_score;
