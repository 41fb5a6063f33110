//! A recording's bytes, after the access check, with HTTP ranges: the player
//! asks for pieces as it plays and seeks, and each piece is checked again, so
//! a revoked or expired membership stops at the very next one.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use bytes::Bytes;
use futures_util::{StreamExt, TryStreamExt};

use super::access;
use super::ranges::{self, ByteRange, RangeAnswer};
use super::recordings::store;
use super::sniff::MediaKind;
use crate::media::ObjectFacts;
use crate::state::AppState;
use crate::web::{AppError, CurrentUser};

/// How much is read from disk at a time.
pub const READ_CHUNK: u64 = 1024 * 1024;

/// How long a signed S3 address works: a revocation counts once it lapses.
pub const PRESIGNED_SECONDS: u64 = 60;

/// Revalidated on every use, so access is checked whenever the bytes are.
const CACHE_CONTROL: &str = "private, no-cache";

/// The recording's facts, if this person may see it: staff see drafts too,
/// members what is published. Kept for a moment per instance; a coach's save
/// or delete on this instance drops the copy at once.
async fn facts(state: &AppState, user: &CurrentUser, id: &str) -> Result<ObjectFacts, AppError> {
    let found = match state.media_facts.get(id) {
        Some(kept) => Some(kept),
        None => {
            let generation = state.media_facts.generation();
            let found = store::media_facts(&state.db, id).await?;
            if let Some(f) = &found {
                state.media_facts.put(id.to_owned(), generation, f.clone());
            }
            found
        }
    };
    let now = crate::clock::now();
    found
        .filter(|f| user.role.is_staff() || f.published_at.is_some_and(|at| at <= now))
        .ok_or(AppError::NotFound)
}

fn header_text(headers: &HeaderMap, name: header::HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

pub async fn media(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if !access::may_watch(&user) {
        return Ok(crate::web::plain_answer(StatusCode::FORBIDDEN, "Library membership needed."));
    }
    let r = facts(&state, &user, &id).await?;
    let content_type =
        MediaKind::parse(&r.media_kind).map_or("application/octet-stream", MediaKind::content_type);
    let library = &state.config.library;
    if let Some(prefix) = &library.media_accel_prefix {
        let mut response = StatusCode::OK.into_response();
        let h = response.headers_mut();
        h.insert(
            "x-accel-redirect",
            HeaderValue::try_from(format!("{prefix}{}", r.object_key)).map_err(anyhow::Error::from)?,
        );
        h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
        return Ok(response);
    }
    let valid_for = std::time::Duration::from_secs(PRESIGNED_SECONDS);
    if let Some(url) = state.media.presigned(&r.object_key, valid_for).await? {
        let mut response = Redirect::temporary(&url).into_response();
        response.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        return Ok(response);
    }
    let total = r.size_bytes as u64;
    let mut response = if ranges::not_modified(header_text(&headers, header::IF_NONE_MATCH), &r.etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let range = header_text(&headers, header::RANGE);
        let if_range = header_text(&headers, header::IF_RANGE);
        match ranges::answer(range, if_range, &r.etag, None, total) {
            RangeAnswer::Unsatisfiable => {
                let mut response = StatusCode::RANGE_NOT_SATISFIABLE.into_response();
                response.headers_mut().insert(
                    header::CONTENT_RANGE,
                    HeaderValue::try_from(format!("bytes */{total}")).map_err(anyhow::Error::from)?,
                );
                response
            }
            RangeAnswer::Whole if total == 0 => StatusCode::OK.into_response(),
            RangeAnswer::Whole => {
                let body = bytes_of(&state, &r.object_key, ByteRange { start: 0, end: total - 1 }).await?;
                let mut response = (StatusCode::OK, body).into_response();
                response.headers_mut().insert(header::CONTENT_LENGTH, HeaderValue::from(total));
                response
            }
            RangeAnswer::Partial(range) => {
                let body = bytes_of(&state, &r.object_key, range).await?;
                let mut response = (StatusCode::PARTIAL_CONTENT, body).into_response();
                let h = response.headers_mut();
                h.insert(header::CONTENT_LENGTH, HeaderValue::from(range.len()));
                h.insert(
                    header::CONTENT_RANGE,
                    HeaderValue::try_from(range.content_range(total)).map_err(anyhow::Error::from)?,
                );
                response
            }
        }
    };
    let h = response.headers_mut();
    h.insert(header::ACCEPT_RANGES, HeaderValue::from_static("bytes"));
    h.insert(header::ETAG, HeaderValue::try_from(r.etag.as_str()).map_err(anyhow::Error::from)?);
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(CACHE_CONTROL));
    Ok(response)
}

/// The bytes of a range as a body: from the local folder directly, or
/// streamed from the object store. A range of up to `READ_CHUNK` (what a
/// player asks for) is one trip to the blocking pool and one body.
async fn bytes_of(state: &AppState, key: &str, range: ByteRange) -> Result<Body, AppError> {
    if state.media.is_local() {
        let first = local_chunk(state.clone(), key.to_owned(), range.start, range.len().min(READ_CHUNK))
            .await
            .map_err(|e| AppError::Internal(anyhow::anyhow!("recording file unreadable: {e}")))?;
        if first.len() as u64 == range.len() {
            return Ok(Body::from(first));
        }
        let (state, key) = (state.clone(), key.to_owned());
        let rest = futures_util::stream::try_unfold(range.start + first.len() as u64, move |position| {
            let (state, key) = (state.clone(), key.clone());
            async move {
                if position > range.end {
                    return Ok(None);
                }
                let n = (range.end + 1 - position).min(READ_CHUNK);
                Ok(Some((local_chunk(state, key, position, n).await?, position + n)))
            }
        });
        let head = futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) });
        return Ok(Body::from_stream(head.chain(rest)));
    }
    let stream =
        state.media.stream_from(key, range.start, range.end + 1).await.map_err(anyhow::Error::from)?;
    Ok(Body::from_stream(stream.map_err(std::io::Error::other)))
}

/// `len` bytes of a local recording from `start`: at once when they were
/// brought in before, otherwise on the blocking pool.
async fn local_chunk(state: AppState, key: String, start: u64, len: u64) -> std::io::Result<Bytes> {
    if let Some(bytes) = state.media.local_range_if_ready(&key, start, len) {
        return Ok(bytes);
    }
    tokio::task::spawn_blocking(move || state.media.local_range(&key, start, len))
        .await
        .map_err(std::io::Error::other)?
}
