//! A member's own pages kept between their requests: the dashboard, the
//! member home, the journal list and the check-in pages (ARCHITECTURE.md, "A
//! member's own pages are kept between their requests").
//!
//! A page's body below the header is drawn from the member's rows, and is
//! kept (in `cache::MemberCopies`) with what it was drawn from: the version
//! of the member's data read with the session on this request, their day,
//! their time zone, and whatever else the page says it depends on. It is used
//! again only when all of these are the same on a later request; any write
//! to what it was drawn from, on any instance, changes the version. The
//! header is drawn on every request.

use std::future::Future;
use std::sync::Arc;

use askama::Template;
use axum::body::Bytes;
use axum::response::Response;

use super::{AppError, CurrentUser, Layout, render};
use crate::cache::{DrawnFrom, MemberCopies, MemberCopy};
use crate::state::AppState;

/// A page whose `also` is longer than this is drawn, and not kept: what
/// tells copies apart stays small whatever a link holds.
const MOST_ALSO: usize = 256;

/// The body kept for the member under `which`, if it was drawn from exactly
/// this request's version, day, zone and `also`; else drawn by `draw` (given
/// the member's day) and kept in its place. `which` names one slot per page
/// (a later copy with another `also` takes the earlier one's place), so a
/// member never holds more than a few copies.
pub async fn kept_or_drawn<Fut>(
    state: &AppState,
    user: &CurrentUser,
    which: &str,
    also: String,
    draw: impl FnOnce(String) -> Fut,
) -> Result<Bytes, AppError>
where
    Fut: Future<Output = Result<Bytes, AppError>>,
{
    let today = user.today();
    // Without the version read on this request, nothing kept may be used.
    let Some(version) = user.data_version.filter(|_| also.len() <= MOST_ALSO) else {
        return draw(today).await;
    };
    let key = MemberCopies::member_key(&user.id, which);
    let drawn_from = DrawnFrom { version, day: today, time_zone: user.time_zone.clone(), also };
    if let Some(body) = state.member_copies.current(&key, &drawn_from) {
        return Ok(body);
    }
    let generation = state.member_copies.generation();
    let body = draw(drawn_from.day.clone()).await?;
    state.member_copies.put(key, generation, Arc::new(MemberCopy { drawn_from, body: body.clone() }));
    Ok(body)
}

/// A page made of the header and a body drawn (or kept) apart.
#[derive(Template)]
#[template(path = "kept_page.html")]
struct KeptPage<'a> {
    layout: Layout,
    title: &'a str,
    body: &'a str,
}

/// The page around a body from `kept_or_drawn`.
pub fn render_kept(layout: Layout, title: &str, body: &[u8]) -> Result<Response, AppError> {
    let body = std::str::from_utf8(body).map_err(|e| AppError::Internal(e.into()))?;
    render(KeptPage { layout, title, body })
}
