-- Check-ins: signs, growth, needs and today. `day` is the member's calendar
-- day in their time zone when they checked in; `score` is the mean of the
-- values, kept so charts can be drawn from years of check-ins cheaply.
CREATE TABLE checkins (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    item_values TEXT NOT NULL,
    note TEXT NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX checkins_user_kind_day ON checkins (user_id, kind, day);
