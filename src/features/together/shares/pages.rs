//! Sharing pages: the preview before sharing, the two lists, one share with
//! every version, and unsharing.

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;

use super::items::{ItemKind, Snapshot};
use super::service::{self, Lists, Preview, ShareView, Version};
use crate::features::together::{NOTHING_NEW, SHARED, UNSHARED};
use crate::state::AppState;
use crate::web::client::ClientInfo;
use crate::web::confirm::done_or_404;
use crate::web::{AppError, CurrentUser, Layout, redirect_with_flash, render};

pub struct VersionView {
    pub version: i64,
    pub day: String,
    pub snapshot: Snapshot,
}

fn day(user: &CurrentUser, at: i64) -> String {
    crate::clock::format_date(at, &user.time_zone)
}

#[derive(Template)]
#[template(path = "together/preview.html")]
struct PreviewPage {
    layout: Layout,
    p: Preview,
    own_path: String,
}

pub async fn preview(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let kind = service::parse_kind(&kind)?;
    let p = service::preview(&state, &user, kind, &id).await?;
    render(PreviewPage { layout, own_path: kind.own_path(&id), p })
}

pub async fn share(
    State(state): State<AppState>,
    user: CurrentUser,
    client: ClientInfo,
    Path((kind, id)): Path<(String, String)>,
) -> Result<Response, AppError> {
    let kind = service::parse_kind(&kind)?;
    let shared = service::share(&state, &user, kind, &id, &client.user_agent).await?;
    let flash = if shared.changed { &SHARED } else { &NOTHING_NEW };
    Ok(redirect_with_flash(&format!("/together/shares/{}", shared.share_id), flash))
}

#[derive(Template)]
#[template(path = "together/shares.html")]
struct SharesPage {
    layout: Layout,
    lists: Lists,
    days: Vec<String>,
    partner_linked: bool,
}

pub async fn shares(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
) -> Result<Response, AppError> {
    let lists = service::lists(&state, &user).await?;
    let days = lists.with_me.iter().chain(&lists.by_me).map(|s| day(&user, s.shared_at)).collect();
    render(SharesPage { layout, lists, days, partner_linked: user.partner_linked })
}

#[derive(Template)]
#[template(path = "together/share.html")]
struct SharePage {
    layout: Layout,
    share: ShareView,
    versions: Vec<VersionView>,
    own_path: Option<String>,
}

pub async fn show(
    State(state): State<AppState>,
    layout: Layout,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let (share, versions) = service::open(&state, &user, &id).await?;
    let own_path = if share.mine { service::own_item_path(&state, &user, &id).await? } else { None };
    let versions = versions
        .into_iter()
        .rev()
        .map(|Version { version, snapshot, shared_at }| VersionView {
            version,
            day: day(&user, shared_at),
            snapshot,
        })
        .collect();
    render(SharePage { layout, share, versions, own_path })
}

pub async fn unshare(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    done_or_404(service::unshare(&state, &user, &id).await?, "/together/shares", &UNSHARED)
}

impl ShareView {
    pub fn noun(&self) -> &'static str {
        self.kind.noun()
    }
}

impl Preview {
    pub fn noun(&self) -> &'static str {
        self.kind.noun()
    }
    pub fn action(&self) -> String {
        format!("/together/share/{}/{}", self.kind.as_str(), self.item_id)
    }
}

/// The kinds, for the page that explains sharing.
pub fn kinds() -> impl Iterator<Item = &'static str> {
    ItemKind::ALL.into_iter().map(ItemKind::noun)
}
