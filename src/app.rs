//! The application: the router with every feature merged into it, the layers
//! every request passes through, and what each feature does at start.

use std::time::Duration;

use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use axum::{Extension, Router};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub use crate::state::AppState;
use crate::web::AppError;
use crate::web::carry::Keepers;
use crate::web::member_data::MemberDataRegistry;
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
    Router::new()
        .merge(features::home::router())
        .merge(features::accounts::router())
        .merge(features::admin::router())
        .merge(features::learn::router())
        .merge(features::assess::router())
        .merge(features::practice::router())
        .merge(features::privacy::router())
        .merge(ops::router())
        .fallback(|| async { AppError::NotFound })
        // Innermost first: errors are rendered with the session already resolved.
        // Writing that arrives after its session ended: the sign-in page keeps it,
        // and the feature it came from takes it back after sign-in.
        .layer(from_fn_with_state(state.clone(), features::accounts::carry::offer_sign_in))
        .layer(Extension(Keepers::new(vec![features::practice::journal_pages::CARRY_KEEPER])))
        .layer(Extension(member_data()))
        .layer(from_fn_with_state(state.clone(), features::learn::pages::follow_session_changes))
        .layer(from_fn_with_state(state.clone(), web::text_input::refuse_unstorable))
        .layer(csrf)
        // A panic becomes an ordinary internal error, rendered like any other.
        .layer(CatchPanicLayer::custom(|_| {
            AppError::Internal(anyhow::anyhow!("a handler panicked")).into_response()
        }))
        .layer(from_fn_with_state(state.clone(), web::middleware::render_errors))
        .layer(from_fn(web::middleware::clear_flash))
        .layer(from_fn_with_state(state.clone(), features::accounts::sessions::load_session))
        .layer(from_fn_with_state(state.clone(), web::middleware::security_headers))
        .layer(RequestBodyLimitLayer::new(BODY_LIMIT))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            Duration::from_secs(30),
        ))
        .layer(from_fn(web::middleware::log_requests))
        .with_state(state)
}

/// What each feature keeps of a member, for export and deletion. Deletion runs
/// them in this order: the account itself last.
pub fn member_data() -> MemberDataRegistry {
    MemberDataRegistry::new(vec![
        features::learn::member_data::MEMBER_DATA,
        features::assess::member_data::MEMBER_DATA,
        features::practice::export::MEMBER_DATA,
        features::accounts::member_data::MEMBER_DATA,
    ])
}

/// Work each feature does once before serving (safe to repeat, and to run on
/// several instances at once).
pub async fn startup(state: &AppState) -> anyhow::Result<()> {
    features::learn::startup(&state.db).await
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
