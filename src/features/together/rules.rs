//! Together's rules: what a named need, an answer, a repair invitation and a
//! reveal answer may hold, and when a promised time is usable. Pure, so it is
//! unit-tested.

use crate::features::assess::checkins::NEEDS;
use crate::web::FieldErrors;

pub const MAX_MESSAGE_CHARS: usize = 2_000;
pub const MAX_OWN_WORDS_CHARS: usize = 200;
pub const MAX_REVEAL_CHARS: usize = 2_000;
/// An invitation lasts a week.
pub const INVITATION_SECONDS: i64 = 7 * 86_400;
/// Open invitations a member may hold at once.
pub const MAX_OPEN_INVITATIONS: usize = 5;
/// Invitations a member may make in a day, revoked ones included.
pub const MAX_INVITATIONS_PER_DAY: usize = 10;
/// A promised return is at most this far ahead.
pub const MAX_RETURN_SECONDS: i64 = 14 * 86_400;

/// The title of one of the ten needs.
pub fn need_title(id: &str) -> Option<&'static str> {
    NEEDS.items.iter().find(|(n, _)| *n == id).map(|(_, t)| *t)
}

/// How a need reads: its title, or the author's own words.
pub fn need_label(need: &str, own_words: &str) -> String {
    need_title(need).map_or_else(|| own_words.to_owned(), str::to_owned)
}

fn too_long(errors: &mut FieldErrors, field: &str, text: &str, max: usize) {
    if text.chars().count() > max {
        errors.add(field, format!("Please keep this under {max} characters."));
    }
}

/// A need to name: one of the ten, or one in the author's own words.
pub fn validate_need(need: &str, own_words: &str, message: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    match (need, own_words.trim()) {
        ("", "") => errors.add("need", "Choose a need, or write one in your own words."),
        ("", words) => too_long(&mut errors, "own_words", words, MAX_OWN_WORDS_CHARS),
        (id, _) if need_title(id).is_none() => errors.add("need", "Choose one of the needs listed."),
        _ => {}
    }
    too_long(&mut errors, "message", message, MAX_MESSAGE_CHARS);
    errors
}

/// How a partner answers a named need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NeedAnswerKind {
    /// "I hear you."
    Hear,
    /// "Can we talk at …?"
    Talk,
    /// In the answer's own words.
    Own,
}

impl NeedAnswerKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "hear" => Some(Self::Hear),
            "talk" => Some(Self::Talk),
            "own" => Some(Self::Own),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Hear => "hear",
            Self::Talk => "talk",
            Self::Own => "own",
        }
    }
}

/// A promised time: in the future, and not too far.
pub fn validate_future(field: &str, at: Option<i64>, now: i64, errors: &mut FieldErrors) {
    match at {
        None => errors.add(field, "Choose a day and time."),
        Some(t) if t <= now => errors.add(field, "Choose a time that has not passed yet."),
        Some(t) if t > now + MAX_RETURN_SECONDS => {
            errors.add(field, "Choose a time within the next two weeks.")
        }
        Some(_) => {}
    }
}

pub fn validate_need_answer(
    kind: Option<NeedAnswerKind>,
    talk_at: Option<i64>,
    text: &str,
    now: i64,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    match kind {
        None => errors.add("kind", "Choose how you would like to answer."),
        Some(NeedAnswerKind::Talk) => validate_future("talk_at", talk_at, now, &mut errors),
        Some(NeedAnswerKind::Own) if text.trim().is_empty() => errors.add("text", "Write your answer."),
        Some(_) => {}
    }
    too_long(&mut errors, "text", text, MAX_MESSAGE_CHARS);
    errors
}

/// How a partner answers a repair invitation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RepairAnswerKind {
    /// "Ready now."
    Ready,
    /// "I need time. I'll come back at …"
    Time,
}

impl RepairAnswerKind {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "ready" => Some(Self::Ready),
            "time" => Some(Self::Time),
            _ => None,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Ready => "ready",
            Self::Time => "time",
        }
    }
}

pub fn validate_repair_answer(
    kind: Option<RepairAnswerKind>,
    return_at: Option<i64>,
    message: &str,
    now: i64,
) -> FieldErrors {
    let mut errors = FieldErrors::new();
    match kind {
        None => errors.add("kind", "Choose \u{201c}Ready now\u{201d} or \u{201c}I need time\u{201d}."),
        Some(RepairAnswerKind::Time) => validate_future("return_at", return_at, now, &mut errors),
        Some(RepairAnswerKind::Ready) => {}
    }
    too_long(&mut errors, "message", message, MAX_MESSAGE_CHARS);
    errors
}

pub fn validate_message(field: &str, text: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    too_long(&mut errors, field, text, MAX_MESSAGE_CHARS);
    errors
}

pub fn validate_reveal(answer: &str) -> FieldErrors {
    let mut errors = FieldErrors::new();
    if answer.trim().is_empty() {
        errors.add("answer", "Write an answer, or skip this question.");
    }
    too_long(&mut errors, "answer", answer, MAX_REVEAL_CHARS);
    errors
}

/// Where a reveal question stands for one of the two.
/// How a question of the mutual reveal stands, for the one looking. Until
/// they have answered it themselves, it is simply open: nobody learns from
/// the page whether the other has answered or skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RevealState {
    Open,
    WaitingForPartner,
    Revealed,
    Skipped,
}

/// `mine` and `theirs`: None when not answered, Some(skipped) when answered.
pub fn reveal_state(mine: Option<bool>, theirs: Option<bool>) -> RevealState {
    match (mine, theirs) {
        (None, _) => RevealState::Open,
        (Some(true), _) | (Some(false), Some(true)) => RevealState::Skipped,
        (Some(false), Some(false)) => RevealState::Revealed,
        (Some(false), None) => RevealState::WaitingForPartner,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_800_000_000;

    #[test]
    fn a_need_is_one_of_ten_or_in_own_words() {
        assert!(validate_need("warmth", "", "").is_empty());
        assert!(validate_need("", "To be asked how my day went", "").is_empty());
        assert!(validate_need("", "  ", "").get("need").is_some());
        assert!(validate_need("being-adored", "", "").get("need").is_some());
        assert!(validate_need("", &"w".repeat(201), "").get("own_words").is_some());
        assert!(validate_need("warmth", "", &"m".repeat(2001)).get("message").is_some());
        assert_eq!(need_label("mutual-care", ""), "Mutual care");
        assert_eq!(need_label("", "Quiet mornings"), "Quiet mornings");
    }

    #[test]
    fn a_promised_time_is_ahead_and_near() {
        let talk = Some(NeedAnswerKind::Talk);
        assert!(validate_need_answer(talk, Some(NOW + 3600), "", NOW).is_empty());
        assert!(validate_need_answer(talk, Some(NOW - 1), "", NOW).get("talk_at").is_some());
        assert!(validate_need_answer(talk, None, "", NOW).get("talk_at").is_some());
        assert!(validate_need_answer(talk, Some(NOW + 15 * 86_400), "", NOW).get("talk_at").is_some());
        assert!(validate_need_answer(Some(NeedAnswerKind::Own), None, " ", NOW).get("text").is_some());
        assert!(validate_need_answer(None, None, "", NOW).get("kind").is_some());
        let time = Some(RepairAnswerKind::Time);
        assert!(validate_repair_answer(time, Some(NOW + 1800), "", NOW).is_empty());
        assert!(validate_repair_answer(time, None, "", NOW).get("return_at").is_some());
        assert!(validate_repair_answer(Some(RepairAnswerKind::Ready), None, "", NOW).is_empty());
    }

    #[test]
    fn answers_are_shown_only_when_both_have_answered() {
        assert_eq!(reveal_state(None, None), RevealState::Open);
        assert_eq!(reveal_state(Some(false), None), RevealState::WaitingForPartner);
        // Until I answer, nothing tells me whether the other answered or skipped.
        assert_eq!(reveal_state(None, Some(false)), RevealState::Open);
        assert_eq!(reveal_state(None, Some(true)), RevealState::Open);
        assert_eq!(reveal_state(Some(false), Some(false)), RevealState::Revealed);
        assert_eq!(reveal_state(Some(false), Some(true)), RevealState::Skipped);
        assert_eq!(reveal_state(Some(true), None), RevealState::Skipped);
    }
}
