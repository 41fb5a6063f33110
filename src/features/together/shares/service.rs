//! Sharing one item at a time: preview, share (or share the new version),
//! unshare, and what each partner may read. A share is a snapshot; editing
//! the item changes nothing the partner sees until the author shares again,
//! and then the partner sees every version.

use super::items::{self, ItemKind, Snapshot};
use super::store::{self, NewShare, ShareSummary, VersionRecord};
use crate::features::accounts::mails::SecurityEvent;
use crate::features::accounts::security::{self, Owner};
use crate::features::accounts::store as accounts;
use crate::features::notices::service as notices;
use crate::features::notices::store::{self as notice_store, NewNotice};
use crate::features::together::link::store::{self as links, Partner};
use crate::features::together::{NOTICE_KIND, not_linked};
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

/// What sharing an item would show, and how it stands now.
pub struct Preview {
    pub kind: ItemKind,
    pub item_id: String,
    pub snapshot: Snapshot,
    pub partner: Option<Partner>,
    /// The share already made of this item in the current link, if any.
    pub share_id: Option<String>,
    /// Whether the partner already sees exactly this.
    pub up_to_date: bool,
}

pub fn parse_kind(kind: &str) -> Result<ItemKind, AppError> {
    ItemKind::parse(kind).ok_or(AppError::NotFound)
}

fn decode(snapshot: &str) -> Result<Snapshot, AppError> {
    serde_json::from_str(snapshot).map_err(|e| AppError::Internal(e.into()))
}

pub async fn preview(
    state: &AppState,
    user: &CurrentUser,
    kind: ItemKind,
    item_id: &str,
) -> Result<Preview, AppError> {
    let snapshot = items::snapshot(state, &user.id, kind, item_id).await?.ok_or(AppError::NotFound)?;
    let partner = links::partner_of(&state.db.pool, &user.id).await?;
    let existing = store::own_share_of(&state.db.pool, &user.id, kind.as_str(), item_id).await?;
    let (share_id, up_to_date) = match existing {
        None => (None, false),
        Some(s) => {
            let latest = store::latest_snapshot(&state.db.pool, &s.id).await?;
            let same = latest.map(|l| decode(&l)).transpose()?.is_some_and(|l| l == snapshot);
            (Some(s.id), same)
        }
    };
    Ok(Preview { kind, item_id: item_id.to_owned(), snapshot, partner, share_id, up_to_date })
}

pub struct Shared {
    pub share_id: String,
    pub version: i64,
    /// False when the partner already saw exactly this, so nothing was added.
    pub changed: bool,
}

/// Share an item, or its new version. The partner gets a notice that names
/// no item; the owner is told when this is the first share from a device the
/// account had not used before.
pub async fn share(
    state: &AppState,
    user: &CurrentUser,
    kind: ItemKind,
    item_id: &str,
    user_agent: &str,
) -> Result<Shared, AppError> {
    let snapshot = items::snapshot(state, &user.id, kind, item_id).await?.ok_or(AppError::NotFound)?;
    let json = serde_json::to_string(&snapshot).map_err(|e| AppError::Internal(e.into()))?;
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    let partner = links::partner_held(&mut tx, &user.id).await?.ok_or_else(not_linked)?;
    let existing = store::own_share_of(&mut *tx, &user.id, kind.as_str(), item_id).await?;
    let (share_id, version) = match existing {
        Some(s) => {
            let latest = store::latest_snapshot(&mut *tx, &s.id).await?;
            if latest.as_deref() == Some(json.as_str()) {
                return Ok(Shared { share_id: s.id, version: 0, changed: false });
            }
            let version = store::add_version(&mut tx, &s.id, &user.id, &json, now).await?;
            (s.id, version)
        }
        None => {
            let new = NewShare {
                link_id: &partner.link_id,
                author_id: &user.id,
                item_kind: kind.as_str(),
                item_id,
                snapshot: &json,
                now,
            };
            (store::insert(&mut tx, new).await?, 1)
        }
    };
    let notice = NewNotice {
        kind: NOTICE_KIND,
        title: "Something was shared with you",
        body: "Your partner chose to share something with you.",
        url: &format!("/together/shares/{share_id}"),
    };
    notices::send(&mut tx, &partner.partner_id, &notice, now).await?;
    tx.commit().await?;
    state.wake_worker.notify_one();
    if user.on_new_device {
        security::record(state, Owner::of(user), SecurityEvent::SharedFromNewDevice, user_agent).await?;
        accounts::clear_new_device(&state.db, &user.session_id).await?;
    }
    Ok(Shared { share_id, version, changed: true })
}

/// Stop sharing: the share goes, and so does the partner's notice of it, so
/// nothing is left pointing at what was withdrawn.
pub async fn unshare(state: &AppState, user: &CurrentUser, share_id: &str) -> Result<bool, AppError> {
    let mut tx = state.db.begin().await?;
    if !store::unshare(&mut *tx, &user.id, share_id).await? {
        return Ok(false);
    }
    if let Some(partner) = links::partner_held(&mut tx, &user.id).await? {
        let url = format!("/together/shares/{share_id}");
        notice_store::delete_pointing_to(&mut *tx, &partner.partner_id, NOTICE_KIND, &url).await?;
    }
    tx.commit().await?;
    Ok(true)
}

/// A share as one of its two readers sees it.
pub struct ShareView {
    pub id: String,
    pub kind: ItemKind,
    pub mine: bool,
    pub heading: String,
    pub versions: i64,
    pub shared_at: i64,
}

fn view(user: &CurrentUser, s: ShareSummary) -> Result<ShareView, AppError> {
    let snapshot = decode(&s.snapshot)?;
    Ok(ShareView {
        kind: snapshot.kind,
        mine: s.author_id == user.id,
        heading: snapshot.heading,
        versions: s.versions,
        shared_at: s.shared_at,
        id: s.id,
    })
}

pub struct Lists {
    pub with_me: Vec<ShareView>,
    pub by_me: Vec<ShareView>,
}

pub async fn lists(state: &AppState, user: &CurrentUser) -> Result<Lists, AppError> {
    let with_me = store::shared_with(&state.db, &user.id).await?;
    let by_me = store::shared_by(&state.db, &user.id).await?;
    Ok(Lists {
        with_me: with_me.into_iter().map(|s| view(user, s)).collect::<Result<_, _>>()?,
        by_me: by_me.into_iter().map(|s| view(user, s)).collect::<Result<_, _>>()?,
    })
}

pub struct Version {
    pub version: i64,
    pub snapshot: Snapshot,
    pub shared_at: i64,
}

/// One share with every version, for its author or the author's partner.
pub async fn open(
    state: &AppState,
    user: &CurrentUser,
    share_id: &str,
) -> Result<(ShareView, Vec<Version>), AppError> {
    let summary = store::find_visible(&state.db, &user.id, share_id).await?.ok_or(AppError::NotFound)?;
    let versions = store::versions(&state.db, &user.id, share_id).await?;
    let versions = versions
        .into_iter()
        .map(|VersionRecord { version, snapshot, shared_at }| {
            Ok(Version { version, snapshot: decode(&snapshot)?, shared_at })
        })
        .collect::<Result<Vec<_>, AppError>>()?;
    Ok((view(user, summary)?, versions))
}

/// The author's own item behind one of their shares, to link back to it.
pub async fn own_item_path(
    state: &AppState,
    user: &CurrentUser,
    share_id: &str,
) -> Result<Option<String>, AppError> {
    Ok(store::own_share(&state.db, &user.id, share_id)
        .await?
        .and_then(|s| ItemKind::parse(&s.item_kind).map(|k| k.own_path(&s.item_id))))
}
