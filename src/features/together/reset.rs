//! The safety reset: one step, behind the password, that unlinks, ends every
//! share, ends every other session and revokes every open invitation.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::link::store as links;
use super::shares::store as shares;
use super::{NOTICE_KIND, SAFETY_RESET_DONE};
use crate::features::accounts::service as accounts;
use crate::features::accounts::store as sessions;
use crate::features::notices::store as notices;
use crate::state::AppState;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

/// Do it all in one transaction, after the password is confirmed. The
/// account's row is held throughout, so an accept or an invitation from
/// another session of this account either finishes before (and is undone
/// here) or is refused after (its session is gone). Nothing is mailed: a
/// reset is not announced to whoever may read the inbox.
pub async fn safety_reset(state: &AppState, user: &CurrentUser, password: &str) -> Result<(), AppError> {
    accounts::confirm_password(state, user, password, "password").await?;
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    links::lock_member(&mut tx, &user.id).await?;
    if let Some(partner) = links::unlink(&mut tx, &user.id).await? {
        notices::delete_kind(&mut *tx, &partner.partner_id, NOTICE_KIND).await?;
    }
    notices::delete_kind(&mut *tx, &user.id, NOTICE_KIND).await?;
    // Shares left from an earlier link are unreadable already; they go too.
    shares::delete_all_by(&mut *tx, &user.id).await?;
    links::revoke_all(&mut *tx, &user.id, now).await?;
    sessions::delete_other_sessions(&mut *tx, &user.id, &user.session_id).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Template)]
#[template(path = "together/reset.html")]
struct ResetPage {
    layout: Layout,
    errors: FieldErrors,
}

pub async fn reset_page(layout: Layout, _user: CurrentUser) -> Result<Response, AppError> {
    render(ResetPage { layout, errors: FieldErrors::new() })
}

#[derive(Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    password: String,
}

pub async fn reset(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    match safety_reset(&state, &user, &form.password).await {
        Ok(()) => Ok(redirect_with_flash("/together", &SAFETY_RESET_DONE)),
        Err(AppError::Validation(errors)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, ResetPage { layout, errors })
        }
        Err(e) => Err(e),
    }
}
