//! The application: shared state, the router with every feature merged into it,
//! and the server loop with graceful shutdown.

use std::ops::Deref;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use axum::Router;
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::IntoResponse;
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

use crate::config::Config;
use crate::db::Db;
use crate::features::accounts::device::DeviceKey;
use crate::features::accounts::password::PasswordWork;
use crate::web::AppError;
use crate::{features, ops, web};

pub struct AppInner {
    pub config: Config,
    pub db: Db,
    pub metrics: PrometheusHandle,
    /// The questionnaires this instance offers (built in, plus `<data_dir>/instruments/`).
    pub instruments: Vec<features::assess::instrument::Instrument>,
    /// The cap on concurrent password hashing.
    pub passwords: PasswordWork,
    /// The known-device cookie's key, read from the database on first use.
    device_key: tokio::sync::OnceCell<DeviceKey>,
}

/// Everything a handler may need; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<AppInner>);

impl Deref for AppState {
    type Target = AppInner;
    fn deref(&self) -> &AppInner {
        &self.0
    }
}

/// The process-wide Prometheus recorder (installed once, shared by every router).
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Another recorder may already be installed (tests); ours still renders.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

impl AppState {
    pub fn new(config: Config, db: Db) -> Self {
        let (instruments, problems) = features::assess::registry::load(&config.data_dir);
        for problem in problems {
            tracing::warn!(%problem, "instrument skipped");
        }
        let passwords = PasswordWork::new(
            config.password_hash_limit,
            Duration::from_millis(config.password_hash_wait_ms),
        );
        AppState(Arc::new(AppInner {
            config,
            db,
            metrics: metrics_handle(),
            instruments,
            passwords,
            device_key: tokio::sync::OnceCell::new(),
        }))
    }

    /// The instance-wide key for known-device cookies (made once, shared by every instance).
    pub async fn device_key(&self) -> Result<&DeviceKey, sqlx::Error> {
        self.device_key.get_or_try_init(|| features::accounts::store::device_key(&self.db)).await
    }
}

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
        .merge(ops::router())
        .fallback(|| async { AppError::NotFound })
        // Innermost first: errors are rendered with the session already resolved.
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
