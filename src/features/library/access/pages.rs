//! The join page: what the library is, how to join or renew, and a code to redeem.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::rules::normalise_code;
use super::store::{self, MembershipRow, RedeemRefusal};
use crate::features::library::CODE_REDEEMED;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render_with_status};

#[derive(Template)]
#[template(path = "library/join.html")]
pub struct JoinPage {
    pub layout: Layout,
    /// An ended membership: the page speaks of renewing.
    pub lapsed: Option<String>,
    pub join_url: Option<String>,
    pub code: String,
    pub errors: FieldErrors,
    pub recordings: i64,
}

/// How an ended membership is described.
fn lapsed_text(m: &MembershipRow, now: i64, zone: &str) -> Option<String> {
    if m.is_active(now) {
        return None;
    }
    Some(match (m.revoked_at, m.expires_at) {
        (Some(_), _) => "Your membership has ended.".to_owned(),
        (None, Some(e)) => format!("Your membership ended on {}.", crate::clock::day_in_zone(e, zone)),
        (None, None) => "Your membership has ended.".to_owned(),
    })
}

pub async fn join_page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    code: String,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, AppError> {
    let now = crate::clock::now();
    let lapsed =
        store::membership(&state.db, &user.id).await?.and_then(|m| lapsed_text(&m, now, &user.time_zone));
    let recordings = crate::features::library::recordings::store::published_count(&state.db, now).await?;
    let page = JoinPage {
        layout,
        lapsed,
        join_url: state.config.library.join_url.clone(),
        code,
        errors,
        recordings,
    };
    render_with_status(status, page)
}

pub async fn join(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    if super::may_watch_claiming(&state, &user).await? {
        return Ok(Redirect::to("/library").into_response());
    }
    join_page(&state, layout, &user, String::new(), FieldErrors::new(), StatusCode::OK).await
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// What redeeming says when it does not work.
pub fn refusal_text(refusal: &RedeemRefusal) -> &'static str {
    match refusal {
        RedeemRefusal::NotValid => {
            "That code does not work. It may be mistyped, used up or past its date; ask whoever gave it to you."
        }
        RedeemRefusal::AlreadyRedeemed => "You have already used this code.",
    }
}

pub async fn redeem(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<CodeForm>,
) -> Result<Response, AppError> {
    let code = normalise_code(&form.code);
    let mut errors = FieldErrors::new();
    if code.is_empty() {
        errors.add("code", "Type the code you were given.");
    } else if let Err(refusal) = super::redeem(&state, &user, &code).await? {
        errors.add("code", refusal_text(&refusal));
    }
    if errors.is_empty() {
        return Ok(redirect_with_flash("/library", &CODE_REDEEMED));
    }
    join_page(&state, layout, &user, form.code, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}
