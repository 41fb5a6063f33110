//! Coaches upload recordings with tus 1.0 (core, creation and termination):
//! a POST announces the length, PATCHes carry the bytes from the offset the
//! server has, HEAD tells that offset after a dropped connection, DELETE
//! cancels. Bytes are stored as parts as they arrive (never a whole file in
//! memory); the first bytes must be a recording we recognise. When the last
//! byte arrives the parts become one file and a draft recording, whose page
//! the final answer names in `Upload-Recording`.

use axum::body::Body;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::Response;
use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::rules::{TUS_VERSION, metadata_value, size_words, title_from_name};
use super::store::{self, UploadRow};
use crate::db::queue::{ClaimedJob, NewJob};
use crate::features::library::probe;
use crate::features::library::recordings::store::{self as recordings, NewRecording};
use crate::features::library::sniff::{self, MediaKind, SNIFF_LEN};
use crate::jobs::{JobFuture, JobKind};
use crate::media::{recording_key, upload_part_key};
use crate::state::AppState;
use crate::web::{AppError, RequireStaff, plain_answer};

/// Bytes kept in memory before they are written out as a part.
pub const PART_BYTES: usize = 8 * 1024 * 1024;

/// An upload untouched for this long is removed, with its parts.
pub const ABANDONED_AFTER: i64 = 24 * 3600;

pub const CLEANUP: JobKind = JobKind { name: "library-upload-cleanup", max_attempts: 5, run: clean_up };

#[derive(Serialize, Deserialize)]
struct Cleanup {
    upload_id: String,
}

fn tus(status: StatusCode, text: &str) -> Response {
    let mut response = plain_answer(status, text);
    response.headers_mut().insert("tus-resumable", HeaderValue::from_static(TUS_VERSION));
    response
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// An upload id from the path: only a UUID reaches the store.
fn upload_id(raw: &str) -> Result<Uuid, AppError> {
    Uuid::parse_str(raw).map_err(|_| AppError::NotFound)
}

pub async fn options(State(state): State<AppState>) -> Response {
    let mut response = tus(StatusCode::NO_CONTENT, "");
    let h = response.headers_mut();
    h.insert("tus-version", HeaderValue::from_static(TUS_VERSION));
    h.insert("tus-extension", HeaderValue::from_static("creation,termination"));
    h.insert("tus-max-size", HeaderValue::from(state.config.library.upload_max_bytes));
    response
}

pub async fn create(
    State(state): State<AppState>,
    RequireStaff(coach): RequireStaff,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    if header_str(&headers, "tus-resumable") != Some(TUS_VERSION) {
        return Ok(tus(StatusCode::PRECONDITION_FAILED, "This server speaks tus 1.0.0."));
    }
    let Some(length) = header_str(&headers, "upload-length").and_then(|v| v.trim().parse::<u64>().ok())
    else {
        return Ok(tus(StatusCode::BAD_REQUEST, "Upload-Length must give the file's size in bytes."));
    };
    let max = state.config.library.upload_max_bytes;
    if length > max {
        let text = format!("This file is larger than the limit of {}.", size_words(max));
        return Ok(tus(StatusCode::PAYLOAD_TOO_LARGE, &text));
    }
    if length == 0 {
        return Ok(tus(StatusCode::BAD_REQUEST, "This file is empty."));
    }
    let metadata = header_str(&headers, "upload-metadata").unwrap_or("");
    let title = metadata_value(metadata, "title")
        .map(|t| t.trim().chars().take(120).collect::<String>())
        .filter(|t| !t.is_empty())
        .unwrap_or_else(|| title_from_name(&metadata_value(metadata, "filename").unwrap_or_default()));
    let id = Uuid::new_v4().to_string();
    let now = crate::clock::now();
    let mut tx = state.db.begin().await?;
    store::insert(&mut *tx, &id, &coach.id, length as i64, &title, now).await?;
    enqueue_cleanup(&mut *tx, &id, now + ABANDONED_AFTER).await?;
    tx.commit().await?;
    let mut response = tus(StatusCode::CREATED, "");
    let location = format!("/coach/library/uploads/{id}");
    response
        .headers_mut()
        .insert(header::LOCATION, HeaderValue::try_from(location).map_err(anyhow::Error::from)?);
    Ok(response)
}

async fn enqueue_cleanup<'c, E>(executor: E, id: &str, at: i64) -> Result<bool, sqlx::Error>
where
    E: sqlx::Executor<'c, Database = sqlx::Any>,
{
    let payload = serde_json::to_string(&Cleanup { upload_id: id.to_owned() })
        .map_err(|e| sqlx::Error::Encode(e.into()))?;
    crate::db::queue::enqueue(
        executor,
        NewJob {
            kind: CLEANUP.name,
            payload,
            dedupe_key: Some(format!("library-upload-cleanup:{id}:{at}")),
            user_id: None,
            run_at: at,
            max_attempts: CLEANUP.max_attempts,
        },
    )
    .await
}

fn offset_response(status: StatusCode, upload: &UploadRow) -> Response {
    let mut response = tus(status, "");
    let h = response.headers_mut();
    h.insert("upload-offset", HeaderValue::from(upload.received));
    h.insert("upload-length", HeaderValue::from(upload.length));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

pub async fn head(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = upload_id(&id)?;
    let upload = store::find(&state.db, &id.to_string()).await?.ok_or(AppError::NotFound)?;
    Ok(offset_response(StatusCode::OK, &upload))
}

pub async fn cancel(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = upload_id(&id)?;
    if !store::delete(&state.db.pool, &id.to_string()).await? {
        return Err(AppError::NotFound);
    }
    state.media.delete_prefix(&format!("uploads/{id}/")).await.map_err(anyhow::Error::from)?;
    Ok(tus(StatusCode::NO_CONTENT, ""))
}

/// Throws an upload away: a refused file leaves nothing behind.
async fn discard(state: &AppState, id: Uuid) -> Result<(), AppError> {
    store::delete(&state.db.pool, &id.to_string()).await?;
    state.media.delete_prefix(&format!("uploads/{id}/")).await.map_err(anyhow::Error::from)?;
    Ok(())
}

pub async fn patch(
    State(state): State<AppState>,
    RequireStaff(_): RequireStaff,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Body,
) -> Result<Response, AppError> {
    let id = upload_id(&id)?;
    let key = id.to_string();
    let mut upload = store::find(&state.db, &key).await?.ok_or(AppError::NotFound)?;
    if header_str(&headers, "tus-resumable") != Some(TUS_VERSION) {
        return Ok(tus(StatusCode::PRECONDITION_FAILED, "This server speaks tus 1.0.0."));
    }
    if header_str(&headers, "content-type") != Some("application/offset+octet-stream") {
        return Ok(tus(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Send the bytes as application/offset+octet-stream.",
        ));
    }
    let offset = header_str(&headers, "upload-offset").and_then(|v| v.parse::<i64>().ok());
    if offset != Some(upload.received) {
        return Ok(offset_response(StatusCode::CONFLICT, &upload));
    }
    let mut stream = body.into_data_stream();
    let mut buffer = BytesMut::new();
    let mut broken = false;
    loop {
        let chunk = match stream.next().await {
            Some(Ok(chunk)) => Some(chunk),
            Some(Err(_)) => {
                // The connection dropped: keep what arrived; HEAD tells the client where to go on.
                broken = true;
                None
            }
            None => None,
        }
        .filter(|c: &Bytes| !c.is_empty());
        let finished = chunk.is_none();
        if let Some(chunk) = chunk {
            if upload.received + (buffer.len() + chunk.len()) as i64 > upload.length {
                discard(&state, id).await?;
                return Ok(tus(
                    StatusCode::PAYLOAD_TOO_LARGE,
                    "More bytes arrived than the upload announced.",
                ));
            }
            buffer.extend_from_slice(&chunk);
        }
        // Judged on the first bytes, once there are enough of them (or the whole
        // file is shorter); a connection that broke before then sent nothing worth keeping.
        let have_head =
            upload.received > 0 || buffer.len() >= SNIFF_LEN || (finished && !broken && !buffer.is_empty());
        if upload.media_kind.is_none() && have_head {
            let Some(kind) = sniff::sniff(&buffer) else {
                discard(&state, id).await?;
                return Ok(tus(
                    StatusCode::UNSUPPORTED_MEDIA_TYPE,
                    "This file is not a recording we can play. Upload an MP4, WebM, M4A, MP3 or Ogg file.",
                ));
            };
            upload.media_kind = Some(kind.as_str().to_owned());
        }
        let ready = buffer.len() >= PART_BYTES || (finished && !buffer.is_empty());
        if ready && upload.media_kind.is_some() {
            let bytes = buffer.split().freeze();
            let n = bytes.len() as i64;
            let part = upload_part_key(id, upload.parts);
            state.media.put(&part, bytes).await.map_err(anyhow::Error::from)?;
            let kind = upload.media_kind.clone();
            if !store::add_part(&state.db, &key, &upload, n, kind.as_deref(), &part, crate::clock::now())
                .await?
            {
                state.media.delete(&part).await.ok();
                let now = store::find(&state.db, &key).await?.ok_or(AppError::NotFound)?;
                return Ok(offset_response(StatusCode::CONFLICT, &now));
            }
            upload.received += n;
            upload.parts += 1;
        }
        if finished {
            break;
        }
    }
    if broken {
        return Ok(offset_response(StatusCode::BAD_REQUEST, &upload));
    }
    if upload.received < upload.length {
        return Ok(offset_response(StatusCode::NO_CONTENT, &upload));
    }
    let Some(recording_id) = finish(&state, id, &upload).await? else {
        return Ok(tus(StatusCode::NOT_FOUND, "This upload was cancelled or is already finished."));
    };
    let mut response = offset_response(StatusCode::NO_CONTENT, &upload);
    let location = format!("/coach/library/{recording_id}");
    response
        .headers_mut()
        .insert("upload-recording", HeaderValue::try_from(location).map_err(anyhow::Error::from)?);
    Ok(response)
}

/// The last byte arrived: join the parts into the recording's file, read its
/// length where the format allows, and make a draft. `None` when another
/// request finished it first or it was cancelled meanwhile; either way, and on
/// any failure, no file of this attempt stays.
async fn finish(state: &AppState, id: Uuid, upload: &UploadRow) -> Result<Option<Uuid>, AppError> {
    let kind =
        upload.media_kind.as_deref().and_then(MediaKind::parse).ok_or_else(|| anyhow::anyhow!("no kind"))?;
    let recording_id = Uuid::new_v4();
    let object_key = recording_key(recording_id, kind.extension());
    let parts = store::part_keys(&state.db, &id.to_string()).await?;
    let made = make_recording(state, id, upload, kind, recording_id, &object_key, &parts).await;
    if !matches!(made, Ok(true)) {
        state.media.delete(&object_key).await.ok();
    }
    if !made? {
        return Ok(None);
    }
    state.media.delete_prefix(&format!("uploads/{id}/")).await.map_err(anyhow::Error::from)?;
    Ok(Some(recording_id))
}

/// Joins the parts and records the draft, if this request still holds the upload.
async fn make_recording(
    state: &AppState,
    id: Uuid,
    upload: &UploadRow,
    kind: MediaKind,
    recording_id: Uuid,
    object_key: &str,
    parts: &[String],
) -> Result<bool, AppError> {
    let assembled = state.media.assemble(parts, object_key).await?;
    if assembled.size != upload.length as u64 {
        let why = format!("joined {} bytes of {}", assembled.size, upload.length);
        return Err(AppError::Internal(anyhow::anyhow!(why)));
    }
    let duration = match kind {
        MediaKind::Mp4 | MediaKind::M4a => probe::duration(state, object_key, assembled.size).await,
        _ => None,
    };
    let now = crate::clock::now();
    let today = crate::clock::day_in_zone(now, "UTC");
    let mut tx = state.db.begin().await?;
    if !store::claim_complete(&mut *tx, &id.to_string()).await? {
        return Ok(false);
    }
    let new = NewRecording {
        id: &recording_id.to_string(),
        title: &upload.title,
        media_kind: kind.as_str(),
        size_bytes: assembled.size as i64,
        duration_seconds: duration.map(|d| d as i64),
        object_key,
        etag: &assembled.etag,
        session_date: &today,
        now,
    };
    recordings::insert(&mut *tx, new).await?;
    tx.commit().await?;
    Ok(true)
}

fn clean_up<'a>(state: &'a AppState, job: &'a ClaimedJob) -> JobFuture<'a> {
    Box::pin(async move {
        let Cleanup { upload_id } = serde_json::from_str(&job.payload)?;
        let id = Uuid::parse_str(&upload_id)?;
        let now = crate::clock::now();
        let mut tx = state.db.begin().await?;
        if let Some(upload) = store::find(&state.db, &upload_id).await? {
            if now - upload.updated_at >= ABANDONED_AFTER {
                store::delete(&mut *tx, &upload_id).await?;
                state.media.delete_prefix(&format!("uploads/{id}/")).await?;
            } else {
                enqueue_cleanup(&mut *tx, &upload_id, upload.updated_at + ABANDONED_AFTER).await?;
            }
        }
        crate::jobs::complete(tx, job).await
    })
}
