//! Naming a need to the partner, and answering one. The partner is told in a
//! notice that names nothing; no read receipt goes either way.

use super::store::{self, NeedRow, NewNeed};
use crate::features::notices::service as notices;
use crate::features::notices::store::NewNotice;
use crate::features::together::link::store as links;
use crate::features::together::rules::{self, NeedAnswerKind};
use crate::features::together::{NOTICE_KIND, not_linked};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

pub struct NeedInput<'a> {
    pub need: &'a str,
    pub own_words: &'a str,
    pub message: &'a str,
}

pub async fn name_need(
    state: &AppState,
    user: &CurrentUser,
    input: NeedInput<'_>,
) -> Result<String, AppError> {
    let (own_words, message) = (input.own_words.trim(), input.message.trim());
    let errors = rules::validate_need(input.need, own_words, message);
    if !errors.is_empty() {
        return Err(AppError::Validation(errors));
    }
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    let partner = links::partner_held(&mut tx, &user.id).await?.ok_or_else(not_linked)?;
    let own_words = if input.need.is_empty() { own_words } else { "" };
    let new =
        NewNeed { link_id: &partner.link_id, author_id: &user.id, need: input.need, own_words, message, now };
    let id = store::insert(&mut *tx, new).await?;
    let notice = NewNotice {
        kind: NOTICE_KIND,
        title: "A need was named",
        body: "Your partner named something they need. You can answer when you are ready.",
        url: "/together/needs",
    };
    notices::send(&mut tx, &partner.partner_id, &notice, now).await?;
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(id)
}

pub struct AnswerInput<'a> {
    pub kind: &'a str,
    pub talk_at: Option<i64>,
    pub text: &'a str,
}

/// Answer a need the partner named (once).
pub async fn answer(
    state: &AppState,
    user: &CurrentUser,
    need_id: &str,
    input: AnswerInput<'_>,
) -> Result<(), AppError> {
    let now = crate::clock::now();
    let kind = NeedAnswerKind::parse(input.kind);
    let errors = rules::validate_need_answer(kind, input.talk_at, input.text, now);
    let Some(kind) = kind.filter(|_| errors.is_empty()) else { return Err(AppError::Validation(errors)) };
    let talk_at = input.talk_at.filter(|_| kind == NeedAnswerKind::Talk);
    let mut tx = state.db.begin().await?;
    links::partner_held(&mut tx, &user.id).await?.ok_or(AppError::NotFound)?;
    let author = store::answerable(&mut *tx, &user.id, need_id).await?.ok_or(AppError::NotFound)?;
    store::insert_answer(&mut *tx, need_id, &user.id, kind.as_str(), talk_at, input.text.trim(), now).await?;
    let notice = NewNotice {
        kind: NOTICE_KIND,
        title: "Your partner answered",
        body: "Your partner answered a need you named.",
        url: "/together/needs",
    };
    notices::send(&mut tx, &author, &notice, now).await?;
    tx.commit().await?;
    state.wake_worker.notify_one();
    Ok(())
}

/// A need as one of the two partners reads it.
pub struct NeedView {
    pub id: String,
    pub mine: bool,
    pub label: String,
    pub message: String,
    pub day: String,
    /// The answer, in words, if there is one.
    pub answer: Option<String>,
    pub answer_kind: Option<String>,
    pub talk_at: Option<i64>,
    pub answer_text: String,
}

pub fn answer_words(kind: &str, talk_at: Option<i64>, text: &str, zone: &str) -> String {
    let said = match kind {
        "hear" => "I hear you.".to_owned(),
        "talk" => format!(
            "Can we talk at {}?",
            talk_at.map(|t| crate::clock::format_in_zone(t, zone)).unwrap_or_default()
        ),
        _ => String::new(),
    };
    match (said.is_empty(), text.is_empty()) {
        (true, _) => text.to_owned(),
        (false, true) => said,
        (false, false) => format!("{said} {text}"),
    }
}

pub async fn needs(state: &AppState, user: &CurrentUser) -> Result<Vec<NeedView>, AppError> {
    let rows = store::in_link_of(&state.db, &user.id).await?;
    Ok(rows
        .into_iter()
        .map(|n: NeedRow| NeedView {
            mine: n.author_id == user.id,
            label: rules::need_label(&n.need, &n.own_words),
            day: crate::clock::format_date(n.created_at, &user.time_zone),
            answer: n.answer_kind.as_deref().map(|k| {
                answer_words(k, n.talk_at, n.answer_text.as_deref().unwrap_or_default(), &user.time_zone)
            }),
            answer_kind: n.answer_kind,
            talk_at: n.talk_at,
            answer_text: n.answer_text.unwrap_or_default(),
            message: n.message,
            id: n.id,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_read_as_sentences() {
        assert_eq!(answer_words("hear", None, "", "UTC"), "I hear you.");
        assert_eq!(answer_words("hear", None, "Thank you.", "UTC"), "I hear you. Thank you.");
        assert_eq!(answer_words("own", None, "Yes, let's.", "UTC"), "Yes, let's.");
        assert!(answer_words("talk", Some(1_800_000_000), "", "UTC").starts_with("Can we talk at "));
    }
}
