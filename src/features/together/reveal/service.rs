//! The mutual reveal: each partner answers a question privately; the two
//! answers show to both only once both have answered, and a skip by either
//! keeps both hidden.

use super::store::{self, NewAnswer};
use crate::features::notices::service as notices;
use crate::features::notices::store::NewNotice;
use crate::features::together::content::{self, Question};
use crate::features::together::link::store as links;
use crate::features::together::rules::{self, RevealState};
use crate::features::together::{NOTICE_KIND, not_linked};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

pub struct RevealView {
    pub question: &'static Question,
    pub state: RevealState,
    /// Both answers, only once revealed.
    pub mine: String,
    pub theirs: String,
}

impl RevealView {
    pub fn state_name(&self) -> &'static str {
        match self.state {
            RevealState::Open => "open",
            RevealState::WaitingForPartner => "waiting-for-partner",
            RevealState::Revealed => "revealed",
            RevealState::Skipped => "skipped",
        }
    }
}

pub async fn questions(state: &AppState, user: &CurrentUser) -> Result<Vec<RevealView>, AppError> {
    let answers = store::in_link_of(&state.db, &user.id).await?;
    Ok(content::QUESTIONS
        .iter()
        .map(|q| {
            let mine = answers.iter().find(|a| a.question_id == q.id && a.author_id == user.id);
            let theirs = answers.iter().find(|a| a.question_id == q.id && a.author_id != user.id);
            let state = rules::reveal_state(mine.map(|a| a.skipped != 0), theirs.map(|a| a.skipped != 0));
            let shown = |a: Option<&store::AnswerRow>| match state {
                RevealState::Revealed => a.map(|a| a.answer.clone()).unwrap_or_default(),
                _ => String::new(),
            };
            RevealView { question: q, state, mine: shown(mine), theirs: shown(theirs) }
        })
        .collect())
}

/// Answer or skip a question, once.
pub async fn answer(
    state: &AppState,
    user: &CurrentUser,
    question_id: &str,
    answer: &str,
    skip: bool,
) -> Result<(), AppError> {
    let question = content::question(question_id).ok_or(AppError::NotFound)?;
    let answer = if skip { "" } else { answer.trim() };
    if !skip {
        let errors = rules::validate_reveal(answer);
        if !errors.is_empty() {
            return Err(AppError::Validation(errors));
        }
    }
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    let partner = links::partner_held(&mut tx, &user.id).await?.ok_or_else(not_linked)?;
    let new = NewAnswer {
        link_id: &partner.link_id,
        question_id: question.id,
        author_id: &user.id,
        answer,
        skipped: skip,
        now,
    };
    if !store::insert(&mut tx, new).await? {
        return Err(AppError::Conflict("You have answered this question already.".into()));
    }
    tx.commit().await?;
    let revealed = questions(state, user)
        .await?
        .iter()
        .any(|v| v.question.id == question.id && v.state == RevealState::Revealed);
    if revealed {
        let notice = NewNotice {
            kind: NOTICE_KIND,
            title: "Answers to read together",
            body: "You have both answered a question. Your answers are side by side now.",
            url: "/together/reveal",
        };
        let mut tx = state.db.begin().await?;
        notices::send(&mut tx, &partner.partner_id, &notice, now).await?;
        tx.commit().await?;
        state.wake_worker.notify_one();
    }
    Ok(())
}
