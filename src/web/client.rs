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

/// The address as throttling counts it: an IPv4 address as it is, an IPv6
/// address by its /64 (one household or device is usually given a whole /64,
/// and could otherwise step past every count).
pub fn throttle_key(address: &str) -> String {
    match address.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        // Not an address (a proxy sent something odd): kept short.
        Err(_) => address.chars().take(64).collect(),
    }
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
            .map_or_else(|| "unknown".to_owned(), |a| throttle_key(&a));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv6_addresses_count_by_their_64() {
        assert_eq!(throttle_key("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(throttle_key("2001:db8:1:2:bbbb:cccc:dddd:eeee"), "2001:db8:1:2::/64");
        assert_ne!(throttle_key("2001:db8:1:3::1"), throttle_key("2001:db8:1:2::1"));
        assert_eq!(throttle_key("::ffff:203.0.113.9"), "203.0.113.9");
        assert_eq!(throttle_key("203.0.113.9"), "203.0.113.9");
        assert_eq!(throttle_key(&"x".repeat(500)).len(), 64);
    }
}
