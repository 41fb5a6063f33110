//! Facts about the client needed for throttling and the sessions list.

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, FromRequestParts};
use axum::http::header::USER_AGENT;
use axum::http::request::Parts;

use super::AppError;
use crate::state::AppState;

#[derive(Debug, Clone)]
pub struct ClientInfo {
    /// The client's address: the socket peer, or the last `X-Forwarded-For` hop
    /// when `trust_forwarded_for` is set (behind a reverse proxy).
    pub address: String,
    pub user_agent: String,
}

impl FromRequestParts<AppState> for ClientInfo {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let peer = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string());
        let forwarded = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        let address = if state.config.trust_forwarded_for { forwarded.or(peer) } else { peer }
            .unwrap_or_else(|| "unknown".to_owned());
        let user_agent = parts
            .headers
            .get(USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(400)
            .collect();
        Ok(ClientInfo { address, user_agent })
    }
}
