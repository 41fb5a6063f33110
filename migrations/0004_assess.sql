-- Results of a member taking an instrument. Answers and scores are JSON text
-- (item id → answer; dimension id → score), private to the member.
CREATE TABLE instrument_results (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    instrument_id TEXT NOT NULL,
    answers TEXT NOT NULL,
    scores TEXT NOT NULL,
    taken_at BIGINT NOT NULL
);
CREATE INDEX instrument_results_user ON instrument_results (user_id, instrument_id, taken_at);
