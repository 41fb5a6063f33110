//! The library: recordings of past group sessions for members with access.
//! Access is a membership (from a coach, an invite code or a payment),
//! checked on every request, every byte range included. Coaches upload with
//! tus, describe each recording and add its transcript; members watch with
//! captions and a transcript beside the player, come back where they
//! stopped, and pin private notes to moments.

pub mod access;
pub mod api;
pub mod ics;
pub mod live;
pub mod member_data;
pub mod mp4_duration;
pub mod probe;
pub mod ranges;
pub mod recordings;
pub mod sniff;
pub mod stream;
pub mod stripe;
pub mod upload;
pub mod vtt;
pub mod watching;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::db::search::SearchHit;
use crate::state::AppState;
use crate::web::assets::{self, Asset, JS};
use crate::web::member_search::MemberSearchFuture;
use crate::web::{AppError, CurrentUser, Flash};

pub const CODE_REDEEMED: Flash =
    Flash::new("library-code-redeemed", "Welcome to the library. It is open for you now.");
pub const ACCESS_GRANTED: Flash = Flash::new("library-access-granted", "Access saved.");
pub const ACCESS_REVOKED: Flash =
    Flash::new("library-access-revoked", "Access revoked. It ends with their very next request.");
pub const CODE_MADE: Flash = Flash::new("library-code-made", "A new code is ready to hand out.");
pub const CODE_REVOKED: Flash = Flash::new("library-code-revoked", "That code no longer works.");
pub const RECORDING_SAVED: Flash = Flash::new("library-recording-saved", "Saved.");
pub const RECORDING_DELETED: Flash =
    Flash::new("library-recording-deleted", "The recording and its file are deleted.");
pub const TRANSCRIPT_SAVED: Flash =
    Flash::new("library-transcript-saved", "The transcript is saved. Captions and search use it now.");
pub const NOTE_PINNED: Flash =
    Flash::new("library-note-pinned", "Your note is pinned to that moment. Only you see it.");
pub const NOTE_DELETED: Flash = Flash::new("library-note-deleted", "Note deleted.");
pub const RSVP_SAVED: Flash =
    Flash::new("library-rsvp-saved", "You said you will join. A reminder comes an hour before.");
pub const RSVP_DROPPED: Flash = Flash::new("library-rsvp-dropped", "You are no longer down to join.");
pub const FEED_MADE: Flash = Flash::new(
    "library-feed-made",
    "Your calendar address is ready. Copy it now: it is shown only this once.",
);
pub const FEED_REVOKED: Flash = Flash::new("library-feed-revoked", "That calendar address no longer works.");
pub const LIVE_SCHEDULED: Flash =
    Flash::new("library-live-scheduled", "Scheduled. Members with access can see it and say they will join.");
pub const LIVE_CANCELLED: Flash =
    Flash::new("library-live-cancelled", "Cancelled. Calendars show it as cancelled.");
pub const RECORDING_ATTACHED: Flash = Flash::new(
    "library-recording-attached",
    "The recording is attached. Those who said they would join have a notice.",
);

pub const FLASHES: &[Flash] = &[
    CODE_REDEEMED,
    ACCESS_GRANTED,
    ACCESS_REVOKED,
    CODE_MADE,
    CODE_REVOKED,
    RECORDING_SAVED,
    RECORDING_DELETED,
    TRANSCRIPT_SAVED,
    NOTE_PINNED,
    NOTE_DELETED,
    RSVP_SAVED,
    RSVP_DROPPED,
    FEED_MADE,
    FEED_REVOKED,
    LIVE_SCHEDULED,
    LIVE_CANCELLED,
    RECORDING_ATTACHED,
];

pub const ASSETS: &[Asset] = &[
    Asset {
        name: "library-player.js",
        content_type: JS,
        body: include_bytes!("../../../static/library-player.js"),
    },
    Asset {
        name: "library-upload.js",
        content_type: JS,
        body: include_bytes!("../../../static/library-upload.js"),
    },
];

/// Every background job the library runs.
pub const JOBS: &[crate::jobs::JobKind] = &[upload::tus::CLEANUP, live::service::REMINDER];

/// Where uploads go (tus); their bodies are not held to the form size limit.
pub const UPLOADS_PATH: &str = "/coach/library/uploads";

pub fn router() -> OpenApiRouter<AppState> {
    use recordings::{coach, pages};
    OpenApiRouter::new()
        .route("/library", get(pages::home))
        .route("/library/join", get(access::pages::join).post(access::pages::redeem))
        .route("/library/notes", get(watching::pages::notes))
        .route("/library/live", get(live::pages::live))
        .route("/library/live/{id}/rsvp", post(live::pages::rsvp))
        .route("/library/live/{id}/unrsvp", post(live::pages::unrsvp))
        .route("/library/live/{id}/calendar.ics", get(live::pages::session_ics))
        .route("/library/calendar", post(live::pages::make_feed))
        .route("/library/calendar/revoke", post(live::pages::revoke_feed))
        .route("/library/calendar/{token}", get(live::pages::feed))
        .route("/coach/library/live", get(live::pages::coach_live).post(live::pages::schedule))
        .route("/coach/library/live/{id}/cancel", post(live::pages::cancel))
        .route("/coach/library/live/{id}/attach", post(live::pages::attach))
        .route("/library/notes/{id}/delete", post(watching::pages::delete_note))
        .route("/library/{id}", get(pages::recording))
        .route("/library/{id}/media", get(stream::media))
        .route("/library/{id}/captions.vtt", get(captions))
        .route("/library/{id}/position", post(watching::pages::save_position))
        .route("/library/{id}/notes", post(watching::pages::add_note))
        .route("/coach/library", get(coach::list))
        .route("/coach/library/access", get(access::coach::access))
        .route("/coach/library/access/grant", post(access::coach::grant))
        .route("/coach/library/access/{member}/extend", post(access::coach::extend))
        .route("/coach/library/access/{member}/revoke", post(access::coach::revoke))
        .route("/coach/library/codes", post(access::coach::make_code))
        .route("/coach/library/codes/{id}/revoke", post(access::coach::revoke_code))
        .route(UPLOADS_PATH, post(upload::tus::create).options(upload::tus::options))
        .route(
            &format!("{UPLOADS_PATH}/{{id}}"),
            axum::routing::head(upload::tus::head).patch(upload::tus::patch).delete(upload::tus::cancel),
        )
        .route("/coach/library/{id}", get(coach::edit).post(coach::save))
        .route("/coach/library/{id}/transcript", post(coach::transcript))
        .route("/coach/library/{id}/delete", post(coach::delete))
        .routes(routes!(access::payments::webhook))
        .routes(routes!(api::library))
        .routes(routes!(api::recording))
        .routes(routes!(api::save_position))
        .routes(routes!(api::add_note))
        .routes(routes!(api::delete_note))
        .routes(routes!(api::redeem))
        .merge(assets::routes(ASSETS).into())
}

/// The transcript as captions for the player's `<track>`.
async fn captions(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    if !access::may_watch(&user) {
        return Ok(crate::web::plain_answer(StatusCode::FORBIDDEN, "Library membership needed."));
    }
    let r = recordings::pages::visible(&state, &user, &id).await?;
    let text = recordings::store::transcript_of(&state.db, &r.id).await?.ok_or(AppError::NotFound)?;
    let mut response = text.into_response();
    let h = response.headers_mut();
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static("text/vtt; charset=utf-8"));
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    Ok(response)
}

/// Transcript lines for site search: only for people who may watch now.
pub fn search_transcripts<'a>(
    state: &'a AppState,
    user: &'a CurrentUser,
    query: &'a str,
) -> MemberSearchFuture<'a> {
    Box::pin(async move {
        if !access::may_watch(user) {
            return Ok(Vec::new());
        }
        let hits = recordings::store::search_transcripts(&state.db, query, crate::clock::now(), 20).await?;
        Ok(hits
            .into_iter()
            .map(|h| SearchHit {
                kind: "Recording".into(),
                url: format!("/library/{}?t={}", h.recording_id, h.at_seconds),
                title: format!("{} at {}", h.title, recordings::rules::clock(h.at_seconds)),
                snippet: h.snippet,
            })
            .collect())
    })
}
