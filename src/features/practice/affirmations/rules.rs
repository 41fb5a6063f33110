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

/// A choice that is not one of `Choice`'s.
#[derive(Debug, PartialEq, Eq)]
pub struct UnknownChoice;

/// A member's marks on an affirmation. The two are independent: hiding a
/// favourite and showing it again keeps it a favourite.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marks {
    pub favourite: bool,
    pub hidden: bool,
}

impl Marks {
    /// As kept in `affirmation_marks.mark`; `None` means no row.
    pub fn stored(self) -> Option<&'static str> {
        match (self.favourite, self.hidden) {
            (true, true) => Some("hidden favourite"),
            (false, true) => Some("hidden"),
            (true, false) => Some("favourite"),
            (false, false) => None,
        }
    }

    pub fn from_stored(mark: Option<&str>) -> Marks {
        match mark {
            Some("hidden favourite") => Marks { favourite: true, hidden: true },
            Some("hidden") => Marks { favourite: false, hidden: true },
            Some("favourite") => Marks { favourite: true, hidden: false },
            _ => Marks::default(),
        }
    }
}

/// What a button on the affirmation pages asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Favourite,
    Unfavourite,
    Hide,
    Show,
}

impl Choice {
    pub fn parse(choice: &str) -> Result<Choice, UnknownChoice> {
        match choice {
            "favourite" => Ok(Choice::Favourite),
            // "none" is what earlier pages sent to unfavourite.
            "unfavourite" | "none" => Ok(Choice::Unfavourite),
            "hidden" => Ok(Choice::Hide),
            "shown" => Ok(Choice::Show),
            _ => Err(UnknownChoice),
        }
    }

    /// The marks after this choice; the other mark stays as it was.
    pub fn apply(self, marks: Marks) -> Marks {
        match self {
            Choice::Favourite => Marks { favourite: true, ..marks },
            Choice::Unfavourite => Marks { favourite: false, ..marks },
            Choice::Hide => Marks { hidden: true, ..marks },
            Choice::Show => Marks { hidden: false, ..marks },
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
    let mark = |id: &str| Marks::from_stored(marks.iter().find(|(a, _)| a == id).map(|(_, m)| m.as_str()));
    let mut out: Vec<Affirmation> = AFFIRMATIONS
        .iter()
        .map(|a| (a.id.to_owned(), a.text.to_owned(), false))
        .chain(own.into_iter().map(|(id, text)| (id, text, true)))
        .map(|(id, text, own)| {
            let Marks { favourite, hidden } = mark(&id);
            Affirmation { favourite, hidden, id, text, own }
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
    fn favourites_come_first_and_marks_are_read_back() {
        let own = vec![("own-1".to_owned(), "Mine".to_owned())];
        let marks = vec![
            ("own-1".to_owned(), "favourite".to_owned()),
            ("no-perfection".to_owned(), "hidden".to_owned()),
        ];
        let all = arrange(own, &marks);
        assert_eq!(all.len(), AFFIRMATIONS.len() + 1);
        assert!(all[0].own && all[0].favourite);
        assert!(all.iter().find(|a| a.id == "no-perfection").unwrap().hidden);
        assert!(Choice::parse("starred").is_err());
    }

    #[test]
    fn hiding_a_favourite_and_showing_it_again_keeps_the_favourite() {
        let favourite = Choice::Favourite.apply(Marks::default());
        let hidden = Choice::Hide.apply(favourite);
        assert_eq!(hidden, Marks { favourite: true, hidden: true });
        assert_eq!(Marks::from_stored(hidden.stored()), hidden, "kept as it was set");
        assert_eq!(Choice::Show.apply(hidden), favourite);
        assert_eq!(Choice::Unfavourite.apply(hidden), Marks { favourite: false, hidden: true });
        assert_eq!(Choice::parse("none"), Ok(Choice::Unfavourite));
        assert_eq!(Marks::default().stored(), None, "no marks, no row");
        for m in [(false, true), (true, false), (true, true)] {
            let marks = Marks { favourite: m.0, hidden: m.1 };
            assert_eq!(Marks::from_stored(marks.stored()), marks);
        }
    }

    #[test]
    fn an_own_affirmation_needs_words_and_a_limit() {
        assert!(validate(" ").get("text").is_some());
        assert!(validate(&"x".repeat(MAX_AFFIRMATION_CHARS + 1)).get("text").is_some());
        assert!(validate("I am allowed to rest.").is_empty());
        assert!(is_built_in("no-perfection") && !is_built_in("own-x"));
    }
}
