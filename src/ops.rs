//! Operations and shared assets: health, readiness, metrics, the OpenAPI
//! document and the embedded static files.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use utoipa::OpenApi;

use crate::features::{accounts, admin, assess, learn, practice, privacy};
use crate::state::AppState;
use crate::web::AppError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/metrics", get(metrics))
        .route("/api/v1/openapi.json", get(openapi))
        .route("/static/{file}", get(static_file))
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

#[derive(OpenApi)]
#[openapi(
    info(title = "Securebase API", version = "1", description = "Everything a Securebase page offers, as JSON. \
        Sign in with POST /api/v1/auth/login; the session cookie it sets authenticates later calls."),
    paths(
        accounts::api::sign_up,
        accounts::api::sign_in,
        accounts::api::sign_out,
        accounts::api::me,
        accounts::api::update_me,
        accounts::api::change_email,
        accounts::api::change_password,
        accounts::api::list_sessions,
        accounts::api::end_session,
        accounts::api::end_other_sessions,
        privacy::api::export,
        privacy::api::delete_me,
        admin::list_users,
        admin::set_role,
        learn::api::guide,
        learn::api::chapter,
        learn::api::faq,
        learn::api::list_posts,
        learn::api::create_post,
        learn::api::get_post,
        learn::api::update_post,
        learn::api::delete_post,
        learn::api::preview,
        learn::api::search,
        learn::api::start,
        learn::api::my_start,
        assess::api::list,
        assess::api::get,
        assess::api::respond,
        assess::api::results,
        assess::api::result,
        assess::checkin_api::create,
        assess::checkin_api::list,
        assess::checkin_api::update,
        assess::checkin_api::delete,
        assess::checkin_api::dashboard,
        assess::checkin_api::results_csv,
        practice::api::list_entries,
        practice::api::create_entry,
        practice::api::get_entry,
        practice::api::update_entry,
        practice::api::delete_entry,
        practice::api::get_draft,
        practice::api::save_draft,
        practice::api::delete_draft,
        practice::api::list_prompts,
        practice::api::get_prompt,
        practice::api::create_prompt,
        practice::api::update_prompt,
        practice::api::delete_prompt,
        practice::api::list_affirmations,
        practice::api::get_affirmation,
        practice::api::create_affirmation,
        practice::api::update_affirmation,
        practice::api::delete_affirmation,
        practice::api::list_plans,
        practice::api::create_plan,
        practice::api::get_plan,
        practice::api::update_plan,
        practice::api::delete_plan,
        practice::api::list_maps,
        practice::api::create_map,
        practice::api::get_map,
        practice::api::update_map,
        practice::api::delete_map,
        practice::api::map_versions,
        practice::api::list_returns,
        practice::api::create_return,
        practice::api::get_return,
        practice::api::update_return,
        practice::api::delete_return,
    ),
    tags((name = "accounts", description = "Sign-up, sign-in, sessions, settings, export and deletion"),
         (name = "admin", description = "Running the instance"),
         (name = "learn", description = "Guide, FAQ, posts, search and get started"),
         (name = "assess", description = "Reflection instruments and results"),
         (name = "practice", description = "Journal, drafts, prompts, affirmations, repair plans, cycle maps and moments of return"))
)]
pub struct ApiDoc;

async fn openapi() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}

struct Asset {
    name: &'static str,
    content_type: &'static str,
    body: &'static str,
}

const ASSETS: &[Asset] = &[
    Asset {
        name: "site.css",
        content_type: "text/css; charset=utf-8",
        body: include_str!("../static/site.css"),
    },
    Asset {
        name: "quick-exit.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../static/quick-exit.js"),
    },
    Asset { name: "icon.svg", content_type: "image/svg+xml", body: include_str!("../static/icon.svg") },
    Asset {
        name: "post-preview.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../static/post-preview.js"),
    },
    Asset {
        name: "draft-keeper.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../static/draft-keeper.js"),
    },
    Asset {
        name: "practice.js",
        content_type: "text/javascript; charset=utf-8",
        body: include_str!("../static/practice.js"),
    },
];

async fn static_file(Path(file): Path<String>) -> Result<Response, AppError> {
    let asset = ASSETS.iter().find(|a| a.name == file).ok_or(AppError::NotFound)?;
    let mut response = asset.body.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(asset.content_type));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600"));
    Ok(response)
}
