//! Shares as JSON. A share reaches the partner without the item's id, and
//! with no time finer than the day it was shared.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::items::{ItemKind, Snapshot};
use super::service::{self, ShareView, Version};
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::{AppError, CurrentUser};

#[derive(Serialize, ToSchema)]
pub struct ShareJson {
    pub id: String,
    pub kind: ItemKind,
    /// True for the member's own shares, false for what was shared with them.
    pub mine: bool,
    pub heading: String,
    pub versions: i64,
    /// The day its newest version was shared (YYYY-MM-DD, in my time zone):
    /// no finer time crosses over.
    pub shared_on: String,
}

impl ShareJson {
    fn of(s: ShareView, zone: &str) -> Self {
        ShareJson {
            shared_on: crate::clock::day_in_zone(s.shared_at, zone),
            id: s.id,
            kind: s.kind,
            mine: s.mine,
            heading: s.heading,
            versions: s.versions,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SharesJson {
    pub shared_with_me: Vec<ShareJson>,
    pub i_shared: Vec<ShareJson>,
}

#[derive(Serialize, ToSchema)]
pub struct VersionJson {
    pub version: i64,
    /// YYYY-MM-DD, in my time zone.
    pub shared_on: String,
    pub snapshot: Snapshot,
}

#[derive(Serialize, ToSchema)]
pub struct ShareDetailJson {
    #[serde(flatten)]
    pub share: ShareJson,
    /// Every version, oldest first.
    pub all_versions: Vec<VersionJson>,
}

#[derive(Deserialize, ToSchema)]
pub struct ShareRequest {
    pub kind: ItemKind,
    pub item_id: String,
}

#[derive(Serialize, ToSchema)]
pub struct PreviewJson {
    /// Exactly what the partner would see.
    pub snapshot: Snapshot,
    pub share_id: Option<String>,
    /// True when the partner already sees exactly this version.
    pub up_to_date: bool,
    /// The partner's display name, when linked.
    pub partner: Option<String>,
}

/// Shared with me, and what I shared.
#[utoipa::path(get, path = "/api/v1/together/shares", tag = "together", responses((status = 200, body = SharesJson)))]
pub async fn list_shares(
    State(state): State<AppState>,
    user: CurrentUser,
) -> Result<Json<SharesJson>, AppError> {
    let lists = service::lists(&state, &user).await?;
    Ok(Json(SharesJson {
        shared_with_me: lists.with_me.into_iter().map(|s| ShareJson::of(s, &user.time_zone)).collect(),
        i_shared: lists.by_me.into_iter().map(|s| ShareJson::of(s, &user.time_zone)).collect(),
    }))
}

/// Share one of my items, or its new version (nothing is added when the
/// partner already sees exactly this).
#[utoipa::path(post, path = "/api/v1/together/shares", tag = "together", request_body = ShareRequest,
    responses((status = 201, body = ShareDetailJson), (status = 200, body = ShareDetailJson), (status = 404), (status = 409)))]
pub async fn create_share(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientInfo,
    Json(req): Json<ShareRequest>,
) -> Result<(StatusCode, Json<ShareDetailJson>), AppError> {
    let shared = service::share(&state, &user, req.kind, &req.item_id, &client.user_agent).await?;
    let status = if shared.changed { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(detail(&state, &user, &shared.share_id).await?)))
}

/// What sharing one of my items would show.
#[utoipa::path(get, path = "/api/v1/together/preview/{kind}/{id}", tag = "together",
    params(("kind" = String, Path), ("id" = String, Path)), responses((status = 200, body = PreviewJson), (status = 404)))]
pub async fn preview_share(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Json<PreviewJson>, AppError> {
    let p = service::preview(&state, &user, service::parse_kind(&kind)?, &id).await?;
    Ok(Json(PreviewJson {
        snapshot: p.snapshot,
        share_id: p.share_id,
        up_to_date: p.up_to_date,
        partner: p.partner.map(|p| p.display_name),
    }))
}

async fn detail(state: &AppState, user: &CurrentUser, id: &str) -> Result<ShareDetailJson, AppError> {
    let (share, versions) = service::open(state, user, id).await?;
    Ok(ShareDetailJson {
        share: ShareJson::of(share, &user.time_zone),
        all_versions: versions
            .into_iter()
            .map(|Version { version, snapshot, shared_at }| VersionJson {
                version,
                shared_on: crate::clock::day_in_zone(shared_at, &user.time_zone),
                snapshot,
            })
            .collect(),
    })
}

/// One share, with every version.
#[utoipa::path(get, path = "/api/v1/together/shares/{id}", tag = "together", params(("id" = String, Path)),
    responses((status = 200, body = ShareDetailJson), (status = 404)))]
pub async fn get_share(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Json<ShareDetailJson>, AppError> {
    Ok(Json(detail(&state, &user, &id).await?))
}

/// Stop sharing one of my items.
#[utoipa::path(delete, path = "/api/v1/together/shares/{id}", tag = "together", params(("id" = String, Path)),
    responses((status = 204), (status = 404)))]
pub async fn delete_share(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<StatusCode, AppError> {
    if service::unshare(&state, &user, &id).await? {
        Ok(StatusCode::NO_CONTENT)
    } else {
        Err(AppError::NotFound)
    }
}
