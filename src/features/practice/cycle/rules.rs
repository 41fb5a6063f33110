//! The negative-cycle map's rules: the five links of the loop partners get
//! caught in, what each needs, and the words that help fill them in. Pure, so
//! it is unit-tested.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::web::FieldErrors;
use crate::web::forms::normalise_newlines;

pub const MAX_FIELD_CHARS: usize = 500;
pub const MAX_TITLE_CHARS: usize = 120;
pub const DEFAULT_TITLE: &str = "Our cycle";

/// One version of a map. The last link leads back to the first.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct CycleFields {
    /// What sets it off for me.
    #[serde(default)]
    pub my_trigger: String,
    /// What I feel underneath.
    #[serde(default)]
    pub my_feeling: String,
    /// What I do to protect myself.
    #[serde(default)]
    pub my_move: String,
    /// How my partner may read what I do.
    #[serde(default)]
    pub partner_reads: String,
    /// What my partner does then (which sets me off again).
    #[serde(default)]
    pub partner_move: String,
    /// Optional: what might interrupt the loop.
    #[serde(default)]
    pub way_out: String,
}

/// The links in loop order: (field name, label).
pub const LINKS: &[(&str, &str)] = &[
    ("my_trigger", "My trigger"),
    ("my_feeling", "What I feel underneath"),
    ("my_move", "What I do to protect myself"),
    ("partner_reads", "How my partner may read it"),
    ("partner_move", "What my partner does"),
];

impl CycleFields {
    pub fn links(&self) -> [(&'static str, &'static str, &str); 5] {
        let v = [&self.my_trigger, &self.my_feeling, &self.my_move, &self.partner_reads, &self.partner_move];
        std::array::from_fn(|i| (LINKS[i].0, LINKS[i].1, v[i].as_str()))
    }
}

pub fn validate(title: &str, f: &CycleFields) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if title.chars().count() > MAX_TITLE_CHARS {
        errors.add("title", format!("A title can be up to {MAX_TITLE_CHARS} characters."));
    }
    for (name, label, value) in f.links() {
        if value.trim().is_empty() {
            errors.add(
                name,
                format!("Fill in \u{201c}{}\u{201d}: the loop needs every link.", label.to_lowercase()),
            );
        } else if value.chars().count() > MAX_FIELD_CHARS {
            errors.add(name, format!("This can be up to {MAX_FIELD_CHARS} characters."));
        }
    }
    if f.way_out.chars().count() > MAX_FIELD_CHARS {
        errors.add("way_out", format!("This can be up to {MAX_FIELD_CHARS} characters."));
    }
    errors
}

/// A hint under each link's field.
pub fn hint(name: &str) -> &'static str {
    match name {
        "my_trigger" => "What sets it off for me: a look, a tone, a silence, a plan changed.",
        "my_feeling" => "The softer feeling under the first reaction: hurt, alone, afraid, not enough.",
        "my_move" => "What I do to protect myself: chase, criticise, go quiet, leave.",
        "partner_reads" => "How it may land for my partner: as blame, as pressure, as not caring.",
        "partner_move" => "What my partner does then, which sets me off again.",
        _ => "",
    }
}

/// The links as typed in a form: trimmed, with plain line breaks.
pub fn tidy(mut f: CycleFields) -> CycleFields {
    for v in [
        &mut f.my_trigger,
        &mut f.my_feeling,
        &mut f.my_move,
        &mut f.partner_reads,
        &mut f.partner_move,
        &mut f.way_out,
    ] {
        *v = normalise_newlines(v.trim());
    }
    f
}

/// A map's title: the one given, or the default.
pub fn map_title(title: &str) -> String {
    let t = title.trim();
    if t.is_empty() { DEFAULT_TITLE.into() } else { t.into() }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    pub fn filled() -> CycleFields {
        CycleFields {
            my_trigger: "He looks at his phone while I talk".into(),
            my_feeling: "Lonely, and afraid I do not matter".into(),
            my_move: "I criticise, louder".into(),
            partner_reads: "That he is failing again".into(),
            partner_move: "He goes quiet & leaves the room".into(),
            way_out: String::new(),
        }
    }

    #[test]
    fn every_link_is_needed_and_the_way_out_is_optional() {
        assert!(validate("", &filled()).is_empty());
        let mut f = filled();
        f.partner_reads = "  ".into();
        let e = validate("", &f);
        assert!(e.get("partner_reads").unwrap().contains("how my partner may read it"));
        f.partner_reads = "x".repeat(MAX_FIELD_CHARS + 1);
        assert!(validate("", &f).get("partner_reads").unwrap().contains("500"));
    }

    #[test]
    fn forms_are_tidied_and_untitled_maps_named() {
        let f = tidy(CycleFields { my_trigger: "  a\r\nb ".into(), ..Default::default() });
        assert_eq!(f.my_trigger, "a\nb");
        assert_eq!(map_title("  "), DEFAULT_TITLE);
        assert_eq!(map_title(" Ours "), "Ours");
        assert!(LINKS.iter().all(|(name, _)| !hint(name).is_empty()));
    }
}
