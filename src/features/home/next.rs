//! "What next" for the member's home: an unfinished repair plan, a draft,
//! today's check-in if they want it, a prompt not yet written to, and the
//! latest moments of return. Suggestions, never obligations.

use crate::features::assess::checkin_store;
use crate::features::practice::journal::content::PROMPTS;
use crate::features::practice::journal::{self, rules};
use crate::features::practice::{repair, returns};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

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
}

pub async fn for_member(state: &AppState, user: &CurrentUser) -> Result<MemberNext, AppError> {
    let mut suggestions = Vec::new();
    if let Some(plan) = repair::store::unfinished_plan(&state.db, &user.id).await? {
        suggestions.push(Suggestion {
            title: "Finish your repair plan".into(),
            detail: format!(
                "{}: you stopped at step {} of 7.",
                repair::rules::title(&plan.answers),
                plan.step
            ),
            url: format!("/practice/repair/{}/step/{}", plan.id, plan.step),
            action: "Continue",
        });
    }
    if let Some(draft) = journal::store::list_drafts(&state.db, &user.id)
        .await?
        .into_iter()
        .find(|d| !d.body.trim().is_empty())
    {
        let url = if draft.key == "new" {
            "/practice/journal/new".to_owned()
        } else {
            format!("/practice/journal/{}/edit", draft.key)
        };
        suggestions.push(Suggestion {
            title: "An unfinished journal entry".into(),
            detail: format!(
                "\u{201c}{}\u{201d} is kept as a draft.",
                rules::display_title(&draft.title, &draft.body)
            ),
            url,
            action: "Carry on writing",
        });
    }
    let today = user.today();
    if checkin_store::list(&state.db, &user.id, "today", &today, &today, 1).await?.is_empty() {
        suggestions.push(Suggestion {
            title: "Today's check-in, if you want it".into(),
            detail: "One question: how safe closeness felt today. Skip it whenever you like.".into(),
            url: "/know/checkins/today".into(),
            action: "Check in",
        });
    }
    let ids: Vec<&str> = PROMPTS.iter().map(|p| p.id).collect();
    let used = journal::store::used_prompt_ids(&state.db, &user.id, &ids).await?;
    if let Some(p) = PROMPTS.iter().find(|p| !used.iter().any(|u| u == p.id)) {
        suggestions.push(Suggestion {
            title: "A question you have not written about".into(),
            detail: p.text.into(),
            url: rules::write_url(p.id),
            action: "Write about this",
        });
    }
    let recent_returns = returns::store::list_returns(&state.db, &user.id, 3)
        .await?
        .into_iter()
        .map(|r| (r.day.clone(), returns::rules::day_label(&r.day), r.text))
        .collect();
    Ok(MemberNext { suggestions, recent_returns })
}
