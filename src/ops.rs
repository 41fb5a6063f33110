//! Operations and shared assets: health, readiness, metrics, the OpenAPI
//! document and the static files every page uses.

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use utoipa::OpenApi;

use crate::state::AppState;
use crate::web::AppError;

/// Health, readiness, metrics, the API document (made from the features'
/// routes) and the files every page uses.
pub fn router(api: utoipa::openapi::OpenApi) -> Router<AppState> {
    let document = axum::body::Bytes::from(api.to_json().unwrap_or_else(|_| "{}".into()));
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route(
            "/api/v1/openapi.json",
            get(move || {
                let document = document.clone();
                async move { ([(header::CONTENT_TYPE, "application/json")], document) }
            }),
        )
        .merge(crate::web::assets::routes(crate::web::assets::SHARED))
}

async fn readyz(State(state): State<AppState>) -> Response {
    if state.db.ping().await {
        "ready".into_response()
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "database unreachable").into_response()
    }
}

/// Prometheus metrics on the main listener: only with the `metrics_token`
/// (the main listener may sit behind a proxy, so where a request seems to come
/// from proves nothing). Without a token, use `metrics_bind`.
async fn metrics(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, AppError> {
    let allowed = state.config.metrics_token.as_ref().is_some_and(|token| {
        let expected = format!("Bearer {}", token.expose());
        let given = headers.get(header::AUTHORIZATION).map(|v| v.as_bytes()).unwrap_or_default();
        constant_time_eq(given, expected.as_bytes())
    });
    if !allowed {
        return Err(AppError::Unauthorized);
    }
    Ok(metrics_text(&state))
}

fn metrics_text(state: &AppState) -> Response {
    let mut response = state.metrics.render().into_response();
    response
        .headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain; version=0.0.4"));
    response
}

/// How often the recorded request times are folded into their summaries.
const METRICS_UPKEEP_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

/// Fold the request times recorded since the last time into their
/// summaries, every few seconds. The recorder keeps each sample until then,
/// and nothing else asks it to unless `/metrics` is read: before this, an
/// instance nobody scraped grew by about 20 bytes a request (4 MB for every
/// 200 000 requests, bench/RESULTS.md).
pub fn spawn_metrics_upkeep(state: AppState) {
    tokio::spawn(async move {
        let mut every = tokio::time::interval(METRICS_UPKEEP_EVERY);
        every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            every.tick().await;
            state.metrics.run_upkeep();
        }
    });
}

/// The router of the separate metrics listener (`metrics_bind`): only
/// `/metrics`, open to whoever can reach that address (a loopback address
/// unless a token is set; the configuration refuses anything else).
pub fn metrics_router(state: AppState) -> Router {
    Router::new()
        .route(
            "/metrics",
            get(|State(state): State<AppState>, headers: HeaderMap| async move {
                if state.config.metrics_token.is_some() {
                    return metrics(State(state), headers).await;
                }
                Ok::<_, AppError>(metrics_text(&state))
            }),
        )
        .fallback(|| async { (StatusCode::NOT_FOUND, "only /metrics is served here") })
        .with_state(state)
}

/// Compare without an early exit, so timing does not reveal how much matched.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The API document's title and sections; the paths come from each feature's
/// routes (`app::feature_routes`).
#[derive(OpenApi)]
#[openapi(
    info(title = "Securebase API", version = "1", description = "Everything a Securebase page offers, as JSON. \
        Sign in with POST /api/v1/auth/login; the session cookie it sets authenticates later calls."),
    tags((name = "accounts", description = "Sign-up, sign-in, sessions, settings, export and deletion"),
         (name = "admin", description = "Running the instance"),
         (name = "learn", description = "Guide, FAQ, posts, search and get started"),
         (name = "assess", description = "Reflection instruments and results"),
         (name = "practice", description = "Journal, drafts, prompts, affirmations, repair plans, cycle maps and moments of return"),
         (name = "notices", description = "What the product left for the member to find"))
)]
pub struct ApiDoc;
