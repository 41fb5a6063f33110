//! Sessions: a random 256-bit token in an HttpOnly cookie, only its SHA-256
//! stored, idle and absolute expiry, listed per member with a device description.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

use super::store;
use crate::state::AppState;
use crate::web::auth::cookie;
use crate::web::{CurrentUser, MaybeUser};

/// Only write `last_seen_at` when it is at least this old, to spare the database.
const TOUCH_EVERY: i64 = 60;

pub fn cookie_name(secure: bool) -> &'static str {
    if secure { "__Host-securebase" } else { "securebase_session" }
}

pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).expect("the operating system's random source failed");
    hex::encode(bytes)
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

pub fn set_cookie_value(secure: bool, token: &str, max_age_seconds: i64) -> String {
    crate::web::cookies::set_cookie(cookie_name(secure), token, Some(max_age_seconds))
}

pub fn clear_cookie_value(secure: bool) -> String {
    set_cookie_value(secure, "", 0)
}

/// The session token from the request, if it carries one of the right shape.
pub fn token_from(headers: &HeaderMap, secure: bool) -> Option<&str> {
    cookie(headers, cookie_name(secure)).filter(|t| t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// Resolve the session once per request; extractors read the result.
pub async fn load_session(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    if request.uri().path().starts_with("/static/") {
        return next.run(request).await;
    }
    let secure = state.config.serves_https();
    let mut expired_cookie = false;
    let for_page = !is_media_path(request.uri().path());
    let user = match token_from(request.headers(), secure) {
        Some(token) => match lookup(&state, token, for_page).await {
            Ok(Some(user)) => Some(user),
            Ok(None) => {
                expired_cookie = true;
                None
            }
            Err(e) => {
                tracing::error!(error = %e, "session lookup failed");
                None
            }
        },
        None => None,
    };
    request.extensions_mut().insert(MaybeUser(user));
    let mut response = next.run(request).await;
    if expired_cookie && !response.headers().contains_key(header::SET_COOKIE) {
        crate::web::cookies::append(&mut response, &clear_cookie_value(secure));
    }
    response
}

/// A recording's bytes (`/library/{id}/media`): no page, so the session read
/// leaves out what only the header shows.
fn is_media_path(path: &str) -> bool {
    path.strip_prefix("/library/")
        .and_then(|rest| rest.strip_suffix("/media"))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

async fn lookup(state: &AppState, token: &str, for_page: bool) -> Result<Option<CurrentUser>, sqlx::Error> {
    let now = crate::clock::now();
    let idle_since = now - state.config.session_idle_hours * 3600;
    let Some(live) =
        store::find_live_session(&state.db, &hash_token(token), now, idle_since, for_page).await?
    else {
        return Ok(None);
    };
    if now - live.last_seen_at >= TOUCH_EVERY {
        store::touch_session(&state.db, &live.session_id, now).await?;
    }
    let facts = SessionFacts {
        session_id: live.session_id,
        unread_notices: live.unread_notices,
        on_new_device: live.on_new_device != 0,
        partner_linked: live.partner_links > 0,
        library_access: live.library_memberships > 0,
        data_version: live.data_version,
    };
    Ok(Some(current_user(live.user, facts)))
}

/// What the session lookup learns beside the member.
#[derive(Debug, Clone, Default)]
pub struct SessionFacts {
    pub session_id: String,
    pub unread_notices: i64,
    pub on_new_device: bool,
    pub partner_linked: bool,
    pub library_access: bool,
    /// See `CurrentUser::data_version`.
    pub data_version: Option<i64>,
}

/// The member as handlers see them, in a session.
pub fn current_user(user: store::UserRecord, facts: SessionFacts) -> CurrentUser {
    let SessionFacts {
        session_id,
        unread_notices,
        on_new_device,
        partner_linked,
        library_access,
        data_version,
    } = facts;
    CurrentUser {
        email_verified: user.email_verified_at.is_some(),
        created_at: user.created_at,
        id: user.id,
        email: user.email,
        display_name: user.display_name,
        role: user.role,
        time_zone: user.time_zone,
        session_id,
        unread_notices,
        on_new_device,
        partner_linked,
        library_access,
        data_version,
    }
}

/// A new session for a member who just proved who they are. Returns the
/// `Set-Cookie` value carrying a fresh token, and the session's id.
pub async fn start(
    state: &AppState,
    user_id: &str,
    user_agent: &str,
    on_new_device: bool,
) -> Result<(String, String), sqlx::Error> {
    let token = new_token();
    let max_age = state.config.session_max_days * 24 * 3600;
    let (device, browser) = describe_user_agent(user_agent);
    let id = store::insert_session(
        &state.db,
        store::NewSession {
            token_hash: &hash_token(&token),
            user_id,
            expires_at: crate::clock::now() + max_age,
            device,
            browser,
            on_new_device,
        },
    )
    .await?;
    Ok((set_cookie_value(state.config.serves_https(), &token, max_age), id))
}

/// A device class and a browser name from a User-Agent header: enough for a
/// member to recognise a session, nothing that locates them.
pub fn describe_user_agent(ua: &str) -> (&'static str, &'static str) {
    let device = if ua.contains("iPad") || ua.contains("Tablet") {
        "Tablet"
    } else if ua.contains("Mobi") || ua.contains("iPhone") || ua.contains("Android") {
        "Phone"
    } else if ua.contains("Windows") || ua.contains("Macintosh") || ua.contains("X11") || ua.contains("CrOS")
    {
        "Computer"
    } else if ua.is_empty() {
        "Unknown device"
    } else {
        "Other device"
    };
    let browser = if ua.contains("Edg/") {
        "Edge"
    } else if ua.contains("OPR/") {
        "Opera"
    } else if ua.contains("Firefox/") {
        "Firefox"
    } else if ua.contains("Chrome/") || ua.contains("Chromium/") {
        "Chrome"
    } else if ua.contains("Safari/") {
        "Safari"
    } else if ua.starts_with("curl/") || ua.contains("python") || ua.contains("reqwest") {
        "App or script"
    } else {
        "Unknown browser"
    };
    (device, browser)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_recordings_bytes_get_the_lean_session_read() {
        assert!(is_media_path("/library/0193e4c2-7d1a-7000-8000-000000000001/media"));
        for page in [
            "/library",
            "/library/x",
            "/library//media",
            "/library/a/b/media",
            "/library/x/media/",
            "/api/v1/library/x/media",
        ] {
            assert!(!is_media_path(page), "{page}");
        }
    }

    #[test]
    fn tokens_are_256_bit_and_only_hashes_are_kept() {
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert_ne!(new_token(), t);
        let h = hash_token(&t);
        assert_eq!(h.len(), 64);
        assert_ne!(h, t);
    }

    #[test]
    fn cookie_is_prefixed_over_https() {
        // `Secure` is added to every cookie of an https response (web::cookies::mark_secure),
        // checked end to end in tests/pages.rs.
        let c = set_cookie_value(true, "abc", 10);
        assert!(c.starts_with("__Host-securebase=abc"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax"));
        assert!(c.contains("Path=/"));
        let c = set_cookie_value(false, "abc", 10);
        assert!(c.starts_with("securebase_session=abc") && !c.contains("Secure"));
    }

    #[test]
    fn malformed_tokens_are_ignored() {
        let mut h = HeaderMap::new();
        h.insert("cookie", "securebase_session=not-a-token".parse().unwrap());
        assert_eq!(token_from(&h, false), None);
    }

    #[test]
    fn user_agents_become_device_and_browser() {
        let iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1";
        assert_eq!(describe_user_agent(iphone), ("Phone", "Safari"));
        let linux = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36";
        assert_eq!(describe_user_agent(linux), ("Computer", "Chrome"));
        let firefox = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0";
        assert_eq!(describe_user_agent(firefox), ("Computer", "Firefox"));
        assert_eq!(describe_user_agent(""), ("Unknown device", "Unknown browser"));
    }
}
