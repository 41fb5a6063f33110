//! The Together page (whom you are linked with, or an invitation to make),
//! the page an invitation link opens, and unlinking.

use askama::Template;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::service::{self, invitation_status};
use super::store::{self, Partner};
use crate::features::together::content::{INVITATION_TEXT, STEADIER_PARTNER};
use crate::features::together::{DECLINED, INVITATION_REVOKED, INVITATION_SENT, LINKED, UNLINKED};
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::{
    AppError, CurrentUser, FieldErrors, Layout, MaybeUser, redirect_with_flash, render, render_with_status,
};

pub struct InvitationRow {
    pub id: String,
    pub to: String,
    pub day: String,
    pub status: &'static str,
    pub open: bool,
}

#[derive(Template)]
#[template(path = "together/index.html")]
struct TogetherPage {
    layout: Layout,
    partner: Option<Partner>,
    since: String,
    verified: bool,
    invitations: Vec<InvitationRow>,
    /// A link just made, to copy (shown once: only its hash is kept).
    new_link: Option<String>,
    email: String,
    errors: FieldErrors,
}

async fn page(
    state: &AppState,
    layout: Layout,
    user: &CurrentUser,
    new_link: Option<String>,
    email: String,
    errors: FieldErrors,
) -> Result<TogetherPage, AppError> {
    let partner = store::partner_of(&state.db.pool, &user.id).await?;
    let now = crate::clock::now();
    let invitations = if partner.is_none() {
        store::invitations_of(&state.db, &user.id, now - 30 * 86_400)
            .await?
            .into_iter()
            .map(|i| InvitationRow {
                to: if i.sent_to.is_empty() {
                    "A link to copy".into()
                } else {
                    format!("Mailed to {}", i.sent_to)
                },
                day: crate::clock::format_date(i.created_at, &user.time_zone),
                status: invitation_status(&i, now),
                open: invitation_status(&i, now) == "Waiting",
                id: i.id,
            })
            .collect()
    } else {
        Vec::new()
    };
    let since =
        partner.as_ref().map(|p| crate::clock::format_date(p.since, &user.time_zone)).unwrap_or_default();
    Ok(TogetherPage {
        layout,
        partner,
        since,
        verified: user.email_verified,
        invitations,
        new_link,
        email,
        errors,
    })
}

pub async fn together(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    render(page(&state, layout, &user, None, String::new(), FieldErrors::new()).await?)
}

#[derive(Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    email: String,
    /// "copy" or "mail".
    #[serde(default)]
    how: String,
}

pub async fn invite(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Form(form): Form<InviteForm>,
) -> Result<Response, AppError> {
    let email = (form.how == "mail").then_some(form.email.as_str());
    if form.how == "mail" && form.email.trim().is_empty() {
        let mut errors = FieldErrors::new();
        errors.add("email", "Type the address to send the invitation to.");
        return render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, layout, &user, None, form.email, errors).await?,
        );
    }
    match service::invite(&state, &user, email).await {
        Ok(invited) => match invited.link {
            Some(path) => {
                let link = format!("{}{path}", state.config.base_url());
                render(page(&state, layout, &user, Some(link), String::new(), FieldErrors::new()).await?)
            }
            None => Ok(redirect_with_flash("/together", &INVITATION_SENT)),
        },
        Err(AppError::Validation(errors)) => render_with_status(
            StatusCode::UNPROCESSABLE_ENTITY,
            page(&state, layout, &user, None, form.email, errors).await?,
        ),
        Err(e) => Err(e),
    }
}

pub async fn revoke(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    service::revoke(&state, &user, &id).await?;
    Ok(redirect_with_flash("/together", &INVITATION_REVOKED))
}

#[derive(Template)]
#[template(path = "together/join.html")]
struct JoinPage {
    layout: Layout,
    token: String,
    /// Only for a signed-in visitor: who sent it.
    inviter: Option<String>,
    signed_in: bool,
    own: bool,
    already_linked: bool,
    verified: bool,
    errors: FieldErrors,
}

/// The page an invitation link opens. A visitor who is not signed in learns
/// nothing about who sent it until they are.
pub async fn join(
    State(state): State<AppState>,
    layout: Layout,
    MaybeUser(user): MaybeUser,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    let invitation = service::invitation(&state, &token).await?.ok_or(AppError::NotFound)?;
    let (inviter, own, already_linked, verified) = match &user {
        None => (None, false, false, false),
        Some(u) => (
            Some(invitation.inviter_name.clone()),
            invitation.inviter_id == u.id,
            store::partner_of(&state.db.pool, &u.id).await?.is_some(),
            u.email_verified,
        ),
    };
    let signed_in = user.is_some();
    render(JoinPage {
        layout,
        token,
        inviter,
        signed_in,
        own,
        already_linked,
        verified,
        errors: FieldErrors::new(),
    })
}

pub async fn accept(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    client: ClientInfo,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    match service::accept(&state, &user, &token, &client.user_agent).await {
        Ok(_) => Ok(redirect_with_flash("/together", &LINKED)),
        Err(AppError::Validation(errors)) => {
            let inviter = service::invitation(&state, &token).await?.map(|i| i.inviter_name);
            let page = JoinPage {
                layout,
                token,
                inviter,
                signed_in: true,
                own: false,
                already_linked: false,
                verified: user.email_verified,
                errors,
            };
            render_with_status(StatusCode::CONFLICT, page)
        }
        Err(e) => Err(e),
    }
}

pub async fn decline(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    service::decline(&state, &user, &token).await?;
    Ok(redirect_with_flash("/together", &DECLINED))
}

#[derive(Template)]
#[template(path = "together/unlink.html")]
struct UnlinkPage {
    layout: Layout,
    partner: Partner,
}

pub async fn unlink_confirm(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let partner = store::partner_of(&state.db.pool, &user.id).await?.ok_or(AppError::NotFound)?;
    render(UnlinkPage { layout, partner })
}

pub async fn unlink(State(state): State<AppState>, user: CurrentUser) -> Result<Response, AppError> {
    if service::unlink(&state, &user).await? {
        Ok(redirect_with_flash("/together", &UNLINKED))
    } else {
        Ok(axum::response::Redirect::to("/together").into_response())
    }
}

#[derive(Template)]
#[template(path = "together/solo.html")]
struct SoloPage {
    layout: Layout,
    guidance: &'static [(&'static str, &'static str)],
    invitation_text: &'static str,
}

/// For a member on their own, or the steadier of two.
pub async fn solo(layout: Layout, _user: CurrentUser) -> Result<Response, AppError> {
    render(SoloPage { layout, guidance: STEADIER_PARTNER, invitation_text: INVITATION_TEXT })
}
