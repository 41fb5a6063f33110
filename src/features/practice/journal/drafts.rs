//! Which draft a form keeps: a new entry's, in one of its slots, or the
//! changes to one entry. Pure, so it is unit-tested (in `rules`).

/// The most drafts of new entries a member keeps at once.
pub const MAX_NEW_DRAFTS: i64 = 20;

/// Which draft: a new entry's, in one of its slots, or the changes to one
/// entry (keyed by its id). The first new entry's slot is `new`; each new
/// entry started beside a kept draft gets a slot of its own, `new-<uuid>`, so
/// starting one never overwrites another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DraftFor {
    New(String),
    Entry(String),
}

impl DraftFor {
    /// The first new entry's slot.
    pub fn new_entry() -> Self {
        DraftFor::New("new".to_owned())
    }

    /// A slot of its own, beside any kept drafts.
    pub fn fresh() -> Self {
        DraftFor::New(format!("new-{}", uuid::Uuid::now_v7()))
    }

    /// What a form or request names: an entry's id, or else a new entry's
    /// slot (the first when none is named). None for a slot that is not one
    /// of ours.
    pub fn named(entry_id: Option<&str>, slot: Option<&str>) -> Option<Self> {
        match (entry_id.filter(|e| !e.is_empty()), slot.filter(|s| !s.is_empty())) {
            (Some(id), _) => Some(DraftFor::Entry(id.to_owned())),
            (None, None) => Some(DraftFor::new_entry()),
            (None, Some(slot)) => is_new_draft_key(slot).then(|| DraftFor::New(slot.to_owned())),
        }
    }

    /// The key in `journal_drafts`.
    pub fn key(&self) -> &str {
        match self {
            DraftFor::New(slot) => slot,
            DraftFor::Entry(id) => id,
        }
    }

    pub fn entry_id(&self) -> Option<&str> {
        match self {
            DraftFor::Entry(id) => Some(id),
            DraftFor::New(_) => None,
        }
    }

    /// The draft a key in `journal_drafts` stands for.
    pub fn from_key(key: &str) -> Self {
        if is_new_draft_key(key) { DraftFor::New(key.to_owned()) } else { DraftFor::Entry(key.to_owned()) }
    }

    /// The form the draft opens in: a new entry's (naming the slot when it is
    /// not the first) or the entry's edit form.
    pub fn form_url(&self) -> String {
        match (self, self.extra_slot()) {
            (DraftFor::Entry(id), _) => format!("/practice/journal/{id}/edit"),
            (DraftFor::New(_), Some(slot)) => format!("/practice/journal/new?draft={slot}"),
            (DraftFor::New(_), None) => "/practice/journal/new".to_owned(),
        }
    }

    /// A new entry's slot, when it is not the first (the first needs no name).
    pub fn extra_slot(&self) -> Option<&str> {
        match self {
            DraftFor::New(slot) if slot != "new" => Some(slot),
            _ => None,
        }
    }
}

/// A new entry's draft key: `new`, or `new-` and a UUID.
pub fn is_new_draft_key(key: &str) -> bool {
    key == "new" || key.strip_prefix("new-").is_some_and(|u| uuid::Uuid::parse_str(u).is_ok())
}
