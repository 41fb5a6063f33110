//! The safety reset: one step, behind the password, that unlinks, ends every
//! share, ends every other session and revokes every open invitation.

use askama::Template;
use axum::Form;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::SAFETY_RESET_DONE;
use super::link::{service as link, store as links};
use super::shares::store as shares;
use crate::features::accounts::service as accounts;
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, redirect_with_flash, render, render_with_status,
};

/// Do it all, after the password is confirmed.
pub async fn safety_reset(
    state: &AppState,
    user: &CurrentUser,
    password: &str,
    user_agent: &str,
) -> Result<(), AppError> {
    accounts::confirm_password(state, user, password, "password").await?;
    link::unlink(state, user).await?;
    // Shares left from an earlier link are unreadable already; these go too.
    shares::delete_all_by(&state.db, &user.id).await?;
    links::revoke_all(&state.db.pool, &user.id, crate::clock::now()).await?;
    accounts::end_other_sessions(state, user, user_agent).await?;
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
    client: ClientInfo,
    Form(form): Form<ResetForm>,
) -> Result<Response, AppError> {
    match safety_reset(&state, &user, &form.password, &client.user_agent).await {
        Ok(()) => Ok(redirect_with_flash("/together", &SAFETY_RESET_DONE)),
        Err(AppError::Validation(errors)) => {
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, ResetPage { layout, errors })
        }
        Err(e) => Err(e),
    }
}
