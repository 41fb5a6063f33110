//! The conflict-repair guide's rules: the safety check, its steps, what each
//! one asks, and the plan it builds. The safety check is never stored: a plan
//! only exists once the member has said they are not afraid of their partner.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::content::{FEELINGS, PROTECTIVE_MOVES};
use crate::web::FieldErrors;

pub const MAX_ANSWER_CHARS: usize = 5_000;
pub const LAST_STEP: i64 = 7;

/// Everything a repair plan holds. Every field may be empty until the end.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct RepairAnswers {
    /// Step 1: what to say before taking a pause.
    #[serde(default)]
    pub pause_message: String,
    /// Step 2: what happened, as facts.
    #[serde(default)]
    pub what_happened: String,
    /// Step 3: feeling ids (hurt, afraid, lonely, ashamed, sad, unwanted,
    /// not-enough, overwhelmed, helpless, unseen).
    #[serde(default)]
    pub feelings: Vec<String>,
    /// Step 3: what I felt, in my words.
    #[serde(default)]
    pub what_i_felt: String,
    /// Step 4: move ids (went-quiet, criticised, raised-voice, defended,
    /// shut-down, pursued, joked, gave-in).
    #[serde(default)]
    pub moves: Vec<String>,
    /// Step 4: how I protected myself, in my words.
    #[serde(default)]
    pub how_i_protected: String,
    /// Step 5: my part in the impact.
    #[serde(default)]
    pub my_part: String,
    /// Step 6: what I need.
    #[serde(default)]
    pub what_i_need: String,
    /// Step 7: my repair attempt.
    #[serde(default)]
    pub repair_attempt: String,
}

pub struct Step {
    pub number: i64,
    pub title: &'static str,
    pub short: &'static str,
}

pub const STEPS: &[Step] = &[
    Step { number: 1, title: "Slow down", short: "Pause" },
    Step { number: 2, title: "What happened", short: "Facts" },
    Step { number: 3, title: "What I felt", short: "Feelings" },
    Step { number: 4, title: "How I protected myself", short: "My move" },
    Step { number: 5, title: "My part in the impact", short: "My part" },
    Step { number: 6, title: "What I need", short: "Need" },
    Step { number: 7, title: "A repair attempt", short: "Repair" },
];

/// The answer to the safety check that comes before the guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SafetyAnswer {
    /// "I am not afraid of my partner."
    Safe,
    Afraid,
    Unsure,
    /// No answer chosen.
    Missing,
}

impl SafetyAnswer {
    pub fn parse(s: &str) -> Self {
        match s {
            "safe" => SafetyAnswer::Safe,
            "afraid" => SafetyAnswer::Afraid,
            "unsure" => SafetyAnswer::Unsure,
            _ => SafetyAnswer::Missing,
        }
    }
}

/// A plan starts only after the member said they are not afraid of their
/// partner; anyone who is gets pointed to help instead.
pub fn safety_check(not_afraid: bool) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if !not_afraid {
        errors.add(
            "not_afraid",
            "If you are afraid of your partner, this guide is not the right tool. The Safety page (/safety) has places to turn.",
        );
    }
    errors
}

pub fn step(n: i64) -> Option<&'static Step> {
    STEPS.iter().find(|s| s.number == n)
}

/// Check the answers; `finishing` also asks for the repair attempt itself.
pub fn validate(a: &RepairAnswers, finishing: bool) -> FieldErrors {
    let mut errors = FieldErrors::new();
    for (name, value) in [
        ("pause_message", &a.pause_message),
        ("what_happened", &a.what_happened),
        ("what_i_felt", &a.what_i_felt),
        ("how_i_protected", &a.how_i_protected),
        ("my_part", &a.my_part),
        ("what_i_need", &a.what_i_need),
        ("repair_attempt", &a.repair_attempt),
    ] {
        if value.chars().count() > MAX_ANSWER_CHARS {
            errors.add(name, format!("This can be up to {MAX_ANSWER_CHARS} characters."));
        }
    }
    if a.feelings.iter().any(|f| !FEELINGS.iter().any(|(id, _)| id == f)) {
        errors.add("feelings", "One of the feelings is not on the list.");
    }
    if a.moves.iter().any(|m| !PROTECTIVE_MOVES.iter().any(|(id, _)| id == m)) {
        errors.add("moves", "One of the moves is not on the list.");
    }
    if finishing && a.repair_attempt.trim().is_empty() {
        errors
            .add("repair_attempt", "Write your repair attempt, even a single sentence, to finish the plan.");
    }
    errors
}

/// Replace the answers one step asks for with those from `from`.
pub fn merge_step(into: &mut RepairAnswers, from: RepairAnswers, step: i64) {
    match step {
        1 => into.pause_message = from.pause_message,
        2 => into.what_happened = from.what_happened,
        3 => {
            into.feelings = from.feelings;
            into.what_i_felt = from.what_i_felt;
        }
        4 => {
            into.moves = from.moves;
            into.how_i_protected = from.how_i_protected;
        }
        5 => into.my_part = from.my_part,
        6 => into.what_i_need = from.what_i_need,
        7 => into.repair_attempt = from.repair_attempt,
        _ => {}
    }
}

/// The step to go to after saving `current`: further than before, never past the last.
pub fn next_step(reached: i64, current: i64) -> i64 {
    reached.max(current + 1).min(LAST_STEP)
}

/// A plan's name in lists: the first words of what happened.
pub fn title(a: &RepairAnswers) -> String {
    let text = a.what_happened.trim();
    if text.is_empty() {
        return "A repair plan".into();
    }
    let mut out: String = text.chars().take(70).collect();
    if text.chars().count() > 70 {
        out.push('…');
    }
    out
}

pub fn labels(ids: &[String], list: &[(&str, &'static str)]) -> Vec<&'static str> {
    list.iter().filter(|(id, _)| ids.iter().any(|i| i == id)).map(|(_, label)| *label).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_move_forward_and_stop_at_the_last() {
        assert_eq!(next_step(1, 1), 2);
        assert_eq!(next_step(5, 2), 5, "going back to edit does not lose the place reached");
        assert_eq!(next_step(7, 7), 7);
        assert_eq!(STEPS.len() as i64, LAST_STEP);
    }

    #[test]
    fn merging_a_step_changes_only_its_own_answers() {
        let mut plan =
            RepairAnswers { what_happened: "kept".into(), my_part: "old".into(), ..Default::default() };
        merge_step(
            &mut plan,
            RepairAnswers { my_part: "new".into(), what_happened: "x".into(), ..Default::default() },
            5,
        );
        assert_eq!(plan.my_part, "new");
        assert_eq!(plan.what_happened, "kept");
    }

    #[test]
    fn finishing_needs_a_repair_attempt_and_unknown_choices_are_named() {
        let a = RepairAnswers { feelings: vec!["hurt".into(), "bogus".into()], ..Default::default() };
        let e = validate(&a, true);
        assert!(e.get("repair_attempt").is_some());
        assert!(e.get("feelings").is_some());
        assert!(validate(&RepairAnswers::default(), false).is_empty());
        let long = RepairAnswers { my_part: "x".repeat(MAX_ANSWER_CHARS + 1), ..Default::default() };
        assert!(validate(&long, false).get("my_part").is_some());
    }

    #[test]
    fn no_plan_without_the_safety_answer() {
        assert!(safety_check(false).get("not_afraid").unwrap().contains("/safety"));
        assert!(safety_check(true).is_empty());
        assert_eq!(SafetyAnswer::parse("safe"), SafetyAnswer::Safe);
        assert_eq!(SafetyAnswer::parse("unsure"), SafetyAnswer::Unsure);
        assert_eq!(SafetyAnswer::parse(""), SafetyAnswer::Missing);
    }

    #[test]
    fn titles_come_from_what_happened() {
        assert_eq!(title(&RepairAnswers::default()), "A repair plan");
        let a = RepairAnswers { what_happened: "We argued about the holiday".into(), ..Default::default() };
        assert_eq!(title(&a), "We argued about the holiday");
        assert_eq!(labels(&["lonely".into(), "hurt".into()], FEELINGS), ["Hurt", "Lonely"]);
    }
}
