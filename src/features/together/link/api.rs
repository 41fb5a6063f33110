//! Linking as JSON: status, invitations, accept or decline, unlink, and the
//! safety reset.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::service::{self, invitation_status};
use super::store;
use crate::clock::rfc3339;
use crate::features::together::reset;
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct PartnerJson {
    /// The partner's display name (nothing else of theirs).
    pub display_name: String,
    pub since: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationJson {
    pub id: String,
    /// The address it was mailed to, or empty for a link to copy.
    pub sent_to: String,
    pub created_at: String,
    pub expires_at: String,
    /// "Waiting", "Accepted", "Revoked" or "Not accepted".
    pub status: String,
    /// The link to copy, only in the answer that made it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct TogetherJson {
    pub partner: Option<PartnerJson>,
    /// My invitations of the last 30 days.
    pub invitations: Vec<InvitationJson>,
}

async fn status(state: &AppState, user: &CurrentUser) -> Result<TogetherJson, AppError> {
    let now = crate::clock::now();
    let partner = store::partner_of(&state.db.pool, &user.id).await?;
    let invitations = store::invitations_of(&state.db, &user.id, now - 30 * 86_400)
        .await?
        .into_iter()
        .map(|i| InvitationJson {
            status: invitation_status(&i, now).into(),
            id: i.id,
            sent_to: i.sent_to,
            created_at: rfc3339(i.created_at),
            expires_at: rfc3339(i.expires_at),
            link: None,
        })
        .collect();
    Ok(TogetherJson {
        partner: partner.map(|p| PartnerJson { display_name: p.display_name, since: rfc3339(p.since) }),
        invitations,
    })
}

/// Whom I am linked with, and my invitations.
#[utoipa::path(get, path = "/api/v1/together", tag = "together", responses((status = 200, body = TogetherJson)))]
pub async fn get_together(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<TogetherJson>, AppError> {
    Ok(Json(status(&state, &user).await?))
}

#[derive(Deserialize, ToSchema)]
pub struct InviteRequest {
    /// Mail it here; leave out for a link to copy.
    #[serde(default)]
    pub email: Option<String>,
}

/// Invite a partner (my address must be confirmed).
#[utoipa::path(post, path = "/api/v1/together/invitations", tag = "together", request_body = InviteRequest,
    responses((status = 201, body = InvitationJson), (status = 403), (status = 422)))]
pub async fn create_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<InviteRequest>,
) -> Result<(StatusCode, Json<InvitationJson>), AppError> {
    let invited = service::invite(&state, &user, req.email.as_deref()).await?;
    let mut json = status(&state, &user)
        .await?
        .invitations
        .into_iter()
        .find(|i| i.id == invited.id)
        .ok_or(AppError::NotFound)?;
    json.link = invited.link.map(|p| format!("{}{p}", state.config.base_url()));
    Ok((StatusCode::CREATED, Json(json)))
}

/// Revoke one of my open invitations.
#[utoipa::path(delete, path = "/api/v1/together/invitations/{id}", tag = "together", params(("id" = String, Path)),
    responses((status = 204), (status = 404)))]
pub async fn revoke_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    service::revoke(&state, &user, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    /// The token at the end of the invitation link.
    pub token: String,
}

#[derive(Serialize, ToSchema)]
pub struct InvitationViewJson {
    /// Who sent it (display name).
    pub inviter: String,
}

/// Who sent an invitation (signed in only).
#[utoipa::path(post, path = "/api/v1/together/invitations/look", tag = "together", request_body = TokenRequest,
    responses((status = 200, body = InvitationViewJson), (status = 404)))]
pub async fn look_at_invitation(
    State(state): State<AppState>,
    _user: CurrentUser,
    Json(req): Json<TokenRequest>,
) -> Result<Json<InvitationViewJson>, AppError> {
    let i = service::invitation(&state, &req.token).await?.ok_or(AppError::NotFound)?;
    Ok(Json(InvitationViewJson { inviter: i.inviter_name }))
}

/// Accept an invitation: we become partners.
#[utoipa::path(post, path = "/api/v1/together/invitations/accept", tag = "together", request_body = TokenRequest,
    responses((status = 200, body = TogetherJson), (status = 403), (status = 404), (status = 422)))]
pub async fn accept_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientInfo,
    Json(req): Json<TokenRequest>,
) -> Result<Json<TogetherJson>, AppError> {
    service::accept(&state, &user, &req.token, &client.user_agent).await?;
    Ok(Json(status(&state, &user).await?))
}

/// Decline an invitation: its sender sees only "not accepted".
#[utoipa::path(post, path = "/api/v1/together/invitations/decline", tag = "together", request_body = TokenRequest,
    responses((status = 204), (status = 404)))]
pub async fn decline_invitation(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<TokenRequest>,
) -> Result<StatusCode, AppError> {
    service::decline(&state, &user, &req.token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Unlink, at once; nothing is sent to anyone.
#[utoipa::path(post, path = "/api/v1/together/unlink", tag = "together", responses((status = 204), (status = 404)))]
pub async fn unlink(State(state): State<AppState>, user: CurrentUser) -> Result<StatusCode, AppError> {
    if service::unlink(&state, &user).await? { Ok(StatusCode::NO_CONTENT) } else { Err(AppError::NotFound) }
}

#[derive(Deserialize, ToSchema)]
pub struct ResetRequest {
    pub password: String,
}

/// The safety reset: unlink, end every share, end every other session and
/// revoke every open invitation.
#[utoipa::path(post, path = "/api/v1/together/reset", tag = "together", request_body = ResetRequest,
    responses((status = 204), (status = 422)))]
pub async fn safety_reset(
    State(state): State<AppState>,
    user: CurrentUser,
    Json(req): Json<ResetRequest>,
) -> Result<StatusCode, AppError> {
    reset::safety_reset(&state, &user, &req.password).await?;
    Ok(StatusCode::NO_CONTENT)
}
