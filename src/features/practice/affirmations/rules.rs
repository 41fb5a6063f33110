//! Affirmations' rules: what one of the member's own may say, the marks a
//! member can set, and the order they are shown in. Pure, so it is unit-tested.

use serde::Serialize;
use utoipa::ToSchema;

use super::content::AFFIRMATIONS;
use crate::web::FieldErrors;

pub const MAX_AFFIRMATION_CHARS: usize = 300;

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Affirmation {
    pub id: String,
    pub text: String,
    /// True for the member's own; built-in ones can be hidden but not changed.
    pub own: bool,
    pub favourite: bool,
    pub hidden: bool,
}

/// A choice that is not favourite, hidden or none.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownChoice;

/// A member's mark on an affirmation: kept as a favourite, or hidden.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mark {
    Favourite,
    Hidden,
}

impl Mark {
    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Favourite => "favourite",
            Mark::Hidden => "hidden",
        }
    }

    /// A form's choice: `Ok(None)` clears the mark.
    pub fn from_choice(choice: &str) -> Result<Option<Mark>, UnknownChoice> {
        match choice {
            "favourite" => Ok(Some(Mark::Favourite)),
            "hidden" => Ok(Some(Mark::Hidden)),
            "none" => Ok(None),
            _ => Err(UnknownChoice),
        }
    }

    /// Favourite and hidden exclude each other; hidden wins.
    pub fn from_flags(favourite: bool, hidden: bool) -> Option<Mark> {
        match (favourite, hidden) {
            (_, true) => Some(Mark::Hidden),
            (true, false) => Some(Mark::Favourite),
            (false, false) => None,
        }
    }
}

pub fn validate(text: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if text.trim().is_empty() {
        errors.add("text", "Write the sentence you would like to come back to.");
    } else if text.chars().count() > MAX_AFFIRMATION_CHARS {
        errors.add("text", format!("Keep it to {MAX_AFFIRMATION_CHARS} characters."));
    }
    errors
}

/// The built-in affirmations then the member's own (id, text), with the
/// member's marks (affirmation id, mark): favourites first, otherwise in the
/// order they were written.
pub fn arrange(own: Vec<(String, String)>, marks: &[(String, String)]) -> Vec<Affirmation> {
    let mark = |id: &str| marks.iter().find(|(a, _)| a == id).map(|(_, m)| m.as_str());
    let mut out: Vec<Affirmation> = AFFIRMATIONS
        .iter()
        .map(|a| (a.id.to_owned(), a.text.to_owned(), false))
        .chain(own.into_iter().map(|(id, text)| (id, text, true)))
        .map(|(id, text, own)| Affirmation {
            favourite: mark(&id) == Some(Mark::Favourite.as_str()),
            hidden: mark(&id) == Some(Mark::Hidden.as_str()),
            id,
            text,
            own,
        })
        .collect();
    out.sort_by_key(|a| !a.favourite);
    out
}

pub fn is_built_in(id: &str) -> bool {
    AFFIRMATIONS.iter().any(|a| a.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn favourites_come_first_and_marks_exclude_each_other() {
        let own = vec![("own-1".to_owned(), "Mine".to_owned())];
        let marks = vec![
            ("own-1".to_owned(), "favourite".to_owned()),
            ("no-perfection".to_owned(), "hidden".to_owned()),
        ];
        let all = arrange(own, &marks);
        assert_eq!(all.len(), AFFIRMATIONS.len() + 1);
        assert!(all[0].own && all[0].favourite);
        assert!(all.iter().find(|a| a.id == "no-perfection").unwrap().hidden);
        assert_eq!(Mark::from_flags(true, true), Some(Mark::Hidden));
        assert_eq!(Mark::from_flags(true, false), Some(Mark::Favourite));
        assert_eq!(Mark::from_choice("none"), Ok(None));
        assert!(Mark::from_choice("starred").is_err());
    }

    #[test]
    fn an_own_affirmation_needs_words_and_a_limit() {
        assert!(validate(" ").get("text").is_some());
        assert!(validate(&"x".repeat(MAX_AFFIRMATION_CHARS + 1)).get("text").is_some());
        assert!(validate("I am allowed to rest.").is_empty());
        assert!(is_built_in("no-perfection") && !is_built_in("own-x"));
    }
}
