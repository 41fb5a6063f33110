-- The dashboard's means per day or month read only this index: member, kind,
-- day and score, without visiting the rows.
CREATE INDEX checkins_user_kind_day_score ON checkins (user_id, kind, day, score);
DROP INDEX checkins_user_kind_day;
