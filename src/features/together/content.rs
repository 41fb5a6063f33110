//! Together's words: the questions of the mutual reveal, the guidance for a
//! member on their own or the steadier one of two, and an invitation they
//! can send or change.

pub struct Question {
    pub id: &'static str,
    pub theme: &'static str,
    pub text: &'static str,
}

const fn q(id: &'static str, theme: &'static str, text: &'static str) -> Question {
    Question { id, theme, text }
}

pub const THEMES: &[&str] =
    &["Reaching", "Reassurance", "Needs", "Repair", "Room to be yourself", "Staying connected"];

/// The mutual reveal: each answers privately; both answers show once both have answered.
pub const QUESTIONS: &[Question] = &[
    q("reach-signal", "Reaching", "When I want to be close but do not say it, what do I tend to do instead?"),
    q("reach-easy", "Reaching", "What makes it easier for me to reach for you?"),
    q("reach-met", "Reaching", "Describe a time you reached for me and I met you. What did I do?"),
    q("reach-miss", "Reaching", "What do I do that you wish I would notice as a bid for closeness?"),
    q("reach-words", "Reaching", "What words would you like to hear when you reach for me?"),
    q(
        "reassure-what",
        "Reassurance",
        "What kind of reassurance lands best with you: words, touch, time, or something else?",
    ),
    q("reassure-when", "Reassurance", "When do you most need to hear that we are all right?"),
    q(
        "reassure-too-much",
        "Reassurance",
        "Is there reassurance that feels like too much? What would be enough?",
    ),
    q(
        "reassure-distance",
        "Reassurance",
        "When we are apart for a while, what helps you feel the bond still holds?",
    ),
    q("reassure-ask", "Reassurance", "How could you ask me for reassurance in a way that feels easy to you?"),
    q("needs-easiest", "Needs", "Which of your needs is easiest for you to say out loud?"),
    q("needs-hardest", "Needs", "Which need is hardest to name, and what makes it hard?"),
    q("needs-childhood", "Needs", "What did you learn growing up about having needs?"),
    q("needs-met-lately", "Needs", "Which need has felt most met between us lately?"),
    q("needs-one-thing", "Needs", "If I could do one small thing more often, what would it be?"),
    q("repair-after", "Repair", "After a hard moment, what helps you come back toward me?"),
    q("repair-pause", "Repair", "When you need a pause in a disagreement, how would you like to tell me?"),
    q("repair-apology", "Repair", "What makes an apology feel real to you?"),
    q(
        "repair-protect",
        "Repair",
        "When you feel hurt, how do you protect yourself, and how might that look to me?",
    ),
    q("repair-proud", "Repair", "Which time we found our way back are you glad of?"),
    q("self-time", "Room to be yourself", "What do you need time or space for that is just yours?"),
    q(
        "self-friends",
        "Room to be yourself",
        "Who or what outside our relationship helps you feel like yourself?",
    ),
    q("self-different", "Room to be yourself", "Where are we different in a way you have come to value?"),
    q("self-grow", "Room to be yourself", "What are you growing toward this year, for yourself?"),
    q(
        "self-support",
        "Room to be yourself",
        "How can I support something you care about without taking it over?",
    ),
    q("connect-ritual", "Staying connected", "Which small habit of ours would you most miss if it stopped?"),
    q("connect-day", "Staying connected", "What is a good way for us to check in at the end of a day?"),
    q("connect-busy", "Staying connected", "When life is busy, what keeps you feeling close to me?"),
    q("connect-fun", "Staying connected", "What is something new you would like us to try together?"),
    q("connect-thanks", "Staying connected", "What is something I did recently that you were glad of?"),
];

pub fn question(id: &str) -> Option<&'static Question> {
    QUESTIONS.iter().find(|q| q.id == id)
}

/// For the member whose partner is less secure, or who is on their own.
pub const STEADIER_PARTNER: &[(&str, &str)] = &[
    (
        "Warm, without giving yourself away",
        "You can stay kind and close while still saying what you want and need. Agreeing to everything to keep the peace is not the same as steadiness.",
    ),
    (
        "Understanding, without losing your own view",
        "You can take your partner's feelings seriously and still trust your own memory of what happened. Both can be true at once.",
    ),
    (
        "Limits, without punishment",
        "A boundary says what you will and will not do. It does not need coldness, silence or a lesson attached to it.",
    ),
    (
        "Slowing down, without shutting down",
        "When a conversation heats up, suggest a pause and say when you will come back. Leaving without a word feels very different from a pause with a promised return.",
    ),
    (
        "Repair, without taking all the blame",
        "Own your part clearly, and leave room for your partner to own theirs. Repair works best when it is shared.",
    ),
    (
        "Your security matters too",
        "Being the steadier one is not a job you can never put down. Rest, friends, and your own needs are part of what keeps you steady.",
    ),
];

/// An invitation a member can send as it is, or change.
pub const INVITATION_TEXT: &str = "I have been using Securebase to understand how I react when we feel far apart, and what I need when that happens. There is a part made for two people: we could each share only what we choose, name needs, and ask for time out with a promise to come back. There is no pressure. If you would like to look, I can send you a link, and you can say no.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thirty_questions_with_unique_ids_on_every_theme() {
        assert_eq!(QUESTIONS.len(), 30);
        let mut ids: Vec<&str> = QUESTIONS.iter().map(|q| q.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), QUESTIONS.len());
        for theme in THEMES {
            assert!(QUESTIONS.iter().filter(|q| q.theme == *theme).count() >= 4, "{theme}");
        }
        assert!(QUESTIONS.iter().all(|q| THEMES.contains(&q.theme)));
    }
}
