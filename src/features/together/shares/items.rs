//! What a partner sees of a shared item: a snapshot made from the author's own
//! row (read with the author's id, so only one's own items can be shared),
//! as plain labelled sections. The snapshot is the whole of what crosses over;
//! nothing else about the item (its other fields, its times, how many others
//! there are) reaches the partner.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::features::assess::{checkin_store, checkins, service as assess, store as results};
use crate::features::practice::cycle::store as cycle;
use crate::features::practice::journal::store as journal;
use crate::features::practice::repair::{content as repair_content, rules as repair_rules, store as repair};
use crate::features::practice::returns::store as returns;
use crate::state::AppState;
use crate::web::AppError;

/// The six kinds of item a member can share.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ItemKind {
    Journal,
    Result,
    CheckIn,
    Repair,
    Cycle,
    Return,
}

impl ItemKind {
    pub const ALL: [ItemKind; 6] = [
        ItemKind::Journal,
        ItemKind::Result,
        ItemKind::CheckIn,
        ItemKind::Repair,
        ItemKind::Cycle,
        ItemKind::Return,
    ];

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Journal => "journal",
            Self::Result => "result",
            Self::CheckIn => "check-in",
            Self::Repair => "repair",
            Self::Cycle => "cycle",
            Self::Return => "return",
        }
    }
    /// "a journal entry", for sentences.
    pub fn noun(self) -> &'static str {
        match self {
            Self::Journal => "journal entry",
            Self::Result => "reflection result",
            Self::CheckIn => "check-in",
            Self::Repair => "repair plan",
            Self::Cycle => "cycle map",
            Self::Return => "moment of return",
        }
    }
    /// Where the author finds the item itself.
    pub fn own_path(self, id: &str) -> String {
        match self {
            Self::Journal => format!("/practice/journal/{id}"),
            Self::Result => format!("/know/results/{id}"),
            Self::CheckIn => "/dashboard".into(),
            Self::Repair => format!("/practice/repair/{id}"),
            Self::Cycle => format!("/practice/cycle/{id}"),
            Self::Return => "/practice/returns".into(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Section {
    pub label: String,
    pub text: String,
}

/// One shared version of an item: what the partner reads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Snapshot {
    pub kind: ItemKind,
    pub heading: String,
    pub sections: Vec<Section>,
}

impl Snapshot {
    fn new(kind: ItemKind, heading: impl Into<String>) -> Self {
        Snapshot { kind, heading: heading.into(), sections: Vec::new() }
    }
    /// Add a section, leaving out empty ones.
    fn with(mut self, label: impl Into<String>, text: impl Into<String>) -> Self {
        let text = text.into();
        if !text.trim().is_empty() {
            self.sections.push(Section { label: label.into(), text });
        }
        self
    }
}

/// The snapshot of one of the author's items, or None when there is no such
/// item of theirs.
pub async fn snapshot(
    state: &AppState,
    author_id: &str,
    kind: ItemKind,
    id: &str,
) -> Result<Option<Snapshot>, AppError> {
    let db = &state.db;
    Ok(match kind {
        ItemKind::Journal => journal::find_entry(db, author_id, id).await?.map(|e| {
            let heading =
                if e.title.trim().is_empty() { "A journal entry".to_owned() } else { e.title.clone() };
            Snapshot::new(kind, heading).with("Prompt", e.prompt_text).with("Entry", e.body)
        }),
        ItemKind::Result => match results::find(db, author_id, id).await? {
            None => None,
            Some(r) => {
                let instrument = assess::instrument(state, &r.instrument_id)?;
                let mut s = Snapshot::new(kind, instrument.title.clone());
                for d in &instrument.dimensions {
                    if let Some(score) = r.scores.get(&d.id) {
                        s = s.with(
                            d.title.clone(),
                            format!("{score:.1} on a scale of 1 to {}", instrument.points),
                        );
                    }
                }
                if let Some(region) = instrument.interpretation(&r.scores) {
                    s = s.with(region.title, region.text);
                }
                Some(s)
            }
        },
        ItemKind::CheckIn => match checkin_store::find(db, author_id, id).await? {
            None => None,
            Some(c) => {
                let info = checkins::info(&c.kind).ok_or(AppError::NotFound)?;
                let mut s = Snapshot::new(kind, format!("{} check-in, {}", info.title, c.day));
                for (item, label) in info.items {
                    if let Some(v) = c.values.get(*item) {
                        s = s.with(*label, format!("{v} of {}", info.max));
                    }
                }
                Some(s.with("Note", c.note))
            }
        },
        ItemKind::Repair => repair::find_plan(db, author_id, id).await?.map(|p| {
            let a = &p.answers.0;
            let feelings = repair_rules::labels(&a.feelings, repair_content::FEELINGS).join(", ");
            let moves = repair_rules::labels(&a.moves, repair_content::PROTECTIVE_MOVES).join(", ");
            Snapshot::new(kind, "A repair plan")
                .with("What I say before a pause", &a.pause_message)
                .with("What happened", &a.what_happened)
                .with("What I felt", feelings)
                .with("What I felt, in my words", &a.what_i_felt)
                .with("How I protected myself", moves)
                .with("How I protected myself, in my words", &a.how_i_protected)
                .with("My part", &a.my_part)
                .with("What I need", &a.what_i_need)
                .with("My repair attempt", &a.repair_attempt)
        }),
        ItemKind::Cycle => cycle::find_map(db, author_id, id).await?.map(|m| {
            let mut s = Snapshot::new(kind, m.title.clone());
            for (_, label, text) in m.latest.0.links() {
                s = s.with(label, text);
            }
            s
        }),
        ItemKind::Return => returns::find_return(db, author_id, id).await?.map(|r| {
            Snapshot::new(kind, "A moment of return").with("When", r.day).with("What happened", r.text)
        }),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_read_back_from_their_names() {
        for k in ItemKind::ALL {
            assert_eq!(ItemKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ItemKind::parse("everything"), None);
    }

    #[test]
    fn empty_sections_are_left_out() {
        let s = Snapshot::new(ItemKind::Return, "A moment").with("When", "2026-12-01").with("Note", "  ");
        assert_eq!(s.sections, vec![Section { label: "When".into(), text: "2026-12-01".into() }]);
    }
}
