//! The reframe: from "who is right?" to "what helps us stay connected while
//! we work this out?". Five questions, of which the disagreement and a next
//! step are needed; the answers become a headed journal entry. Pure.

use serde::Deserialize;

use crate::web::FieldErrors;
use crate::web::forms::normalise_newlines;

#[derive(Debug, Default, Deserialize)]
pub struct ReframeForm {
    #[serde(default)]
    pub disagreement: String,
    #[serde(default)]
    pub my_protecting: String,
    #[serde(default)]
    pub partner_protecting: String,
    #[serde(default)]
    pub both_want: String,
    #[serde(default)]
    pub next_step: String,
}

pub const REFRAME_MAX_CHARS: usize = 5_000;

impl ReframeForm {
    pub fn validate(&self) -> FieldErrors {
        let mut errors = FieldErrors::new();
        if self.disagreement.trim().is_empty() {
            errors.add("disagreement", "Say in a line or two what the disagreement is about.");
        }
        if self.next_step.trim().is_empty() {
            errors.add("next_step", "Name one small next step, even a tentative one.");
        }
        for (name, v) in [
            ("disagreement", &self.disagreement),
            ("my_protecting", &self.my_protecting),
            ("partner_protecting", &self.partner_protecting),
            ("both_want", &self.both_want),
            ("next_step", &self.next_step),
        ] {
            if v.chars().count() > REFRAME_MAX_CHARS {
                errors.add(name, format!("This can be up to {REFRAME_MAX_CHARS} characters."));
            }
        }
        errors
    }

    /// The entry the reframe becomes: headed sections in plain text.
    pub fn to_entry(&self) -> (String, String) {
        let mut body = String::new();
        for (heading, text) in [
            ("What we disagree about", &self.disagreement),
            ("What I may be protecting", &self.my_protecting),
            ("What my partner may be protecting", &self.partner_protecting),
            ("What we both want", &self.both_want),
            ("One next step that protects us", &self.next_step),
        ] {
            let text = normalise_newlines(text.trim());
            if !text.is_empty() {
                body.push_str(heading);
                body.push('\n');
                body.push_str(&text);
                body.push_str("\n\n");
            }
        }
        let first: String = self.disagreement.trim().chars().take(60).collect();
        let ellipsis = if self.disagreement.trim().chars().count() > 60 { "…" } else { "" };
        (format!("Reframe: {first}{ellipsis}"), body.trim_end().to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reframe_needs_the_disagreement_and_a_next_step_and_becomes_headed_text() {
        let empty = ReframeForm::default().validate();
        assert!(empty.get("disagreement").is_some() && empty.get("next_step").is_some());
        let f = ReframeForm {
            disagreement: "Whose family we see at New Year".into(),
            my_protecting: "Feeling that my family counts\r\ntoo".into(),
            next_step: "Talk on Sunday, over a walk".into(),
            ..Default::default()
        };
        assert!(f.validate().is_empty());
        let (title, body) = f.to_entry();
        assert_eq!(title, "Reframe: Whose family we see at New Year");
        assert!(body.starts_with("What we disagree about\nWhose family"));
        assert!(body.contains("What I may be protecting\nFeeling that my family counts\ntoo"));
        assert!(!body.contains("What we both want"), "empty sections are left out");
        assert!(body.ends_with("over a walk"));
    }
}
