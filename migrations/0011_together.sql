-- Together: two partners, and what each of them chose to share. Everything
-- shown to the other person names the link it belongs to: after an unlink
-- (the link's rows are gone) none of it is anyone else's to see.

CREATE TABLE partner_invitations (
    id TEXT PRIMARY KEY,
    token_hash TEXT NOT NULL UNIQUE,
    inviter_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- The address it was mailed to; empty for a link to copy.
    sent_to TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    -- 'accepted', 'declined' or 'revoked', when it ended.
    outcome TEXT,
    ended_at BIGINT
);
CREATE INDEX partner_invitations_inviter ON partner_invitations (inviter_id, created_at);

-- One row for each of the two partners: a member has at most one partner.
CREATE TABLE partner_links (
    member_id TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    partner_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    link_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX partner_links_partner ON partner_links (partner_id);

CREATE TABLE shares (
    id TEXT PRIMARY KEY,
    link_id TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    item_kind TEXT NOT NULL,
    item_id TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX shares_item ON shares (link_id, author_id, item_kind, item_id);
CREATE INDEX shares_author ON shares (author_id);

-- What the partner sees: the item as it was when shared, one row per version.
CREATE TABLE share_versions (
    share_id TEXT NOT NULL REFERENCES shares (id) ON DELETE CASCADE,
    version BIGINT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    snapshot TEXT NOT NULL,
    shared_at BIGINT NOT NULL,
    PRIMARY KEY (share_id, version)
);
CREATE INDEX share_versions_author ON share_versions (author_id);

CREATE TABLE named_needs (
    id TEXT PRIMARY KEY,
    link_id TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- One of the ten needs, or empty when named in the author's own words.
    need TEXT NOT NULL,
    own_words TEXT NOT NULL,
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX named_needs_link ON named_needs (link_id, created_at);
CREATE INDEX named_needs_author ON named_needs (author_id);

-- An answer stays its author's when the need it answered is deleted with its
-- author's account (need_id becomes NULL): the partner keeps what they wrote.
CREATE TABLE need_answers (
    id TEXT PRIMARY KEY,
    need_id TEXT UNIQUE REFERENCES named_needs (id) ON DELETE SET NULL,
    author_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'hear', 'talk' (with talk_at) or 'own' (in the answer's own words).
    kind TEXT NOT NULL,
    talk_at BIGINT,
    text TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX need_answers_author ON need_answers (author_id);

CREATE TABLE repair_invitations (
    id TEXT PRIMARY KEY,
    link_id TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    message TEXT NOT NULL,
    -- A repair plan shared with it, if any.
    share_id TEXT REFERENCES shares (id) ON DELETE SET NULL,
    created_at BIGINT NOT NULL,
    closed_at BIGINT
);
CREATE INDEX repair_invitations_link ON repair_invitations (link_id, created_at);
CREATE INDEX repair_invitations_author ON repair_invitations (author_id);

CREATE TABLE repair_answers (
    id TEXT PRIMARY KEY,
    invitation_id TEXT UNIQUE REFERENCES repair_invitations (id) ON DELETE SET NULL,
    author_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    -- 'ready', or 'time' with the promised return_at.
    kind TEXT NOT NULL,
    return_at BIGINT,
    message TEXT NOT NULL,
    created_at BIGINT NOT NULL
);
CREATE INDEX repair_answers_author ON repair_answers (author_id);

CREATE TABLE reveal_answers (
    link_id TEXT NOT NULL,
    question_id TEXT NOT NULL,
    author_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    answer TEXT NOT NULL,
    skipped BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (link_id, question_id, author_id)
);
CREATE INDEX reveal_answers_author ON reveal_answers (author_id);

-- A session begun on a device the account had not used before: the first
-- share made in it is told to the owner.
ALTER TABLE sessions ADD COLUMN on_new_device BIGINT NOT NULL DEFAULT 0;
