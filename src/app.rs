//! The application: the router with every feature merged into it, the layers
//! every request passes through, and what each feature does at start.

use std::time::Duration;

use axum::Extension;
use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

pub use crate::state::AppState;
use crate::web::AppError;
use crate::web::carry::Keepers;
use crate::web::flash::FlashMessages;
use crate::web::member_data::MemberDataRegistry;
use crate::web::middleware::SharedLayer;
use crate::{features, ops, web};

/// Largest request body we accept (forms and JSON): room for a 100 000-character
/// journal entry even when every character is percent-encoded.
const BODY_LIMIT: usize = 2 * 1024 * 1024;

pub fn build_router(state: AppState) -> Router {
    let mut csrf = CsrfLayer::new();
    if let Some(origin) = &state.config.public_url {
        csrf = match csrf.clone().add_trusted_origin(origin) {
            Ok(layer) => layer,
            Err(e) => {
                tracing::warn!(error = %e, "public_url is not a usable origin for cross-site checks");
                csrf
            }
        };
    }
    let (features, api) = feature_routes().split_for_parts();
    let public_pages = Router::new()
        .merge(features::home::public_pages())
        .merge(features::learn::public_pages())
        .route_layer(from_fn_with_state(state.clone(), web::page_cache::keep_for_visitors));
    let routes = Router::new()
        .merge(features)
        .merge(public_pages)
        .merge(ops::router(api))
        .fallback(|| async { AppError::NotFound })
        // The route a request matched, for the request log and metrics outside.
        .route_layer(from_fn(web::middleware::note_route))
        .with_state(state.clone());
    // Every layer wraps the router once, not each route: a request then
    // passes one stack instead of cloning a stack per route. Outermost first.
    // `SharedLayer` puts each layer behind an `Arc` (`SharedStack`), so a request
    // clones one count per layer, not the whole stack beneath it.
    let stack = tower::ServiceBuilder::new()
        .layer(SharedLayer(from_fn(web::middleware::log_requests)))
        // Outside the time and size limits, so their refusals carry the
        // headers too.
        .layer(SharedLayer(from_fn_with_state(state.clone(), web::middleware::security_headers)))
        .layer(SharedLayer(from_fn(time_limit)))
        .layer(SharedLayer(CompressionLayer::new().compress_when(compress_predicate())))
        .layer(SharedLayer(from_fn(limit_bodies)))
        .map_request(|request: axum::http::Request<_>| request.map(axum::body::Body::new))
        .layer(SharedLayer(from_fn_with_state(state.clone(), features::accounts::sessions::load_session)))
        .layer(SharedLayer(from_fn(web::middleware::clear_flash)))
        .layer(SharedLayer(from_fn_with_state(state.clone(), web::middleware::render_errors)))
        // A panic becomes an ordinary internal error, rendered like any other.
        .layer(SharedLayer(CatchPanicLayer::custom(|_| {
            AppError::Internal(anyhow::anyhow!("a handler panicked")).into_response()
        })))
        .layer(SharedLayer(csrf))
        .layer(SharedLayer(from_fn_with_state(state.clone(), web::text_input::refuse_unstorable)))
        .layer(SharedLayer(from_fn_with_state(
            state.clone(),
            features::learn::start_pages::follow_session_changes,
        )))
        .layer(SharedLayer(Extension(flash_messages())))
        .layer(SharedLayer(Extension(member_data())))
        .layer(SharedLayer(Extension(member_searches())))
        .layer(SharedLayer(Extension(Keepers::new(vec![features::practice::journal::carry::CARRY_KEEPER]))))
        // Writing that arrives after its session ended: the sign-in page keeps it,
        // and the feature it came from takes it back after sign-in.
        .layer(SharedLayer(from_fn_with_state(state.clone(), features::accounts::carry::offer_sign_in)))
        .service(routes);
    Router::new().fallback_service(stack)
}

/// How long a request may take to be answered.
const TIME_LIMIT: Duration = Duration::from_secs(30);

/// A recording's bytes on their way up (tus `PATCH`), which are streamed and
/// may take longer than a page on a slow connection, and are not held to
/// `BODY_LIMIT` or `TIME_LIMIT`.
fn is_upload_bytes(request: &axum::extract::Request) -> bool {
    request.uri().path().starts_with(features::library::UPLOADS_PATH)
        && request
            .headers()
            .get(axum::http::header::CONTENT_TYPE)
            .is_some_and(|t| t == "application/offset+octet-stream")
}

/// Every request but an upload's bytes is answered within `TIME_LIMIT` (503 otherwise).
async fn time_limit(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if is_upload_bytes(&request) {
        return next.run(request).await;
    }
    match tokio::time::timeout(TIME_LIMIT, next.run(request)).await {
        Ok(response) => response,
        Err(_) => axum::http::StatusCode::SERVICE_UNAVAILABLE.into_response(),
    }
}

/// Bodies are held to `BODY_LIMIT`, except the bytes of a recording being
/// uploaded, which are streamed to storage and held to the upload's announced length.
async fn limit_bodies(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if is_upload_bytes(&request) {
        return next.run(request).await;
    }
    let announced = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if announced.is_some_and(|n| n > BODY_LIMIT) {
        return (axum::http::StatusCode::PAYLOAD_TOO_LARGE, "The request is too large.").into_response();
    }
    let (parts, body) = request.into_parts();
    let body = axum::body::Body::new(http_body_util::Limited::new(body, BODY_LIMIT));
    next.run(axum::extract::Request::from_parts(parts, body)).await
}

/// What is compressed: text, never media (a byte range of a recording must
/// stay the bytes it names) or fonts.
fn compress_predicate() -> impl tower_http::compression::Predicate {
    use tower_http::compression::Predicate;
    use tower_http::compression::predicate::NotForContentType;
    // Fonts (woff2) are compressed already.
    let media = NotForContentType::const_new("video/")
        .and(NotForContentType::const_new("audio/"))
        .and(NotForContentType::const_new("font/"));
    tower_http::compression::DefaultPredicate::new().and(media)
}

/// Every feature's routes but the public pages (see `build_router`). A JSON route is registered with its OpenAPI
/// description (`routes!`), so the document at /api/v1/openapi.json is made
/// from the routes themselves.
pub fn feature_routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ops::ApiDoc::openapi())
        .merge(features::accounts::router())
        .merge(features::admin::router())
        .merge(features::learn::router())
        .merge(features::assess::router())
        .merge(features::practice::router())
        .merge(features::notices::router())
        .merge(features::privacy::router())
        .merge(features::together::router())
        .merge(features::library::router())
        .merge(features::undo::router())
}

/// What each feature keeps of a member, for export and deletion. Deletion runs
/// them in this order: the account itself last.
pub fn member_data() -> MemberDataRegistry {
    let mut parts = vec![
        features::learn::member_data::MEMBER_DATA,
        features::assess::member_data::MEMBER_DATA,
        features::notices::member_data::MEMBER_DATA,
        features::together::member_data::MEMBER_DATA,
        features::library::member_data::MEMBER_DATA,
        features::undo::MEMBER_DATA,
    ];
    parts.extend_from_slice(features::practice::MEMBER_DATA);
    parts.push(features::accounts::member_data::MEMBER_DATA);
    MemberDataRegistry::new(parts)
}

/// Searches over what only some signed-in people may read.
pub fn member_searches() -> crate::web::member_search::MemberSearches {
    crate::web::member_search::MemberSearches::new(vec![features::library::search_transcripts])
}

/// Every kind of background job, for the worker.
pub fn job_kinds() -> crate::jobs::JobKinds {
    crate::jobs::JobKinds::new(
        vec![
            crate::jobs::mail::KIND,
            features::accounts::link_mail::JOB,
            features::notices::service::MAIL_JOB,
            features::learn::announce::JOB,
            features::together::link::service::INVITATION_MAIL,
            features::together::repairs::service::RETURN_REMINDER,
            features::undo::PURGE,
        ]
        .into_iter()
        .chain(features::library::JOBS.iter().copied())
        .collect(),
    )
}

/// Every feature's one-off messages, by code.
pub fn flash_messages() -> FlashMessages {
    FlashMessages::new(
        [
            web::flash::FLASHES,
            features::accounts::FLASHES,
            features::privacy::FLASHES,
            features::admin::FLASHES,
            features::learn::FLASHES,
            features::assess::FLASHES,
            features::notices::FLASHES,
            features::together::FLASHES,
            features::library::FLASHES,
            features::undo::FLASHES,
        ]
        .into_iter()
        .chain(features::practice::FLASHES.iter().copied()),
    )
}

/// Work each feature does once before serving (safe to repeat, and to run on
/// several instances at once).
pub async fn startup(state: &AppState) -> anyhow::Result<()> {
    features::learn::startup(state).await
}

/// Resolves on SIGTERM or Ctrl-C.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down: finishing requests in flight");
}
