-- Practise: the journal (entries, drafts, the instance's own prompts),
-- affirmations, repair plans, negative-cycle maps kept in versions, and
-- moments of return. Everything but the prompts belongs to one member and is
-- only ever read with that member's id in the WHERE clause.
CREATE TABLE journal_prompts (
    id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    created_by TEXT,
    created_at BIGINT NOT NULL,
    -- A retired prompt is no longer offered, but entries written to it still show it.
    retired_at BIGINT
);

CREATE TABLE journal_entries (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    prompt_id TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    version BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX journal_entries_user_created ON journal_entries (user_id, created_at, id);
CREATE INDEX journal_entries_user_prompt ON journal_entries (user_id, prompt_id, created_at, id);

-- One draft per member for a new entry (draft_key 'new') and one per entry being edited.
CREATE TABLE journal_drafts (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    draft_key TEXT NOT NULL,
    prompt_id TEXT NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    base_version BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, draft_key)
);

CREATE TABLE own_affirmations (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX own_affirmations_user ON own_affirmations (user_id, created_at);

-- 'favourite' or 'hidden' for a built-in or an own affirmation.
CREATE TABLE affirmation_marks (
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    affirmation_id TEXT NOT NULL,
    mark TEXT NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (user_id, affirmation_id)
);

-- `step` is the next step to fill in (1-7); `answers` is JSON.
CREATE TABLE repair_plans (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    step BIGINT NOT NULL,
    answers TEXT NOT NULL,
    finished_at BIGINT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX repair_plans_user ON repair_plans (user_id, updated_at);

CREATE TABLE cycle_maps (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cycle_maps_user ON cycle_maps (user_id, updated_at);

-- Every save of a map is a new version; `fields` is JSON.
CREATE TABLE cycle_map_versions (
    map_id TEXT NOT NULL REFERENCES cycle_maps (id) ON DELETE CASCADE,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    fields TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (map_id, number)
);

CREATE TABLE moments_of_return (
    id TEXT PRIMARY KEY,
    user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX moments_of_return_user_day ON moments_of_return (user_id, day);
