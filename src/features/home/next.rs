//! "What next" for the member's home: an unfinished repair plan, a draft,
//! today's check-in if they want it, a prompt not yet written to, and the
//! latest moments of return. Suggestions, never obligations.

use super::store::{self, HomeRow};
use crate::features::practice::journal::content::PROMPTS;
use crate::features::practice::journal::rules;
use crate::features::practice::repair::rules::RepairAnswers;
use crate::features::practice::{repair, returns};
use crate::state::AppState;
use crate::web::AppError;

pub struct Suggestion {
    pub title: String,
    pub detail: String,
    pub url: String,
    pub action: &'static str,
}

pub struct MemberNext {
    pub suggestions: Vec<Suggestion>,
    /// (day, the day in words, sentence), newest first.
    pub recent_returns: Vec<(String, String, String)>,
    /// The get-started answers, as kept.
    pub start_answers: Option<String>,
}

/// What the member home suggests on `today` (the member's own date), from
/// its one query (`store::member_home`).
pub async fn for_member(state: &AppState, user_id: &str, today: &str) -> Result<MemberNext, AppError> {
    let ids: Vec<&str> = PROMPTS.iter().map(|p| p.id).collect();
    let rows = store::member_home(&state.db, user_id, today, &ids, 3).await?;
    Ok(from_rows(rows))
}

/// The suggestions, in the order they are offered, from the query's rows.
pub fn from_rows(rows: Vec<HomeRow>) -> MemberNext {
    fn part<'a>(rows: &'a [HomeRow], name: &'a str) -> impl Iterator<Item = &'a HomeRow> {
        rows.iter().filter(move |r| r.part == name)
    }
    let part = |name: &'static str| part(&rows, name);
    let mut suggestions = Vec::new();
    if let Some(plan) = part("plan").next() {
        let answers: RepairAnswers = serde_json::from_str(&plan.b).unwrap_or_default();
        suggestions.push(Suggestion {
            title: "Finish your repair plan".into(),
            detail: format!(
                "{}: you stopped at step {} of 7.",
                repair::rules::title(&answers).trim_end_matches(['.', '!', '?']),
                plan.n
            ),
            url: format!("/practice/repair/{}/step/{}", plan.a, plan.n),
            action: "Continue",
        });
    }
    if let Some(draft) = part("draft").find(|d| !d.t.trim().is_empty()) {
        let url = rules::DraftFor::from_key(&draft.a).form_url();
        suggestions.push(Suggestion {
            title: "An unfinished journal entry".into(),
            detail: format!(
                "\u{201c}{}\u{201d} is kept as a draft.",
                rules::display_title(&draft.b, &draft.t)
            ),
            url,
            action: "Carry on writing",
        });
    }
    if part("checked-in").next().is_none() {
        suggestions.push(Suggestion {
            title: "Today's check-in, if you want it".into(),
            detail: "One question: how safe closeness felt today. Skip it whenever you like.".into(),
            url: "/know/checkins/today".into(),
            action: "Check in",
        });
    }
    if let Some(p) = part("prompt").next().and_then(|r| PROMPTS.iter().find(|p| p.id == r.a)) {
        suggestions.push(Suggestion {
            title: "A question you have not written about".into(),
            detail: p.text.into(),
            url: rules::write_url(p.id),
            action: "Write about this",
        });
    }
    let recent_returns =
        part("return").map(|r| (r.a.clone(), returns::rules::day_label(&r.a), r.b.clone())).collect();
    let start_answers = part("start").next().map(|r| r.a.clone());
    MemberNext { suggestions, recent_returns, start_answers }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(part: &str, a: &str, b: &str, t: &str, n: i64) -> HomeRow {
        HomeRow { part: part.into(), a: a.into(), b: b.into(), t: t.into(), n }
    }

    #[test]
    fn suggestions_come_in_order_from_the_rows() {
        let next = from_rows(vec![
            row("return", "2026-12-05", "We made tea.", "", 2),
            row("draft", "new", "", " \n\t", 0),
            row("draft", "e1", "On Sunday", "It went quiet.", 0),
            row("plan", "p1", r#"{"what_happened":"The missed call"}"#, "", 3),
            row("prompt", PROMPTS[1].id, "", "", 1),
            row("start", "{}", "", "", 0),
        ]);
        let titles: Vec<&str> = next.suggestions.iter().map(|s| s.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Finish your repair plan",
                "An unfinished journal entry",
                "Today's check-in, if you want it",
                "A question you have not written about"
            ]
        );
        assert_eq!(next.suggestions[0].url, "/practice/repair/p1/step/3");
        assert_eq!(next.suggestions[1].url, "/practice/journal/e1/edit", "a blank draft is skipped");
        assert_eq!(next.suggestions[3].detail, PROMPTS[1].text);
        assert_eq!(next.recent_returns[0].2, "We made tea.");
        assert_eq!(next.start_answers.as_deref(), Some("{}"));
    }

    #[test]
    fn a_member_who_checked_in_and_wrote_everything_is_asked_for_nothing() {
        let next = from_rows(vec![row("checked-in", "", "", "", 0)]);
        assert!(next.suggestions.is_empty());
        assert!(next.recent_returns.is_empty() && next.start_answers.is_none());
    }
}
